import {
  AvailabilityResponse,
  AvailabilityShape,
  BookSessionRequest,
  CalendarFeedResponse,
  CalendarResponse,
  CoachingSessionResponse,
  CreateEventRequest,
  EditOccurrenceRequest,
  EventAttendance,
  EventAttendanceResponse,
  EventInfo,
  NotificationSettings,
  NotificationsResponse,
  OccurrenceInfo,
  OccurrencesResponse,
  ParticipationResponse,
  RescheduleSessionRequest,
  SessionAttendance,
  SessionsResponse,
  SlotsResponse,
  UpdateEventRequest,
} from '@hearth/protocol';
import { MentoringApi } from './mentoring';
import { enc, PageOptions, query } from './core';

/** Scheduling: availability, coaching sessions, cohort events, the calendar and notifications. */
export abstract class SchedulingApi extends MentoringApi {
  /** A mentor's own weekly hours, overrides, buffer, notice, horizon and load caps. */
  putAvailability(av: AvailabilityShape): Promise<AvailabilityResponse> {
    return this.request('PUT', '/scheduling/availability', av);
  }

  availability(): Promise<AvailabilityResponse> {
    return this.request('GET', '/scheduling/availability');
  }

  slots(
    mentorshipId: string,
    q: { from: string; to: string; duration_minutes: number; step_minutes?: number },
  ): Promise<SlotsResponse> {
    return this.request('GET', `/mentorships/${enc(mentorshipId)}/slots${query(q)}`);
  }

  bookSession(mentorshipId: string, req: BookSessionRequest): Promise<CoachingSessionResponse> {
    return this.request('POST', `/mentorships/${enc(mentorshipId)}/sessions`, req);
  }

  sessions(mentorshipId: string): Promise<SessionsResponse> {
    return this.request('GET', `/mentorships/${enc(mentorshipId)}/sessions`);
  }

  coachingSession(sessionId: string): Promise<CoachingSessionResponse> {
    return this.request('GET', `/sessions/${enc(sessionId)}`);
  }

  cancelSession(sessionId: string, reason?: string): Promise<CoachingSessionResponse> {
    return this.request('POST', `/sessions/${enc(sessionId)}/cancel`, reason ? { reason } : {});
  }

  /** → the new session; the old one is cancelled and points to it. */
  rescheduleSession(sessionId: string, req: RescheduleSessionRequest): Promise<CoachingSessionResponse> {
    return this.request('POST', `/sessions/${enc(sessionId)}/reschedule`, req);
  }

  recordAttendance(sessionId: string, attendance: SessionAttendance): Promise<CoachingSessionResponse> {
    return this.request('PUT', `/sessions/${enc(sessionId)}/attendance`, { attendance });
  }

  createEvent(cohortId: string, req: CreateEventRequest): Promise<EventInfo> {
    return this.request('POST', `/cohorts/${enc(cohortId)}/events`, req);
  }

  events(cohortId: string, q: { from: string; to: string; tz?: string }): Promise<OccurrencesResponse> {
    return this.request('GET', `/cohorts/${enc(cohortId)}/events${query(q)}`);
  }

  event(cohortId: string, eventId: string): Promise<EventInfo> {
    return this.request('GET', `/cohorts/${enc(cohortId)}/events/${enc(eventId)}`);
  }

  updateEvent(cohortId: string, eventId: string, req: UpdateEventRequest): Promise<EventInfo> {
    return this.request('PATCH', `/cohorts/${enc(cohortId)}/events/${enc(eventId)}`, req);
  }

  async deleteEvent(cohortId: string, eventId: string): Promise<void> {
    await this.request('DELETE', `/cohorts/${enc(cohortId)}/events/${enc(eventId)}`);
  }

  editOccurrence(
    cohortId: string,
    eventId: string,
    occurrence: string,
    req: EditOccurrenceRequest,
  ): Promise<OccurrenceInfo> {
    return this.request(
      'PATCH',
      `/cohorts/${enc(cohortId)}/events/${enc(eventId)}/occurrences/${enc(occurrence)}`,
      req,
    );
  }

  /** Cancels `fromOccurrence` and every later occurrence. */
  endSeries(cohortId: string, eventId: string, fromOccurrence: string): Promise<EventInfo> {
    return this.request('POST', `/cohorts/${enc(cohortId)}/events/${enc(eventId)}/end`, {
      from_occurrence: fromOccurrence,
    });
  }

  recordEventAttendance(
    cohortId: string,
    eventId: string,
    occurrence: string,
    userId: string,
    status: EventAttendance,
  ): Promise<EventAttendanceResponse> {
    return this.request(
      'PUT',
      `/cohorts/${enc(cohortId)}/events/${enc(eventId)}/occurrences/${enc(occurrence)}/attendance`,
      { user_id: userId, status },
    );
  }

  eventAttendance(cohortId: string, eventId: string, occurrence: string): Promise<EventAttendanceResponse> {
    return this.request(
      'GET',
      `/cohorts/${enc(cohortId)}/events/${enc(eventId)}/occurrences/${enc(occurrence)}/attendance`,
    );
  }

  /** One's own participation hours per month (`YYYY-MM`, the cohort's zone). */
  myParticipation(cohortId: string, q: { from?: string; to?: string } = {}): Promise<ParticipationResponse> {
    return this.request('GET', `/cohorts/${enc(cohortId)}/participation/me${query(q)}`);
  }

  /** Coordinators: every participant's hours per month. */
  participation(cohortId: string, q: { from?: string; to?: string } = {}): Promise<ParticipationResponse> {
    return this.request('GET', `/cohorts/${enc(cohortId)}/participation${query(q)}`);
  }

  /** Coordinators: the hours a month the cohort expects of each participant (audited). */
  setExpectedHours(cohortId: string, expectedHours: number): Promise<ParticipationResponse> {
    return this.request('PUT', `/cohorts/${enc(cohortId)}/participation/expectation`, {
      expected_hours: expectedHours,
    });
  }

  calendar(q: { from: string; to: string; tz?: string }): Promise<CalendarResponse> {
    return this.request('GET', `/calendar${query(q)}`);
  }

  createCalendarFeed(details = false): Promise<CalendarFeedResponse> {
    return this.request('POST', '/calendar/feed', details ? { details } : {});
  }

  async revokeCalendarFeed(): Promise<void> {
    await this.request('DELETE', '/calendar/feed');
  }

  notifications(page: PageOptions = {}): Promise<NotificationsResponse> {
    return this.request('GET', `/notifications${query(page)}`);
  }

  async markNotificationsRead(upTo: string): Promise<void> {
    await this.request('POST', '/notifications/read', { up_to: upTo });
  }

  notificationSettings(): Promise<NotificationSettings> {
    return this.request('GET', '/notifications/settings');
  }

  putNotificationSettings(settings: NotificationSettings): Promise<NotificationSettings> {
    return this.request('PUT', '/notifications/settings', settings);
  }
}
