// What the hub knows about me: everything the hub holds about the person in a form it can read
// (GET /account/export), shown part by part as the hub sends it, and downloadable as JSON.
export { PrivacyView } from './PrivacyView';
