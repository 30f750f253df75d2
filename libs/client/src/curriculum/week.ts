import type { ActivityInfo, ActivityProgress, ModuleInfo } from '@hearth/protocol';

/** An activity with its module and the person's state on it. */
export interface WeekItem {
  activity: ActivityInfo;
  module: ModuleInfo;
  progress: ActivityProgress | null;
  /** Days until it is due (negative: past its day), or null without a due day. */
  days: number | null;
}

/** What "this week" shows, each list in the curriculum's order. */
export interface ThisWeek {
  /** Past their day and not done: shown calmly, for someone who comes back after weeks. */
  overdue: WeekItem[];
  /** Due today or in the next 7 days, not done. */
  due: WeekItem[];
  /** Started, and neither overdue nor due this week. */
  started: WeekItem[];
}

const dayIndex = (day: string): number => Math.round(Date.parse(`${day}T00:00:00Z`) / 86_400_000);

/** Today in a zone, `YYYY-MM-DD` (the curriculum's days are days of the cohort's zone). */
export function todayIn(timezone: string, now: number = Date.now()): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(new Date(now));
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/**
 * The person's week, worked out on this device from the hub's structure and their own states:
 * overdue, due in the next 7 days (today included), and started. Only published modules count.
 */
export function thisWeek(modules: readonly ModuleInfo[], mine: readonly ActivityProgress[], today: string): ThisWeek {
  const state = new Map(mine.map((p) => [p.activity_id, p]));
  const out: ThisWeek = { overdue: [], due: [], started: [] };
  const now = dayIndex(today);
  for (const module of modules) {
    if (module.status !== 'published') continue;
    for (const activity of module.activities) {
      const progress = state.get(activity.activity_id) ?? null;
      if (progress?.status === 'done') continue;
      const days = activity.due_on ? dayIndex(activity.due_on) - now : null;
      const item = { activity, module, progress, days };
      if (days !== null && days < 0) out.overdue.push(item);
      else if (days !== null && days <= 7) out.due.push(item);
      else if (progress?.status === 'started') out.started.push(item);
    }
  }
  return out;
}
