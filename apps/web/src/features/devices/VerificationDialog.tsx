import type { EmojiVerification } from '@hearth/client';
import { ReactNode, useEffect, useId, useRef, useState } from 'react';
import { sasEmojiName } from '../../i18n/sas-emoji';
import { useAction } from '../../shared/action';
import { ErrorLine } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useHub, useSession, useVerifications } from '../../state/hooks';

/** Shown over everything while a verification with another device is under way. */
export function VerificationDialog({ v }: { v: EmojiVerification }): ReactNode {
  const hub = useHub();
  const { http } = useSession();
  // The verification changes in place: the store's new list is what re-renders this dialog.
  useVerifications();
  const { t, lang } = useI18n();
  const action = useAction();
  const titleId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const [deviceName, setDeviceName] = useState<string | null>(null);
  const finished = v.phase === 'done' || v.phase === 'cancelled';
  useEffect(() => {
    // Announced and reachable at once: focus goes to the dialog when it appears.
    heading.current?.focus();
    void http
      .devices()
      .then((r) => setDeviceName(r.devices.find((d) => d.device_id === v.otherDeviceId)?.display_name ?? null))
      .catch(() => undefined);
  }, [http, v.otherDeviceId]);
  const device = deviceName ? `${deviceName} (${v.otherDeviceId ?? ''})` : (v.otherDeviceId ?? '');
  return (
    <div
      className="dialog"
      role={v.phase === 'incoming' ? 'alertdialog' : 'dialog'}
      aria-modal="false"
      aria-labelledby={titleId}
    >
      <h2 id={titleId} ref={heading} tabIndex={-1}>
        {t('verify.title')}
      </h2>
      <div aria-live="polite">
        {v.phase === 'incoming' && (
          <>
            <p>{t('verify.incoming', { device })}</p>
            <p className="warning">{t('verify.incomingWarning')}</p>
          </>
        )}
        {v.phase === 'requested' && <p>{t('verify.requested')}</p>}
        {(v.phase === 'ready' || v.phase === 'started') && <p>{t('verify.waiting')}</p>}
        {v.phase === 'emoji' && <p>{t('verify.compare')}</p>}
        {v.phase === 'confirmed' && <p>{t('verify.confirmed')}</p>}
        {v.phase === 'done' && <p className="ok">{t('verify.done')}</p>}
        {v.phase === 'cancelled' && <p className="error">{t('verify.cancelled')}</p>}
      </div>
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
