import { CurriculumApi } from './curriculum';

/**
 * The HTTP half of the Hearth client SDK. One instance is one device: `register` or
 * `login` creates the device and keeps its token; `logout` and `panic` forget it.
 *
 * Its methods live with their API area (http/account.ts, cohorts.ts, rooms.ts, mentoring.ts,
 * scheduling.ts, progress.ts, surveys.ts, media.ts, curriculum.ts), each a class stacked on ClientCore (http/core.ts).
 */
export class HearthClient extends CurriculumApi {}
