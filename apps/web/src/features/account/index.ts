// The account: password, second factor, the way to what the hub knows about me, deletion; for
// admins the hub's settings and remote sign-out. TotpSetup is shared with the second-factor screen
// of features/auth.
export { AccountView } from './AccountView';
export { TotpSetup } from './TotpSetup';
