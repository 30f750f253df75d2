import { ReactNode } from 'react';
import { PasswordConfirmCard } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useHub } from '../../state/hooks';

/**
 * Panic, asked for with the password: this browser is erased at once and the hub revokes every
 * device and token of the account (the panic screen then follows the hub's side).
 */
export function PanicForm(): ReactNode {
  const hub = useHub();
  const { t } = useI18n();
  return (
    <PasswordConfirmCard
      id="panic"
      title={t('panic.title')}
      body={t('panic.body')}
      confirm={t('panic.confirm')}
      button={t('panic.button')}
      onConfirm={(password) => hub.panic(password)}
    />
  );
}
