import type { TotpSetupResponse } from '@hearth/protocol';
import { ReactNode, useMemo, useState } from 'react';
import { encode } from 'uqr';
import { useAction } from '../../shared/action';
import { ErrorLine, Field } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useSession } from '../../state/hooks';
import { RecoveryCodes } from './RecoveryCodes';

/** `otpauth://` for the authenticator app, with a label the person chooses (the hub never sees it). */
export function totpUri(setup: TotpSetupResponse, label: string): string {
  const params = new URLSearchParams({
    secret: setup.secret,
    algorithm: setup.algorithm,
    digits: String(setup.digits),
    period: String(setup.period),
  });
  return `otpauth://totp/${encodeURIComponent(label)}?${params.toString()}`;
}

/** A QR code drawn as one SVG path (no markup from strings, so Trusted Types have nothing to stop). */
function QrCode({ text, label }: { text: string; label: string }): ReactNode {
  const path = useMemo(() => {
    const { data, size } = encode(text, { border: 2 });
    let d = '';
    for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) if (data[y][x]) d += `M${x} ${y}h1v1h-1z`;
    return { d, size };
  }, [text]);
  return (
    <svg
      className="qr"
      role="img"
      aria-label={label}
      viewBox={`0 0 ${path.size} ${path.size}`}
      width={path.size * 6}
      height={path.size * 6}
      shapeRendering="crispEdges"
    >
      <rect width={path.size} height={path.size} fill="#fff" />
      <path d={path.d} fill="#000" />
    </svg>
  );
}

/** Setting up TOTP: the password, then the app (QR code or typed key), then its first code. */
export function TotpSetup({ onDone }: { onDone: () => void }): ReactNode {
  const { http } = useSession();
  const { t } = useI18n();
  const [password, setPassword] = useState('');
  const [setup, setSetup] = useState<TotpSetupResponse | null>(null);
  const [label, setLabel] = useState(t('2fa.defaultLabel'));
  const [code, setCode] = useState('');
  const [codes, setCodes] = useState<string[] | null>(null);
  // Whoever else had the password is shut out as the factor comes on: offered, on by default.
  const [signOutOthers, setSignOutOthers] = useState(true);
  const action = useAction();
  if (codes) return <RecoveryCodes codes={codes} onDone={onDone} />;
  if (!setup) {
    return (
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void action.run(async () => setSetup(await http.beginTotp(password)));
        }}
      >
        <Field
          label={t('2fa.passwordFirst')}
          type="password"
          value={password}
          onChange={setPassword}
          required
          autoComplete="current-password"
          name="totp-password"
        />
        <ErrorLine error={action.error} />
        <button type="submit" className="primary" disabled={action.busy}>
          {t('2fa.begin')}
        </button>
      </form>
    );
  }
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void action.run(async () =>
          setCodes((await http.confirmTotp(code.replace(/\s/g, ''), { logout_devices: signOutOthers })).recovery_codes),
        );
      }}
    >
      <p>{t('2fa.scan')}</p>
      <Field label={t('2fa.label')} value={label} onChange={setLabel} hint={t('2fa.labelHint')} name="totp-label" />
      <QrCode text={totpUri(setup, label || t('2fa.defaultLabel'))} label={t('2fa.qr')} />
      <p className="hint">{t('2fa.typeKey')}</p>
      <p>
        <code dir="ltr" data-testid="totp-secret">
          {setup.secret.match(/.{1,4}/g)!.join(' ')}
        </code>
      </p>
      <Field
        label={t('2fa.code')}
        value={code}
        onChange={setCode}
        required
        autoComplete="one-time-code"
        name="totp-code"
        dir="ltr"
      />
      <label className="check">
        <input type="checkbox" checked={signOutOthers} onChange={(e) => setSignOutOthers(e.target.checked)} />{' '}
        {t('account.signOutOthers')}
      </label>
      <ErrorLine error={action.error} />
      <button type="submit" className="primary" disabled={action.busy}>
        {t('2fa.confirm')}
      </button>
    </form>
  );
}
