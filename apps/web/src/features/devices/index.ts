// This account's devices: verifying them with emoji, signing them out; signing out of this one.
export { Devices } from './Devices';
export { VerificationDialog } from './VerificationDialog';
