import type { Shield as ShieldColour, ShieldCode, TimelineItem } from '@hearth/client';
import { ReactNode, useEffect, useId, useLayoutEffect, useRef, useState } from 'react';
import type { MessageKey } from '../i18n';
import type { PendingMessage } from '../state/outbox';
import { useAction } from '../shared/action';
import { localpart } from '../shared/format';
import { ErrorLine, Field } from '../shared/forms';
import { useI18n } from '../shared/i18n';
import { useAccount, useHub, usePendingMessages, useSession, useTimeline } from '../state/hooks';
import { roomLabel } from './Mentoring';

const UTD_KEYS: Record<string, MessageKey> = {
  MissingRoomKey: 'utd.MissingRoomKey',
  UnknownMessageIndex: 'utd.UnknownMessageIndex',
  MismatchedSender: 'utd.MismatchedSender',
  UnsignedSenderDevice: 'utd.UnsignedSenderDevice',
};

/** One room: the decrypted timeline, scroll-back, the composer, per-message actions. */
export function Room({ roomId }: { roomId: string }): ReactNode {
  const hub = useHub();
  const { session } = useSession();
  const account = useAccount();
  const timeline = useTimeline(roomId);
  const allPending = usePendingMessages();
  const { t } = useI18n();
  const room = account.rooms.find((r) => r.room_id === roomId);
  const cohort = account.cohorts.find((c) => c.cohort_id === room?.cohort_id);
  const items = timeline.items;
  const pending = allPending.filter((p) => p.roomId === roomId);
  const left = room?.left || timeline.left;
  const coordinator = cohort?.role === 'coordinator';
  const canPost = !left && (room?.kind !== 'announcements' || coordinator);
  const [draft, setDraft] = useState('');
  const older = useAction();
  const listRef = useRef<HTMLOListElement>(null);
  const stick = useRef(true);
  const composerId = useId();

  // Stay at the bottom as messages arrive, unless the reader scrolled up to read older ones.
  useLayoutEffect(() => {
    const el = listRef.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  });

  if (!room || !session) return <p>{t('app.loading')}</p>;
  const hasOlder = timeline.hasOlder;

  return (
    <section className="room" aria-labelledby="room-title">
      <header className="room-head">
        <h1 id="room-title">{roomLabel(account, t, room)}</h1>
        <span className="muted">
          {t(`room.kind.${room.kind}`)} · {cohort?.name}
        </span>
      </header>
      {left && (
        <p className="notice" role="status">
          {t('chat.left')}
        </p>
      )}
      <div className="older">
        {hasOlder ? (
          <button
            type="button"
            disabled={older.busy}
            onClick={() => {
              stick.current = false;
              void older.run(async () => {
                await session.loadOlder(roomId);
              });
            }}
          >
            {older.busy ? t('chat.loadingOlder') : t('chat.older')}
          </button>
        ) : (
          items.length > 0 && <p className="muted">{t('chat.noOlder')}</p>
        )}
        <ErrorLine error={older.error} />
      </div>
      <ol
        className="timeline"
        ref={listRef}
        aria-label={t('chat.messages')}
        tabIndex={0}
        onScroll={(e) => {
          const el = e.currentTarget;
          stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
        }}
      >
        {items.length === 0 && pending.length === 0 && <li className="muted">{t('chat.empty')}</li>}
        {items.map((m) => (
          <Message key={m.event_id} item={m} roomId={roomId} coordinator={coordinator} />
        ))}
        {pending
          .filter((p) => !(p.eventId && items.some((m) => m.event_id === p.eventId)))
          .map((p) => (
            <Pending key={p.id} p={p} />
          ))}
      </ol>
      <NewMessageAnnouncer items={items} />
      {canPost ? (
        <form
          className="composer"
          onSubmit={(e) => {
            e.preventDefault();
            const body = draft.trim();
            if (!body) return;
            stick.current = true;
            hub.outbox.send(roomId, body);
            setDraft('');
          }}
        >
          <label htmlFor={composerId} className="visually-hidden">
            {t('chat.composer')}
          </label>
          <textarea
            id={composerId}
            value={draft}
            rows={2}
            maxLength={20000}
            placeholder={t('chat.composer')}
            dir="auto"
            onChange={(e) => setDraft(e.target.value)}
            onKeyDown={(e) => {
              // Enter sends, Shift+Enter is a new line (as in most messengers).
              if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
                e.preventDefault();
                e.currentTarget.form?.requestSubmit();
              }
            }}
          />
          <button type="submit" className="primary">
            {t('chat.send')}
          </button>
        </form>
      ) : (
        !left && <p className="muted">{t('chat.announcementsOnly')}</p>
      )}
    </section>
  );
}

