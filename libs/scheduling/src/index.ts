/** Time logic of scheduling: pure, no Nest, no database; Luxon for zones, rrule, ical-generator. */
export * from './types';
export { freeSlots, unfit, localInstant, toLocalIso, toUtcIso, MINUTE } from './slots';
export type { Unfit } from './slots';
export {
  checkSeries,
  expand,
  isOccurrence,
  parseRule,
  RecurrenceError,
  LOCAL_DATETIME,
  MAX_OCCURRENCES,
  seriesOfStored,
} from './recurrence';
export type { StoredSeries } from './recurrence';
export { toIcs } from './ics';
export { offsetMinutes, instantToWall, wallToInstant } from './zone';
export type { CalendarEntry } from './ics';
export {
  DEFAULT_EXPECTED_HOURS,
  hoursOf,
  MONTH,
  monthFigures,
  monthOf,
  monthsBetween,
  monthSpan,
  participationMinutes,
} from './participation';
export type {
  ActivityTimeFact,
  MinutesByMonth,
  MonthFigures,
  SessionAttendanceFact,
  TrainingAttendance,
} from './participation';
export { followupDaysProblem, occurrenceStart, planFollowups, SERIES_SCOPE } from './followups';
export type { FollowupTraining, PlannedCheckin, PresentAt } from './followups';
