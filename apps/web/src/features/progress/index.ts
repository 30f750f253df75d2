// Progress: outcomes and success markers (texts end-to-end encrypted in each participant's progress
// room, statuses on the hub), evidence, and the coordinators' reviews and report.
export { ProgressView } from './ProgressView';
