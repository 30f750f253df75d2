import type { TimelineItem } from '@hearth/client';
import { ReactNode, useEffect, useRef, useState } from 'react';
import { localpart } from '../../shared/format';
import { ErrorLine } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useAccount, useHub } from '../../state/hooks';
import type { PendingMessage } from '../../state/outbox';

/** A message typed here, on its way (or refused), with resend and discard when it failed. */
export function Pending({ p }: { p: PendingMessage }): ReactNode {
  const hub = useHub();
  const { me } = useAccount();
  const { t, time } = useI18n();
  return (
    <li className={`msg own pending ${p.state}`}>
      <div className="meta">
        <strong dir="ltr">{localpart(me?.user_id ?? '')}</strong>
        <time dateTime={new Date(p.ts).toISOString()}>{time(p.ts)}</time>
        <span className="state" role={p.state === 'failed' ? 'alert' : undefined}>
          {p.state === 'sending' ? t('chat.sending') : p.state === 'sent' ? t('chat.sent') : t('chat.failed')}
        </span>
      </div>
      <p className="body" dir="auto">
        {p.body}
      </p>
      {p.state === 'failed' && (
        <div className="msg-actions">
          {p.error === 'identity_changed' ? (
            <p className="error">{t('chat.heldIdentity')}</p>
          ) : (
            p.error && p.error !== 'network' && <ErrorLine error={p.error} />
          )}
          <button type="button" onClick={() => hub.outbox.resend(p.id)}>
            {t('chat.resend')}
          </button>
          <button type="button" className="link" onClick={() => hub.outbox.discard(p.id)}>
            {t('chat.discard')}
          </button>
        </div>
      )}
    </li>
  );
}

/**
 * Screen readers hear each new message from others once, as it arrives; not the whole timeline,
 * and not the older messages a scroll-back loads.
 */
export function NewMessageAnnouncer({ items }: { items: readonly TimelineItem[] }): ReactNode {
  const { me } = useAccount();
  const { t } = useI18n();
  const last = items.at(-1);
  const seen = useRef<string | null>(null);
  const [text, setText] = useState('');
  useEffect(() => {
    if (!last || last.event_id === seen.current) return;
    const first = seen.current === null;
    seen.current = last.event_id;
    if (first || last.sender === me?.user_id || !('body' in last)) return;
    setText(t('chat.newMessage', { name: localpart(last.sender), body: last.body }));
  }, [last, me?.user_id, t]);
  return (
    <p className="visually-hidden" aria-live="polite">
      {text}
    </p>
  );
}
