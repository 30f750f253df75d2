import { CohortResponse, REVIEW_PHASES, ReviewInfo, ReviewPhase } from '@hearth/protocol';
import { ReactNode, useState } from 'react';
import { useAction } from '../../shared/action';
import { ConfirmForm, ErrorLine } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useResource } from '../../shared/resource';
import { useSession } from '../../state/hooks';
import { ReportPanel } from './ReportPanel';

/** Coordinators: the reviews, and the report drawn from the statuses now or from a review. */
export function CoordinatorPanels({ cohort, changes }: { cohort: CohortResponse; changes: number }): ReactNode {
  const { http } = useSession();
  const load = useResource(async () => (await http.reviews(cohort.cohort_id)).reviews, [cohort.cohort_id, http], []);
  const { value: reviews, set: setReviews } = load;
  return (
    <>
      <ReviewsPanel cohort={cohort} reviews={reviews} onOpened={(r) => setReviews((rs) => [...rs, r])} />
      <ErrorLine error={load.error} />
      <ReportPanel cohort={cohort} reviews={reviews} changes={changes} />
    </>
  );
}

/** The mid-point and final reviews, each opened once. */
function ReviewsPanel(props: {
  cohort: CohortResponse;
  reviews: ReviewInfo[];
  onOpened: (r: ReviewInfo) => void;
}): ReactNode {
  const { http } = useSession();
  const { t, time } = useI18n();
  const { reviews } = props;
  const [confirming, setConfirming] = useState<ReviewPhase | null>(null);
  const action = useAction();
  return (
    <section className="card" aria-labelledby="reviews-title">
      <h2 id="reviews-title">{t('review.title')}</h2>
      <p className="hint">{t('review.hint')}</p>
      {reviews.length === 0 && <p className="muted">{t('review.none')}</p>}
      <ul className="list">
        {reviews.map((r) => (
          <li key={r.review_id}>
            {t('review.opened', {
              phase: t(`review.phase.${r.phase}`),
              time: time(r.opened_at),
              participants: r.participants,
              markers: r.markers,
            })}
          </li>
        ))}
      </ul>
      <div className="actions">
        {REVIEW_PHASES.map((phase) => (
          <button
            key={phase}
            type="button"
            disabled={action.busy || reviews.some((r) => r.phase === phase)}
            onClick={() => setConfirming(phase)}
            aria-expanded={confirming === phase}
          >
            {t(`review.open.${phase}`)}
          </button>
        ))}
      </div>
      {confirming && (
        <ConfirmForm
          message={t('review.confirm', { phase: t(`review.phase.${confirming}`) })}
          busy={action.busy}
          tone="primary"
          onConfirm={() => {
            void action.run(async () => {
              props.onOpened(await http.openReview(props.cohort.cohort_id, confirming));
              setConfirming(null);
            });
          }}
          onCancel={() => setConfirming(null)}
        />
      )}
      <ErrorLine error={action.error} />
    </section>
  );
}
