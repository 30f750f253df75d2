import { EVENT_ATTENDANCE, EventAttendance, MemberInfo } from '@hearth/protocol';
import { ReactNode, useState } from 'react';
import { useAction } from '../../shared/action';
import { localpart } from '../../shared/format';
import { ErrorLine } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useResource } from '../../shared/resource';
import { useSession } from '../../state/hooks';

interface Sheet {
  participants: string[];
  status: Record<string, EventAttendance>;
}

/** Coordinators: the cohort's participants, each present, absent or excused at one occurrence. */
export function TrainingAttendance(props: {
  cohortId: string;
  eventId: string;
  occurrence: string;
  recorded: () => void;
}): ReactNode {
  const { cohortId, eventId, occurrence, recorded } = props;
  const { http } = useSession();
  const { t } = useI18n();
  const action = useAction();
  const [saved, setSaved] = useState(false);
  const sheet = useResource<Sheet>(
    async () => {
      const members: MemberInfo[] = [];
      let from: string | undefined;
      do {
        const page = await http.members(cohortId, { from, limit: 100 });
        members.push(...page.members);
        from = page.next;
      } while (from);
      const { attendance } = await http.eventAttendance(cohortId, eventId, occurrence);
      return {
        participants: members.filter((m) => m.role === 'participant').map((m) => m.user_id),
        status: Object.fromEntries(attendance.map((a) => [a.user_id, a.status])),
      };
    },
    [http, cohortId, eventId, occurrence],
    { participants: [], status: {} },
    action,
  );
  const label: Record<EventAttendance, string> = {
    present: t('att.present'),
    absent: t('att.absent'),
    excused: t('att.excused'),
  };
  return (
    <fieldset className="attendance">
      <legend>{t('att.title')}</legend>
      {sheet.value.participants.length === 0 && !action.busy && <p className="muted">{t('att.none')}</p>}
      <ul className="list">
        {sheet.value.participants.map((p) => (
          <li key={p}>
            <label>
              <span dir="auto">{localpart(p)}</span>{' '}
              <select
                aria-label={t('att.of', { name: localpart(p) })}
                value={sheet.value.status[p] ?? ''}
                onChange={(e) => {
                  const status = e.target.value as EventAttendance;
                  setSaved(false);
                  void action.run(async () => {
                    const res = await http.recordEventAttendance(cohortId, eventId, occurrence, p, status);
                    sheet.set((s) => ({
                      ...s,
                      status: Object.fromEntries(res.attendance.map((a) => [a.user_id, a.status])),
                    }));
                    setSaved(true);
                    recorded();
                  });
                }}
              >
                <option value="" disabled>
                  {t('att.unset')}
                </option>
                {EVENT_ATTENDANCE.map((s) => (
                  <option key={s} value={s}>
                    {label[s]}
                  </option>
                ))}
              </select>
            </label>
          </li>
        ))}
      </ul>
      {saved && (
        <p role="status" className="muted">
          {t('att.saved')}
        </p>
      )}
      <ErrorLine error={action.error} />
    </fieldset>
  );
}
