import { ReactNode } from 'react';
import { Field } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';

/** At least this long, when a person chooses a passphrase (the recovery key alone needs none). */
export const MIN_PASSPHRASE = 10;

/** Whether the optional passphrase may be used: empty, or long enough and typed twice the same. */
export function passphraseOk(passphrase: string, repeat: string): boolean {
  return passphrase === '' ? repeat === '' : passphrase.length >= MIN_PASSPHRASE && passphrase === repeat;
}

/** An optional passphrase that unlocks secure backup as well as the recovery key, typed twice. */
export function PassphraseFields(props: {
  passphrase: string;
  repeat: string;
  onPassphrase: (v: string) => void;
  onRepeat: (v: string) => void;
}): ReactNode {
  const { t } = useI18n();
  const mismatch = props.repeat !== '' && props.passphrase !== props.repeat;
  const short = props.passphrase !== '' && props.passphrase.length < MIN_PASSPHRASE;
  return (
    <>
      <Field
        label={t('backup.passphrase')}
        type="password"
        value={props.passphrase}
        onChange={props.onPassphrase}
        autoComplete="new-password"
        hint={t('backup.passphraseHint', { min: String(MIN_PASSPHRASE) })}
      />
      {props.passphrase !== '' && (
        <Field
          label={t('backup.passphraseRepeat')}
          type="password"
          value={props.repeat}
          onChange={props.onRepeat}
          autoComplete="new-password"
        />
      )}
      {(mismatch || short) && (
        <p className="error" role="alert">
          {mismatch ? t('backup.passphraseMismatch') : t('backup.passphraseShort', { min: String(MIN_PASSPHRASE) })}
        </p>
      )}
    </>
  );
}
