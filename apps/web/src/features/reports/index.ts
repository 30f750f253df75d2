// Reports: the coordinators' queue of reported messages (with the evidence decrypted on their
// device) and a member's own reports with their status.
export { MyReports } from './MyReports';
export { ReportsQueue } from './ReportsQueue';
