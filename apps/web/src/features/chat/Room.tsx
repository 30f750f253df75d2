import { ReactNode, useId, useLayoutEffect, useRef, useState } from 'react';
import { useAction } from '../../shared/action';
import { ErrorLine } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useAccount, useHub, usePendingMessages, useSession, useTimeline, useUploads } from '../../state/hooks';
import { AttachControls, UploadItem } from '../files';
import { IdentityNotices, PeoplePanel, RoomNotice, useRoomNotices } from '../people';
import { Message } from './Message';
import { NewMessageAnnouncer, Pending } from './Pending';
import { RetentionControl } from './Retention';
import { roomLabel } from './room-label';

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
  const notices = useRoomNotices(roomId);
  const pending = allPending.filter((p) => p.roomId === roomId);
  const uploads = useUploads().filter((u) => u.roomId === roomId);
  const left = room?.left || timeline.left;
  const coordinator = cohort?.role === 'coordinator';
  const canPost = !left && (room?.kind !== 'announcements' || coordinator);
  const [draft, setDraft] = useState('');
  const [showPeople, setShowPeople] = useState(false);
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
        <button type="button" aria-expanded={showPeople} onClick={() => setShowPeople(!showPeople)}>
          {t('people.button')}
        </button>
        {!left && <RetentionControl room={room} coordinator={coordinator} />}
      </header>
      {showPeople && <PeoplePanel roomId={roomId} />}
      <IdentityNotices roomId={roomId} mentorship={room.kind === 'mentorship'} />
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
        {items.length === 0 && pending.length === 0 && uploads.length === 0 && (
          <li className="muted">{t('chat.empty')}</li>
        )}
        {interleave(items, notices, hasOlder).map((x) =>
          'text' in x ? (
            <li key={x.key} className="timeline-notice" data-notice>
              {x.text}
            </li>
          ) : (
            <Message key={x.event_id} item={x} roomId={roomId} coordinator={coordinator} />
          ),
        )}
        {pending
          .filter((p) => !(p.eventId && items.some((m) => m.event_id === p.eventId)))
          .map((p) => (
            <Pending key={p.id} p={p} />
          ))}
        {uploads
          .filter((u) => !(u.eventId && items.some((m) => m.event_id === u.eventId)))
          .map((u) => (
            <UploadItem key={`u${u.id}`} u={u} />
          ))}
      </ol>
      <NewMessageAnnouncer items={items} />
      {canPost && <AttachControls roomId={roomId} onStart={() => (stick.current = true)} />}
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

/**
 * The timeline's messages and its notices in time order; a notice from before the first message
 * loaded waits until scrolling back reaches its time (it is not put at the top of a partial view).
 */
function interleave<T extends { ts: number }>(
  items: readonly T[],
  notices: readonly RoomNotice[],
  hasOlder: boolean,
): (T | RoomNotice)[] {
  const first = items[0]?.ts ?? Infinity;
  const shown = hasOlder ? notices.filter((n) => n.ts >= first) : notices;
  const out: (T | RoomNotice)[] = [];
  let i = 0;
  for (const item of items) {
    while (i < shown.length && shown[i].ts <= item.ts) out.push(shown[i++]);
    out.push(item);
  }
  return out.concat(shown.slice(i));
}
