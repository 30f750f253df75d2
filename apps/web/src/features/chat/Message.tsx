import type { ShieldCode, Shield as ShieldColour, TimelineItem } from '@hearth/client';
import { ReactNode, useState } from 'react';
import type { MessageKey } from '../../i18n';
import { useAction } from '../../shared/action';
import { localpart } from '../../shared/format';
import { ErrorLine, Field } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useAccount, useSession } from '../../state/hooks';
import { FileView } from '../files';

const UTD_KEYS: Record<string, MessageKey> = {
  MissingRoomKey: 'utd.MissingRoomKey',
  UnknownMessageIndex: 'utd.UnknownMessageIndex',
  MismatchedSender: 'utd.MismatchedSender',
  UnsignedSenderDevice: 'utd.UnsignedSenderDevice',
};

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

/** One item of the timeline: its sender, shield, time and text, with report and delete. */
export function Message({
  item,
  roomId,
  coordinator,
}: {
  item: TimelineItem;
  roomId: string;
  coordinator: boolean;
}): ReactNode {
  const { http, session } = useSession();
  const { me, rooms } = useAccount();
  const cohortId = rooms.find((r) => r.room_id === roomId)?.cohort_id;
  const { t, time } = useI18n();
  const [mode, setMode] = useState<'none' | 'report' | 'redact'>('none');
  const [reason, setReason] = useState('');
  const [reported, setReported] = useState(false);
  const action = useAction();
  const own = item.sender === me?.user_id;
  const name = localpart(item.sender);
  const shown = 'sent_at' in item && item.sent_at !== undefined ? item.sent_at : item.ts;
  let body: ReactNode;
  let kind = 'msg';
  if ('redacted' in item) {
    body = <em className="muted">{t('chat.redacted')}</em>;
    kind = 'msg redacted';
  } else if ('reason' in item) {
    body = <em className="utd">{t(UTD_KEYS[item.reason] ?? 'utd.Unknown')}</em>;
    kind = 'msg undecryptable';
  } else if (item.file) {
    body = <FileView content={item.file} />;
    kind = 'msg has-file';
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
        <time dateTime={new Date(shown).toISOString()}>{time(shown)}</time>
        {own && readable && <span className="state">{t('chat.sent')}</span>}
      </div>
      {body}
      {readable && (
        <div className="msg-actions" role="group" aria-label={t('chat.actions')}>
          {!own && !reported && 'body' in item && cohortId && (
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
              .run(async () => {
                // The evidence (this device's reading of the message, and the reason) is encrypted
                // for the cohort's coordinators only: the hub stores it without reading it.
                if (!session || !cohortId || !('body' in item)) throw new Error(t('reports.cannotReport'));
                await session.reports.file(cohortId, item, reason.trim());
              })
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
