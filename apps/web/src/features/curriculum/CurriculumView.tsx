import type { ProgressParticipant } from '@hearth/protocol';
import { ReactNode } from 'react';
import { ErrorLine } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useResource } from '../../shared/resource';
import { useSession } from '../../state/hooks';
import { Authoring } from './Authoring';
import { CompletionReport } from './CompletionReport';
import { ModuleList } from './ModuleList';
import { ParticipantsPanel } from './ParticipantsPanel';
import { ThisWeekPanel } from './ThisWeekPanel';
import { useCurriculum } from './use-curriculum';

/**
 * A cohort's curriculum: for a participant, their week and the modules to work through; for
 * coordinators and mentors, the editor and the participants' progress with answers to read; for
 * coordinators, the share of activities completed.
 */
export function CurriculumView({ cohortId }: { cohortId: string }): ReactNode {
  const { http } = useSession();
  const { t } = useI18n();
  const state = useCurriculum(cohortId);
  const { cohort, data } = state;
  const participant = cohort?.role === 'participant';
  // A participant's own progress room (for their answers) and outcomes (to attach one as evidence).
  const own = useResource<ProgressParticipant | null>(
    participant ? async () => (await http.progress(cohortId)).participants[0] ?? null : null,
    [cohortId, participant, http],
    null,
  );
  if (!cohort) return <p>{t('app.loading')}</p>;
  const author = cohort.role === 'coordinator' || cohort.role === 'mentor';
  const curriculum = data.value;
  return (
    <>
      <h1>{t('cur.title')}</h1>
      <p className="muted">{cohort.name}</p>
      <p className="hint">{t('cur.intro')}</p>
      <div className="actions">
        <button type="button" onClick={data.reload} disabled={data.busy}>
          {t('cur.refresh')}
        </button>
      </div>
      <ErrorLine error={data.error} />
      {state.unreadable && (
        <p className="notice" role="status">
          {t('cur.unreadable')}
        </p>
      )}
      {curriculum && participant && <ThisWeekPanel curriculum={curriculum} texts={state.texts} />}
      {curriculum && (
        <ModuleList
          curriculum={curriculum}
          texts={state.texts}
          participant={participant ? own.value : null}
          onProgress={state.setMine}
        />
      )}
      {curriculum && author && <Authoring state={state} curriculum={curriculum} />}
      {curriculum && author && <ParticipantsPanel cohortId={cohortId} curriculum={curriculum} texts={state.texts} />}
      {cohort.role === 'coordinator' && <CompletionReport cohortId={cohortId} changes={curriculum} />}
    </>
  );
}
