import type { Verification } from '@hearth/client';
import { ReactNode, useEffect, useId, useRef, useState } from 'react';
import { sasEmojiName } from '../../i18n/sas-emoji';
import { useAction } from '../../shared/action';
import { localpart } from '../../shared/format';
import { ErrorLine } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useHub, useSession, useVerifications } from '../../state/hooks';

/**
 * Shown over everything while a verification is under way: with another device of this account,
 * or with another person (on any of their devices: it verifies their identity, compared together
 * in person or on a call).
 */
export function VerificationDialog({ v }: { v: Verification }): ReactNode {
  const hub = useHub();
  const { http, session } = useSession();
  // The verification changes in place: the store's new list is what re-renders this dialog.
  useVerifications();
  const { t, lang } = useI18n();
  const action = useAction();
  const titleId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const [deviceName, setDeviceName] = useState<string | null>(null);
  const person = session !== null && v.otherUserId !== session.userId;
  const finished = v.phase === 'done' || v.phase === 'cancelled';
  useEffect(() => {
    // Announced and reachable at once: focus goes to the dialog when it appears.
    heading.current?.focus();
    if (person) return;
    void http
      .devices()
      .then((r) => setDeviceName(r.devices.find((d) => d.device_id === v.otherDeviceId)?.display_name ?? null))
      .catch(() => undefined);
  }, [http, v.otherDeviceId, person]);
  const device = deviceName ? `${deviceName} (${v.otherDeviceId ?? ''})` : (v.otherDeviceId ?? '');
  const name = localpart(v.otherUserId);
  return (
    <div
      className="dialog"
      role={v.phase === 'incoming' ? 'alertdialog' : 'dialog'}
      aria-modal="false"
      aria-labelledby={titleId}
    >
      <h2 id={titleId} ref={heading} tabIndex={-1}>
        {person ? t('verify.personTitle', { name }) : t('verify.title')}
      </h2>
      <div aria-live="polite">{person ? <PersonPhase v={v} name={name} /> : <DevicePhase v={v} device={device} />}</div>
      {v.emoji && (v.phase === 'emoji' || v.phase === 'confirmed') && (
        <ol className="emoji" data-testid="sas-emoji">
          {v.emoji.map((e, i) => (
            <li key={i}>
              <span className="symbol" aria-hidden="true">
                {e.symbol}
              </span>
              <span className="name">{sasEmojiName(e.description, lang)}</span>
            </li>
          ))}
        </ol>
      )}
      <ErrorLine error={action.error} />
      <div className="actions">
        {v.phase === 'incoming' && (
          <button type="button" className="primary" onClick={() => void action.run(() => v.accept())}>
            {t('verify.accept')}
          </button>
        )}
        {v.phase === 'emoji' && (
          <>
            <button type="button" className="primary" onClick={() => void action.run(() => v.confirm())}>
              {t('verify.match')}
            </button>
            <button type="button" className="danger" onClick={() => void action.run(() => v.cancel())}>
              {t('verify.noMatch')}
            </button>
          </>
        )}
        {!finished && v.phase !== 'emoji' && (
          <button type="button" onClick={() => void action.run(() => v.cancel())}>
            {t('common.cancel')}
          </button>
        )}
        {finished && (
          <button type="button" onClick={() => hub.verifications.dismiss(v)}>
            {t('common.close')}
          </button>
        )}
      </div>
    </div>
  );
}

/** What a verification with another device of this account says at each step. */
function DevicePhase({ v, device }: { v: Verification; device: string }): ReactNode {
  const { t } = useI18n();
  switch (v.phase) {
    case 'incoming':
      return (
        <>
          <p>{t('verify.incoming', { device })}</p>
          <p className="warning">{t('verify.incomingWarning')}</p>
        </>
      );
    case 'requested':
      return <p>{t('verify.requested')}</p>;
    case 'emoji':
      return <p>{t('verify.compare')}</p>;
    case 'confirmed':
      return <p>{t('verify.confirmed')}</p>;
    case 'done':
      return <p className="ok">{t('verify.done')}</p>;
    case 'cancelled':
      return <p className="error">{t('verify.cancelled')}</p>;
    case 'ready':
    case 'started':
      return <p>{t('verify.waiting')}</p>;
  }
}

/** What a verification with another person says at each step. */
function PersonPhase({ v, name }: { v: Verification; name: string }): ReactNode {
  const { t } = useI18n();
  switch (v.phase) {
    case 'incoming':
      return (
        <>
          <p>{t('verify.personIncoming', { name })}</p>
          <p className="warning">{t('verify.personIncomingWarning')}</p>
        </>
      );
    case 'requested':
      return <p>{t('verify.personRequested', { name })}</p>;
    case 'emoji':
      return <p>{t('verify.personCompare', { name })}</p>;
    case 'confirmed':
      return <p>{t('verify.personConfirmed', { name })}</p>;
    case 'done':
      return <p className="ok">{t('verify.personDone', { name })}</p>;
    case 'cancelled':
      return <p className="error">{t('verify.personCancelled', { name })}</p>;
    case 'ready':
    case 'started':
      return <p>{t('verify.waiting')}</p>;
  }
}