/** The sender's shield, from the crypto SDK's reason (not only its colour), with a text label. */
function Shield({ shield, code }: { shield: ShieldColour; code: ShieldCode }): ReactNode {
  const { t } = useI18n();
  const label = t(`shield.${code}`);
  return (
    <span className={`shield shield-${shield}`} title={label} role="img" aria-label={label}>
      {shield === 'none' ? '✔' : shield === 'grey' ? '○' : '⚠'}
    </span>
  );
}

function Message({
  item,
  roomId,
  coordinator,
}: {
  item: TimelineItem;
  roomId: string;
  coordinator: boolean;
}): ReactNode {
  const { http } = useSession();
  const { me } = useAccount();
  const { t, time } = useI18n();
  const [mode, setMode] = useState<'none' | 'report' | 'redact'>('none');
  const [reason, setReason] = useState('');
  const [reported, setReported] = useState(false);
  const action = useAction();
  const own = item.sender === me?.user_id;
  const name = localpart(item.sender);
  let body: ReactNode;
  let kind = 'msg';
  if ('redacted' in item) {
    body = <em className="muted">{t('chat.redacted')}</em>;
    kind = 'msg redacted';
  } else if ('reason' in item) {
    body = <em className="utd">{t(UTD_KEYS[item.reason] ?? 'utd.Unknown')}</em>;
    kind = 'msg undecryptable';
  } else {
    // In a progress room: an outcome's texts or a piece of evidence, said as such.
    const p = item.progress;
    body = (
      <p className="body" dir="auto">
        {p && (
          <>
            <span className="badge">
              {p.msgtype === 'org.hearth.outcome'
                ? t('progress.msgOutcome')
                : t('progress.msgEvidence', { level: t(`progress.level.${p.level}`) })}
            </span>{' '}
          </>
        )}
        {item.body}
      </p>
    );
  }
  const readable = !('redacted' in item);
  return (
    <li className={own ? `${kind} own` : kind} data-event-id={item.event_id}>
      <div className="meta">
        <strong dir="ltr" title={item.sender}>
          {name}
        </strong>
        {'shield' in item && <Shield shield={item.shield} code={item.shield_code} />}
        <time dateTime={new Date(item.ts).toISOString()}>{time(item.ts)}</time>
        {own && readable && <span className="state">{t('chat.sent')}</span>}
      </div>
      {body}
      {readable && (
        <div className="msg-actions" role="group" aria-label={t('chat.actions')}>
          {!own && !reported && (
            <button type="button" className="link" onClick={() => setMode(mode === 'report' ? 'none' : 'report')}>
              {t('chat.report')}
            </button>
          )}
          {reported && <span role="status">{t('chat.reported')}</span>}
          {(coordinator || own) && (
            <button type="button" className="link" onClick={() => setMode(mode === 'redact' ? 'none' : 'redact')}>
              {t('chat.redact')}
            </button>
          )}
        </div>
      )}
      {mode === 'report' && (
        <form
          className="confirm"
          onSubmit={(e) => {
            e.preventDefault();
            void action
              .run(() => http.report(roomId, item.event_id, reason.trim()))
              .then((ok) => {
                if (ok) {
                  setReported(true);
                  setMode('none');
                }
              });
          }}
        >
          <Field label={t('chat.reportReason')} value={reason} onChange={setReason} required />
          <button type="submit">{t('chat.reportSend')}</button>
          <button type="button" onClick={() => setMode('none')}>
            {t('common.cancel')}
          </button>
        </form>
      )}
      {mode === 'redact' && (
        <form
          className="confirm"
          onSubmit={(e) => {
            e.preventDefault();
            void action
              .run(async () => {
                await http.redact(roomId, item.event_id, `web.${Date.now()}`, reason.trim() || undefined);
              })
              .then((ok) => ok && setMode('none'));
          }}
        >
          <p>{t('chat.redactConfirm')}</p>
          <Field label={t('member.reason')} value={reason} onChange={setReason} />
          <button type="submit" className="danger">
            {t('common.confirm')}
          </button>
          <button type="button" onClick={() => setMode('none')}>
            {t('common.cancel')}
          </button>
        </form>
      )}
      <ErrorLine error={action.error} />
    </li>
  );
}

function Pending({ p }: { p: PendingMessage }): ReactNode {
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
          {p.error && p.error !== 'network' && <ErrorLine error={p.error} />}
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
function NewMessageAnnouncer({ items }: { items: readonly TimelineItem[] }): ReactNode {
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
