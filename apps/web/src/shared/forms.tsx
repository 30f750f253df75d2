import { HearthApiError, NoCoordinatorError, SecretStorageError } from '@hearth/client';
import { ErrorCode, MENTORING_DOMAINS, MentoringDomain } from '@hearth/protocol';
import { ReactNode, useId, useState } from 'react';
import type { MessageKey, Translate } from '../i18n';
import { WrongPasswordError } from '../state/vault';
import { useAction } from './action';
import { useI18n } from './i18n';

const ERROR_KEYS: Record<string, MessageKey> = {
  HEARTH_MUTED: 'error.MUTED',
  HEARTH_FORBIDDEN: 'error.FORBIDDEN',
  HEARTH_WRONG_PASSWORD: 'error.WRONG_PASSWORD',
  HEARTH_LIMIT_EXCEEDED: 'error.RATE_LIMITED',
  HEARTH_INVITE_INVALID: 'error.invite',
  HEARTH_USER_IN_USE: 'error.username',
  HEARTH_INVALID_USERNAME: 'error.username',
  HEARTH_WEAK_PASSWORD: 'error.weakPassword',
  HEARTH_WRONG_CODE: 'error.wrongCode',
  HEARTH_SECOND_FACTOR_SETUP_REQUIRED: 'error.secondFactorSetup',
  HEARTH_CONFLICT: 'error.conflict',
  network: 'error.network',
};

/** Plain words for a failure: the hub's errcode when there is one, else "cannot reach the hub". */
export function errorText(t: Translate, err: unknown, context?: 'login' | 'loginCode'): string {
  if (err instanceof WrongPasswordError) return t('error.WRONG_PASSWORD');
  if (err instanceof NoCoordinatorError) return t('reports.noCoordinator');
  if (err instanceof SecretStorageError) {
    return t(err.code === 'bad_recovery_key' || err.code === 'bad_mac' ? 'error.recoveryKey' : 'error.backupMissing');
  }
  if (err instanceof HearthApiError) {
    if (context && (err.status === 401 || err.errcode === ErrorCode.WrongPassword)) {
      return t(context === 'loginCode' ? 'error.loginCode' : 'error.login');
    }
    const key = ERROR_KEYS[err.errcode];
    return key ? t(key) : t('error.generic', { detail: err.body.error });
  }
  if (typeof err === 'string' && ERROR_KEYS[err]) return t(ERROR_KEYS[err]);
  return t('error.network');
}

/** An error announced to screen readers as it appears. */
export function ErrorLine({ error, context }: { error: unknown; context?: 'login' | 'loginCode' }): ReactNode {
  const { t } = useI18n();
  if (!error) return null;
  return (
    <p className="error" role="alert">
      {errorText(t, error, context)}
    </p>
  );
}

/** A labelled input: the label is tied to the field, the hint read out with it. */
export function Field(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  type?: string;
  hint?: string;
  required?: boolean;
  autoComplete?: string;
  name?: string;
  min?: string;
  max?: string;
  dir?: 'ltr' | 'rtl' | 'auto';
}): ReactNode {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.value}
        required={props.required}
        autoComplete={props.autoComplete}
        min={props.min}
        max={props.max}
        dir={props.dir}
        aria-describedby={props.hint ? `${id}-hint` : undefined}
        onChange={(e) => props.onChange(e.target.value)}
      />
      {props.hint && (
        <p className="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      )}
    </div>
  );
}

/**
 * "Are you sure?" under the button that asked: a message, _Confirm_ (danger or primary) and
 * _Cancel_; extra fields (a reason) go in as children.
 */
export function ConfirmForm(props: {
  message: string;
  busy: boolean;
  tone?: 'danger' | 'primary';
  onConfirm: () => void;
  onCancel: () => void;
  children?: ReactNode;
}): ReactNode {
  const { t } = useI18n();
  return (
    <form
      className="confirm"
      onSubmit={(e) => {
        e.preventDefault();
        props.onConfirm();
      }}
    >
      <p>{props.message}</p>
      {props.children}
      <button type="submit" className={props.tone ?? 'danger'} disabled={props.busy}>
        {t('common.confirm')}
      </button>
      <button type="button" onClick={props.onCancel}>
        {t('common.cancel')}
      </button>
    </form>
  );
}

/**
 * An irreversible action in its danger-zone card (panic, deleting the account): the password and a
 * ticked box that says what will happen, then the red button.
 */
export function PasswordConfirmCard(props: {
  /** Prefix of the heading's id and of the password field's name. */
  id: string;
  title: string;
  body: string;
  confirm: string;
  button: string;
  onConfirm: (password: string) => Promise<void>;
}): ReactNode {
  const { t } = useI18n();
  const [password, setPassword] = useState('');
  const [sure, setSure] = useState(false);
  const action = useAction();
  return (
    <section className="card danger-zone" aria-labelledby={`${props.id}-title`}>
      <h2 id={`${props.id}-title`}>{props.title}</h2>
      <p>{props.body}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (sure) void action.run(() => props.onConfirm(password));
        }}
      >
        <Field
          label={t('auth.password')}
          type="password"
          value={password}
          onChange={setPassword}
          required
          autoComplete="current-password"
          name={`${props.id}-password`}
        />
        <label className="check">
          <input type="checkbox" checked={sure} onChange={(e) => setSure(e.target.checked)} required /> {props.confirm}
        </label>
        <ErrorLine error={action.error} />
        <button type="submit" className="danger" disabled={action.busy || !sure}>
          {props.button}
        </button>
      </form>
    </section>
  );
}

/**
 * A choice among the programme's domains (psychosocial resilience, advocacy, integrated
 * security); with `none`, an empty choice first, labelled so.
 */
export function DomainSelect<V extends MentoringDomain | ''>(props: {
  label: string;
  value: V;
  onChange: (value: V) => void;
  none?: string;
}): ReactNode {
  const { t } = useI18n();
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <select id={id} value={props.value} onChange={(e) => props.onChange(e.target.value as V)}>
        {props.none !== undefined && <option value="">{props.none}</option>}
        {MENTORING_DOMAINS.map((d) => (
          <option key={d} value={d}>
            {t(`domain.${d}`)}
          </option>
        ))}
      </select>
    </div>
  );
}
