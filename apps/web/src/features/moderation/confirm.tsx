import { HearthApiError } from '@hearth/client';
import { ErrorCode } from '@hearth/protocol';
import { ReactNode, useState } from 'react';
import type { MessageKey } from '../../i18n';
import { Action } from '../../shared/action';
import { ErrorLine, Field } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';

/**
 * The hub's refusal in plain words. `conflict`: what a 409 means for this action (the last
 * coordinator, above all), rather than the generic "changed meanwhile".
 */
export function HubError({ error, conflict }: { error: unknown; conflict?: MessageKey }): ReactNode {
  const { t } = useI18n();
  if (conflict && error instanceof HearthApiError && error.errcode === ErrorCode.Conflict) {
    return (
      <p className="error" role="alert">
        {t(conflict)}
      </p>
    );
  }
  return <ErrorLine error={error} />;
}

/**
 * A destructive or far-reaching action, asked again: what will happen, an optional reason for
 * the audit log, Confirm and Cancel. `onConfirm` gets the reason (undefined when left empty).
 */
export function ConfirmForm(props: {
  question: string;
  action: Action;
  onConfirm: (reason: string | undefined) => Promise<void>;
  onCancel: () => void;
  reasonLabel?: string;
  conflict?: MessageKey;
}): ReactNode {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  return (
    <form
      className="confirm"
      onSubmit={(e) => {
        e.preventDefault();
        void props.action.run(() => props.onConfirm(reason.trim() || undefined));
      }}
    >
      <p>{props.question}</p>
      <Field label={props.reasonLabel ?? t('mod.reason')} value={reason} onChange={setReason} />
      <button type="submit" className="danger" disabled={props.action.busy}>
        {t('common.confirm')}
      </button>
      <button type="button" onClick={props.onCancel}>
        {t('common.cancel')}
      </button>
      <HubError error={props.action.error} conflict={props.conflict} />
    </form>
  );
}
