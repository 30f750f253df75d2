// Secure backup (the recovery key, unlocking a new device, resetting) and confirming a new device.
export { BackupCard } from './BackupCard';
export { BackupOffer } from './BackupOffer';
export { ConfirmIdentity } from './ConfirmIdentity';
export { RecoveryKeyDialog } from './RecoveryKeyDialog';
