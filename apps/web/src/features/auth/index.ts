// Entering the app: signing in or registering, unlocking this browser's device, and the second
// factor a hub may require before anything else.
export { SecondFactorRequired } from './SecondFactorRequired';
export { Unlock } from './Unlock';
export { Welcome } from './Welcome';
