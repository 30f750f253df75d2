import { ANSWER_MAX, CheckinAnswers, EvidenceTarget } from '@hearth/client';
import { CheckinInfo, MARKER_LEVELS, ProgressResponse } from '@hearth/protocol';
import { ReactNode, useId, useState } from 'react';
import { useAction } from '../../shared/action';
import { ErrorLine } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useResource } from '../../shared/resource';
import { useSession } from '../../state/hooks';

const USED: readonly CheckinAnswers['used'][] = ['yes', 'partly', 'no'];

/**
 * The short form of one check-in: the three questions are this client's fixed texts, and the
 * answers never leave the device readable — to the mentor (encrypted) when help is asked for, to
 * the progress room when shared as evidence, otherwise nowhere.
 */
export function CheckinForm({ checkin, done }: { checkin: CheckinInfo; done: (c: CheckinInfo) => void }): ReactNode {
  const { http, session } = useSession();
  const { t } = useI18n();
  const id = useId();
  const action = useAction();
  const [used, setUsed] = useState<CheckinAnswers['used'] | ''>('');
  const [obstacles, setObstacles] = useState('');
  const [wantsHelp, setWantsHelp] = useState(false);
  const [help, setHelp] = useState('');
  const [target, setTarget] = useState('');
  // The participant's own markers, to share the answer on one of them.
  const progress = useResource<ProgressResponse['participants']>(
    async () => (await http.progress(checkin.cohort_id, { limit: 5 })).participants,
    [http, checkin.cohort_id],
    [],
  );
  const markers = progress.value.flatMap((p) =>
    p.outcomes.flatMap((o) => {
      const text = session?.progress.outcomeTexts(p.room_id).get(o.outcome_id)?.outcome;
      return MARKER_LEVELS.map((level) => ({
        key: `${p.room_id}|${o.outcome_id}|${level}`,
        label: `${text ?? t(`domain.${o.domain}`)} · ${t(`progress.level.${level}`)}`,
      }));
    }),
  );
  const submit = (): void => {
    if (!session || !used) return;
    const answers: CheckinAnswers = {
      used,
      obstacles: obstacles.trim(),
      help: wantsHelp ? help.trim() : '',
      wantsHelp,
    };
    void action.run(async () => {
      let after = await session.followups.answer(checkin, answers);
      if (target) {
        const [roomId, outcomeId, level] = target.split('|');
        const to: EvidenceTarget = { roomId, outcomeId, level: level as EvidenceTarget['level'] };
        const body = t('fu.evidence.body', {
          title: checkin.title,
          used: t(`fu.form.used.${used}`),
          obstacles: answers.obstacles || '—',
        });
        after = await session.followups.shareAsEvidence(after, to, body);
      }
      done(after);
    });
  };
  return (
    <form
      className="card checkin-form"
      aria-labelledby={`${id}-title`}
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <h3 id={`${id}-title`}>{t('fu.form.title')}</h3>
      <p className="hint">{t('fu.form.private')}</p>
      <fieldset>
        <legend>{t('fu.form.used')}</legend>
        {USED.map((u) => (
          <label key={u} className="check">
            <input
              type="radio"
              name={`${id}-used`}
              value={u}
              checked={used === u}
              onChange={() => setUsed(u)}
              required
            />{' '}
            {t(`fu.form.used.${u}`)}
          </label>
        ))}
      </fieldset>
      <div className="field">
        <label htmlFor={`${id}-obstacles`}>{t('fu.form.obstacles')}</label>
        <textarea
          id={`${id}-obstacles`}
          value={obstacles}
          dir="auto"
          rows={3}
          maxLength={ANSWER_MAX}
          onChange={(e) => setObstacles(e.target.value)}
        />
      </div>
      <label className="check">
        <input type="checkbox" checked={wantsHelp} onChange={(e) => setWantsHelp(e.target.checked)} />{' '}
        {t('fu.form.wantsHelp')}
      </label>
      {wantsHelp && (
        <>
          <div className="field">
            <label htmlFor={`${id}-help`}>{t('fu.form.help')}</label>
            <textarea
              id={`${id}-help`}
              value={help}
              dir="auto"
              rows={3}
              maxLength={ANSWER_MAX}
              onChange={(e) => setHelp(e.target.value)}
            />
          </div>
          <p className="hint" role="note">
            {checkin.mentorship_room_id ? t('fu.form.toMentor') : t('fu.form.noMentor')}
          </p>
        </>
      )}
      {markers.length > 0 && (
        <div className="field">
          <label htmlFor={`${id}-evidence`}>{t('fu.form.evidence')}</label>
          <select id={`${id}-evidence`} value={target} onChange={(e) => setTarget(e.target.value)}>
            <option value="">{t('fu.form.evidenceNone')}</option>
            {markers.map((m) => (
              <option key={m.key} value={m.key}>
                {m.label}
              </option>
            ))}
          </select>
          {target && <p className="hint">{t('fu.form.evidenceHint')}</p>}
        </div>
      )}
      <button type="submit" className="primary" disabled={action.busy || !used || !session}>
        {t('fu.form.send')}
      </button>
      <ErrorLine error={action.error ?? progress.error} />
    </form>
  );
}
