// The monthly well-being pulse: the anonymous check-in (a survey's blind-signed ticket, sent later
// without the account), the separate request to talk to one's mentor by name, the mentor's list of
// requests, the monthly totals, and the prompt on a cohort's page.
export { PulsePrompt } from './PulsePrompt';
export { PulseView } from './PulseView';
