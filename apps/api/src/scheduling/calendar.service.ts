import { Inject, Injectable } from '@nestjs/common';
import { CalendarEntry, toIcs, toLocalIso, toUtcIso } from '@hearth/scheduling';
import { CalendarFeedResponse, CalendarItem, CalendarResponse, ErrorCode } from '@hearth/protocol';
import { createHash, randomBytes } from 'node:crypto';
import { AuthContext } from '../common/auth/auth-context';
import { HearthException } from '../common/errors/hearth.exception';
import { canonicalTimeZone } from '../common/time/calendar';
import { CohortAccessService, isUuid, notFound } from '../cohorts/cohort-access.service';
import { HUB_CONFIG, HubConfig } from '../config/config';
import { RangeQueryDto } from './dto/scheduling.dto';
import { occurrencesOf } from './trainings.service';
import { TrainingRow, SchedulingRepository, SessionRow } from './scheduling.repository';
import { nowOf } from '../common/time/clock';
import { range } from '../common/time/instants';

const DAY = 24 * 3600_000;
/** What a feed or an event's .ics holds: the last month and the next year. */
const EXPORT_PAST = 31 * DAY;
const EXPORT_AHEAD = 366 * DAY;

const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/**
 * The viewer's calendar (their sessions and their cohorts' trainings), `.ics` files and a private
 * feed. Exports say nothing by default — "Hearth session", "Hearth training", no names, no
 * titles — because a calendar synced to a phone or a cloud account is read by others.
 */
@Injectable()
export class CalendarService {
  constructor(
    private readonly repo: SchedulingRepository,
    private readonly access: CohortAccessService,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  async calendar(auth: AuthContext, q: RangeQueryDto): Promise<CalendarResponse> {
    const { from, to } = range(q.from, q.to, 400, nowOf(this.config));
    const zone = q.tz ? canonicalTimeZone(q.tz, 'tz') : 'UTC';
    const sessions = await this.repo.sessionsOfUser(auth.userUuid, new Date(from), new Date(to));
    const events = await this.repo.eventsOfCohorts(await this.repo.cohortsOf(auth.userUuid));
    const items: CalendarItem[] = [
      ...sessions.map((s) => this.sessionItem(s, auth.userUuid, zone)),
      ...occurrencesOf(events, from, to, zone).map((o): CalendarItem => ({
        kind: 'training',
        id: o.event_id,
        occurrence: o.occurrence,
        title: o.title,
        cohort_id: o.cohort_id,
        start: o.start,
        end: o.end,
        start_local: o.start_local,
        end_local: o.end_local,
        cancelled: o.cancelled,
      })),
    ];
    items.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
    return { timezone: zone, items };
  }

  async sessionIcs(auth: AuthContext, sessionId: string, details: boolean): Promise<string> {
    const s = isUuid(sessionId) ? await this.repo.findSession(sessionId) : null;
    if (!s || (s.mentor_id !== auth.userUuid && s.participant_id !== auth.userUuid)) throw notFound('No such session');
    return toIcs('Hearth', [this.sessionEntry(s, auth.userUuid, details)]);
  }

  async eventIcs(auth: AuthContext, cohortId: string, eventId: string, details: boolean): Promise<string> {
    await this.access.member(auth, cohortId);
    const e = isUuid(eventId) ? await this.repo.findEvent(cohortId, eventId) : null;
    if (!e) throw notFound('No such event');
    const now = nowOf(this.config);
    return toIcs('Hearth', this.eventEntries([e], now - EXPORT_PAST, now + EXPORT_AHEAD, details));
  }

  /** A new secret feed URL (any previous one stops working). */
  async createFeed(auth: AuthContext, details: boolean, origin: string): Promise<CalendarFeedResponse> {
    const token = randomBytes(32).toString('base64url');
    await this.repo.putFeed(auth.userUuid, hashToken(token), details);
    // Behind a TLS proxy the request says http:// and an inner host: the server name is the public one.
    const fallback = this.config.trustProxyHops > 0 ? `https://${this.config.serverName}` : origin;
    const base = (this.config.publicUrl ?? fallback).replace(/\/+$/, '');
    return { url: `${base}/api/v1/calendar/feed/${token}.ics` };
  }

  async revokeFeed(auth: AuthContext): Promise<void> {
    if (!(await this.repo.deleteFeed(auth.userUuid))) throw notFound('No calendar feed');
  }

  /** The feed behind a secret URL; an unknown or revoked secret is 404 like any missing page. */
  async feed(token: string): Promise<string> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) throw notFound('No such feed');
    const feed = await this.repo.feedByHash(hashToken(token));
    if (!feed) throw notFound('No such feed');
    const now = nowOf(this.config);
    const from = now - EXPORT_PAST;
    const to = now + EXPORT_AHEAD;
    const sessions = await this.repo.sessionsOfUser(feed.user_id, new Date(from), new Date(to));
    const events = await this.repo.eventsOfCohorts(await this.repo.cohortsOf(feed.user_id));
    return toIcs('Hearth', [
      ...sessions.map((s) => this.sessionEntry(s, feed.user_id, feed.details)),
      ...this.eventEntries(events, from, to, feed.details),
    ]);
  }

  private sessionItem(s: SessionRow, viewer: string, zone: string): CalendarItem {
    const other = s.mentor_id === viewer ? s.participant_username : s.mentor_username;
    return {
      kind: 'session',
      id: s.id,
      with: this.access.userId(other),
      mentorship_id: s.mentorship_id,
      cohort_id: s.cohort_id,
      start: toUtcIso(s.starts_at.getTime()),
      end: toUtcIso(s.ends_at.getTime()),
      start_local: toLocalIso(s.starts_at.getTime(), zone),
      end_local: toLocalIso(s.ends_at.getTime(), zone),
      cancelled: s.status === 'cancelled',
    };
  }

  private sessionEntry(s: SessionRow, viewer: string, details: boolean): CalendarEntry {
    const other = s.mentor_id === viewer ? s.participant_username : s.mentor_username;
    return {
      // No domain: the hub's name would travel into synced phone and cloud calendars.
      uid: `session-${s.id}@hearth`,
      start: s.starts_at.getTime(),
      end: s.ends_at.getTime(),
      summary: details ? `Coaching session with ${other}` : 'Hearth session',
      cancelled: s.status === 'cancelled',
    };
  }

  private eventEntries(events: TrainingRow[], from: number, to: number, details: boolean): CalendarEntry[] {
    return occurrencesOf(events, from, to, 'UTC').map((o) => ({
      uid: `training-${o.event_id}-${o.occurrence.replace(':', '')}@hearth`,
      start: Date.parse(o.start),
      end: Date.parse(o.end),
      summary: details ? o.title : 'Hearth training',
      cancelled: o.cancelled,
    }));
  }

  /** `feed/<token>.ics` → the token. */
  static tokenOf(file: string): string {
    if (!file.endsWith('.ics')) throw new HearthException(ErrorCode.NotFound, 'No such feed');
    return file.slice(0, -4);
  }
}
