import { FollowupCounts as Counts } from '@hearth/protocol';
import { ReactNode } from 'react';
import { useI18n } from '../../shared/i18n';

/** A training's counts in one line. */
export function FollowupCounts({ counts }: { counts: Counts }): ReactNode {
  const { t } = useI18n();
  return (
    <p className="followup-counts">
      {t('fu.counts', {
        sent: String(counts.sent),
        answered: String(counts.answered),
        help: String(counts.help_requested),
        shared: String(counts.shared_as_evidence),
      })}
    </p>
  );
}
