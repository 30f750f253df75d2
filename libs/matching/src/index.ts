/** Mentor matching: pure, deterministic, no Nest, no database (DESIGN.md, "Mentoring"). */
export * from './types';
export { match, freePlaces } from './match';
export {
  violations,
  scorePair,
  loadPenalty,
  weekIntervals,
  overlapMinutes,
  referenceWeek,
  POINTS,
  LOAD_STEP,
} from './scoring';
export { MinCostFlow } from './min-cost-flow';
