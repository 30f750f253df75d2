import {
  CreateOutcomeRequest,
  CreateSurveyRequest,
  MarkerLevel,
  MarkerStatus,
  OutcomeInfo,
  ProgressResponse,
  ReportBasis,
  ReviewInfo,
  ReviewPhase,
  ReviewsResponse,
  SuccessMarkersReport,
  SurveyInfo,
  SurveyResults,
  SurveysResponse,
  SurveyTokenResponse,
  AcceptInviteResponse,
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
  RescheduleSessionRequest,
  SessionAttendance,
  SessionsResponse,
  SlotsResponse,
  UpdateEventRequest,
  ApproveMatchingRequest,
  ApproveMatchingResponse,
  MatchingRunRequest,
  MatchingRunResponse,
  MentorProfile,
  MentorProfileResponse,
  MentorshipInfo,
  MentorshipsResponse,
  ParticipantNeeds,
  ParticipantNeedsResponse,
  AuditResponse,
  CohortInviteResponse,
  CohortListResponse,
  CohortResponse,
  CreateCohortRequest,
  CreateInviteRequest,
  CreateRoomRequest,
  InviteListResponse,
  MemberInfo,
  MembersResponse,
  MessagesResponse,
  OrganizationInfo,
  OrganizationsResponse,
  RoomMembersResponse,
  RoomsResponse,
  UpdateCohortRequest,
  UpdateMemberRequest,
  ChangePasswordRequest,
  DevicesResponse,
  ErrorBody,
  HubSettings,
  DisableSecondFactorRequest,
  ReauthRequest,
  RecoveryCodesResponse,
  TotpSetupResponse,
  ErrorCode,
  HealthResponse,
  LoginRequest,
  MeResponse,
  RegisterRequest,
  SessionResponse,
  SetupStateResponse,
  isErrorBody,
} from '@hearth/protocol';

/** An error answered by the hub, with its `errcode`. */
export class HearthApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
  ) {
    super(`${status} ${body.errcode}: ${body.error}`);
  }

  get errcode(): ErrorCode {
    return this.body.errcode;
  }
}

export interface Session {
  userId: string;
  deviceId: string;
  accessToken: string;
}

export interface CreatedInvite {
  code: string;
  purpose: string;
  max_uses: number;
  expires_at: string;
}

export interface PageOptions {
  from?: string;
  limit?: number;
}

const enc = encodeURIComponent;

/** How long a request may go unanswered; long polls pass their own, longer, limit. */
export const REQUEST_TIMEOUT_MS = 30_000;

function query(params: object): string {
  const entries = Object.entries(params)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]): [string, string] => [k, String(v)]);
  return entries.length ? `?${new URLSearchParams(entries).toString()}` : '';
}

/**
 * The HTTP half of the Hearth client SDK. One instance is one device: `register` or
 * `login` creates the device and keeps its token; `logout` and `panic` forget it.
 */
export class HearthClient {
  private current: Session | null;

  constructor(
    readonly baseUrl: string,
    session: Session | null = null,
    /** Sent with every request (e.g. a header a proxy in front of the hub requires). */
    private readonly extraHeaders: Record<string, string> = {},
  ) {
    this.current = session;
  }

  get session(): Session | null {
    return this.current;
  }

  async register(req: RegisterRequest): Promise<Session> {
    return this.adopt(await this.request<SessionResponse>('POST', '/auth/register', req, false));
  }

  async login(req: LoginRequest): Promise<Session> {
    return this.adopt(await this.request<SessionResponse>('POST', '/auth/login', req, false));
  }

  async logout(): Promise<void> {
    await this.request<void>('POST', '/auth/logout');
    this.current = null;
  }

  me(): Promise<MeResponse> {
    return this.request<MeResponse>('GET', '/account/me');
  }

  devices(): Promise<DevicesResponse> {
    return this.request<DevicesResponse>('GET', '/devices');
  }

  /** Removes a device of this account (a lost phone, say); the password is asked again. */
  async deleteDevice(deviceId: string, password: string): Promise<void> {
    await this.request<void>('DELETE', `/devices/${encodeURIComponent(deviceId)}`, { password });
    if (deviceId === this.current?.deviceId) this.current = null;
  }

  /** Admins: ends every session (device and token) of one person, confirmed with the admin's password. */
  async endSessionsOf(username: string, password: string): Promise<void> {
    await this.request<void>('DELETE', `/admin/users/${encodeURIComponent(username)}/sessions`, { password });
  }

  /** Revokes every device and token of the account. Local keys are the caller's to wipe. */
  async panic(password: string): Promise<void> {
    await this.request<void>('POST', '/account/panic', { password });
    this.current = null;
  }

  /** Other devices are signed out unless `logout_devices` is false. */
  async changePassword(req: ChangePasswordRequest): Promise<void> {
    await this.request<void>('POST', '/account/password', req);
  }

  /** Deletes the account for good: its cohorts see a former member; the name is never given out again. */
  async deleteAccount(req: ReauthRequest): Promise<void> {
    await this.request<void>('DELETE', '/account', req);
    this.current = null;
  }

  /** Starts TOTP: a secret for the authenticator app, in force once `confirmTotp` succeeds. */
  beginTotp(password: string): Promise<TotpSetupResponse> {
    return this.request('POST', '/account/second-factor/totp', { password });
  }

  /** The first code turns the second factor on; keep the recovery codes (shown once). */
  confirmTotp(code: string, options: { logout_devices?: boolean } = {}): Promise<RecoveryCodesResponse> {
    return this.request('POST', '/account/second-factor/totp/confirm', { code, ...options });
  }

  async disableSecondFactor(req: DisableSecondFactorRequest): Promise<void> {
    await this.request<void>('DELETE', '/account/second-factor', req);
  }

  newRecoveryCodes(req: ReauthRequest): Promise<RecoveryCodesResponse> {
    return this.request('POST', '/account/second-factor/recovery-codes', req);
  }

  /** Admins. */
  hubSettings(): Promise<HubSettings> {
    return this.request('GET', '/hub/settings');
  }

  /** Admins. */
  putHubSettings(settings: HubSettings): Promise<HubSettings> {
    return this.request('PUT', '/hub/settings', settings);
  }

  /** Admins: an invite to create an account on the hub. */
  createInvite(options: { max_uses?: number; expires_in_hours?: number } = {}): Promise<CreatedInvite> {
    return this.request<CreatedInvite>('POST', '/invites', options);
  }

  // Cohorts

  /** Admins. */
  createCohort(req: CreateCohortRequest): Promise<CohortResponse> {
    return this.request('POST', '/cohorts', req);
  }

  cohorts(page: PageOptions = {}): Promise<CohortListResponse> {
    return this.request('GET', `/cohorts${query(page)}`);
  }

  cohort(cohortId: string): Promise<CohortResponse> {
    return this.request('GET', `/cohorts/${enc(cohortId)}`);
  }

  /** Coordinators: move the cohort on to its next phase. */
  updateCohort(cohortId: string, req: UpdateCohortRequest): Promise<CohortResponse> {
    return this.request('PATCH', `/cohorts/${enc(cohortId)}`, req);
  }

  createCohortInvite(cohortId: string, req: CreateInviteRequest): Promise<CohortInviteResponse> {
    return this.request('POST', `/cohorts/${enc(cohortId)}/invites`, req);
  }

  cohortInvites(cohortId: string): Promise<InviteListResponse> {
    return this.request('GET', `/cohorts/${enc(cohortId)}/invites`);
  }

  async revokeInvite(cohortId: string, inviteId: string, reason?: string): Promise<void> {
    await this.request('DELETE', `/cohorts/${enc(cohortId)}/invites/${enc(inviteId)}`, reason ? { reason } : {});
  }

  acceptInvite(code: string): Promise<AcceptInviteResponse> {
    return this.request('POST', `/invites/${enc(code)}/accept`);
  }

  members(cohortId: string, page: PageOptions = {}): Promise<MembersResponse> {
    return this.request('GET', `/cohorts/${enc(cohortId)}/members${query(page)}`);
  }

  /** Coordinators: change a role, mute (`muted_until`) or lift a mute (`null`). */
  updateMember(cohortId: string, userId: string, req: UpdateMemberRequest): Promise<MemberInfo> {
    return this.request('PATCH', `/cohorts/${enc(cohortId)}/members/${enc(userId)}`, req);
  }

  /** Coordinators remove a member; with one's own user id, leave the cohort. */
  async removeMember(cohortId: string, userId: string, reason?: string): Promise<void> {
    await this.request('DELETE', `/cohorts/${enc(cohortId)}/members/${enc(userId)}`, reason ? { reason } : {});
  }

  createOrganization(cohortId: string, name: string): Promise<OrganizationInfo> {
    return this.request('POST', `/cohorts/${enc(cohortId)}/organizations`, { name });
  }

  organizations(cohortId: string): Promise<OrganizationsResponse> {
    return this.request('GET', `/cohorts/${enc(cohortId)}/organizations`);
  }

  auditLog(cohortId: string, page: PageOptions = {}): Promise<AuditResponse> {
    return this.request('GET', `/cohorts/${enc(cohortId)}/audit${query(page)}`);
  }

  // Rooms

  rooms(): Promise<RoomsResponse> {
    return this.request('GET', '/rooms');
  }

  createRoom(cohortId: string, req: CreateRoomRequest): Promise<{ room_id: string }> {
    return this.request('POST', `/cohorts/${enc(cohortId)}/rooms`, req);
  }

  roomMembers(roomId: string): Promise<RoomMembersResponse> {
    return this.request('GET', `/rooms/${enc(roomId)}/members`);
  }

  async addRoomMember(roomId: string, userId: string, reason?: string): Promise<void> {
    await this.request('POST', `/rooms/${enc(roomId)}/members`, { user_id: userId, ...(reason ? { reason } : {}) });
  }

  async removeRoomMember(roomId: string, userId: string, reason?: string): Promise<void> {
    await this.request('DELETE', `/rooms/${enc(roomId)}/members/${enc(userId)}`, reason ? { reason } : {});
  }

  messages(roomId: string, opts: { from?: string; dir?: 'b' | 'f'; limit?: number } = {}): Promise<MessagesResponse> {
    return this.request('GET', `/rooms/${enc(roomId)}/messages${query(opts)}`);
  }

  // Mentoring

  /** A mentor's own profile (the same for every cohort they mentor in). */
  putMentorProfile(profile: MentorProfile): Promise<MentorProfileResponse> {
    return this.request('PUT', '/mentoring/profile', profile);
  }

  mentorProfile(): Promise<MentorProfileResponse> {
    return this.request('GET', '/mentoring/profile');
  }

  async deleteMentorProfile(): Promise<void> {
    await this.request('DELETE', '/mentoring/profile');
  }

  /** A participant's own needs in a cohort. */
  putNeeds(cohortId: string, needs: ParticipantNeeds): Promise<ParticipantNeedsResponse> {
    return this.request('PUT', `/cohorts/${enc(cohortId)}/needs`, needs);
  }

  needs(cohortId: string): Promise<ParticipantNeedsResponse> {
    return this.request('GET', `/cohorts/${enc(cohortId)}/needs`);
  }

  async deleteNeeds(cohortId: string): Promise<void> {
    await this.request('DELETE', `/cohorts/${enc(cohortId)}/needs`);
  }

  /** Coordinators: propose the optimal assignment for those without a mentor. */
  runMatching(cohortId: string, req: MatchingRunRequest = {}): Promise<MatchingRunResponse> {
    return this.request('POST', `/cohorts/${enc(cohortId)}/matching`, req);
  }

  matchingRun(cohortId: string, runId: string): Promise<MatchingRunResponse> {
    return this.request('GET', `/cohorts/${enc(cohortId)}/matching/${enc(runId)}`);
  }

  /** Coordinators: the run's proposals, or exactly `pairs`, become mentorships with their rooms. */
  approveMatching(cohortId: string, runId: string, req: ApproveMatchingRequest = {}): Promise<ApproveMatchingResponse> {
    return this.request('POST', `/cohorts/${enc(cohortId)}/matching/${enc(runId)}/approve`, req);
  }

  /** One's own mentorships, as mentor or mentee, newest first. */
  mentorships(opts: PageOptions & { status?: 'active' | 'ended' } = {}): Promise<MentorshipsResponse> {
    return this.request('GET', `/mentorships${query(opts)}`);
  }

  /** Coordinators: every mentorship of the cohort, with pending re-match requests. */
  cohortMentorships(
    cohortId: string,
    opts: PageOptions & { status?: 'active' | 'ended' } = {},
  ): Promise<MentorshipsResponse> {
    return this.request('GET', `/cohorts/${enc(cohortId)}/mentorships${query(opts)}`);
  }

  mentorship(mentorshipId: string): Promise<MentorshipInfo> {
    return this.request('GET', `/mentorships/${enc(mentorshipId)}`);
  }

  /** Either side asks for another match; the reason goes to the coordinators, not to the other side. */
  requestRematch(mentorshipId: string, reason: string): Promise<MentorshipInfo> {
    return this.request('POST', `/mentorships/${enc(mentorshipId)}/rematch`, { reason });
  }

  endMentorship(mentorshipId: string, reason?: string): Promise<MentorshipInfo> {
    return this.request('POST', `/mentorships/${enc(mentorshipId)}/end`, reason ? { reason } : {});
  }

  // Scheduling

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

  // Progress: outcomes, markers, reviews, reports (texts travel encrypted: see SecureSession)

  /** Coordinators: every participant; a mentor: their mentees; a participant: themselves. */
  progress(cohortId: string, page: PageOptions = {}): Promise<ProgressResponse> {
    return this.request('GET', `/cohorts/${enc(cohortId)}/progress${query(page)}`);
  }

  createOutcome(cohortId: string, req: CreateOutcomeRequest): Promise<OutcomeInfo> {
    return this.request('POST', `/cohorts/${enc(cohortId)}/outcomes`, req);
  }

  outcome(outcomeId: string): Promise<OutcomeInfo> {
    return this.request('GET', `/outcomes/${enc(outcomeId)}`);
  }

  async deleteOutcome(outcomeId: string): Promise<void> {
    await this.request('DELETE', `/outcomes/${enc(outcomeId)}`);
  }

  setMarker(outcomeId: string, level: MarkerLevel, status: MarkerStatus): Promise<OutcomeInfo> {
    return this.request('PATCH', `/outcomes/${enc(outcomeId)}/markers/${enc(level)}`, { status });
  }

  /** Coordinators: freezes every participant's marker statuses for this phase. */
  openReview(cohortId: string, phase: ReviewPhase): Promise<ReviewInfo> {
    return this.request('POST', `/cohorts/${enc(cohortId)}/reviews`, { phase });
  }

  reviews(cohortId: string): Promise<ReviewsResponse> {
    return this.request('GET', `/cohorts/${enc(cohortId)}/reviews`);
  }

  /** One cohort, or several pooled; `review` picks a frozen review (default: statuses now). */
  successMarkers(cohortIds: string[], review?: ReportBasis): Promise<SuccessMarkersReport> {
    return this.request('GET', this.reportPath(cohortIds, review));
  }

  /** The same report as CSV. */
  async successMarkersCsv(cohortIds: string[], review?: ReportBasis): Promise<string> {
    const res = await fetch(`${this.baseUrl}/api/v1${this.reportPath(cohortIds, review)}`, {
      headers: { ...this.extraHeaders, accept: 'text/csv', authorization: `Bearer ${this.current?.accessToken ?? ''}` },
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await res.text();
    if (!res.ok) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        // Not JSON: reported by status.
      }
      throw new HearthApiError(
        res.status,
        isErrorBody(parsed) ? parsed : { errcode: ErrorCode.Unknown, error: `HTTP ${res.status}` },
      );
    }
    return text;
  }

  private reportPath(cohortIds: string[], review?: ReportBasis): string {
    return cohortIds.length === 1
      ? `/cohorts/${enc(cohortIds[0])}/reports/success-markers${query({ review })}`
      : `/reports/success-markers${query({ cohorts: cohortIds.join(','), review })}`;
  }

  // Surveys (obtaining a token and answering: see survey.ts)

  createSurvey(cohortId: string, req: CreateSurveyRequest): Promise<SurveyInfo> {
    return this.request('POST', `/cohorts/${enc(cohortId)}/surveys`, req);
  }

  surveys(cohortId: string, page: PageOptions = {}): Promise<SurveysResponse> {
    return this.request('GET', `/cohorts/${enc(cohortId)}/surveys${query(page)}`);
  }

  survey(surveyId: string): Promise<SurveyInfo> {
    return this.request('GET', `/surveys/${enc(surveyId)}`);
  }

  /** The blind signature over a blinded token: once per participant per survey. */
  surveyBlindSign(surveyId: string, blindedMsg: string): Promise<SurveyTokenResponse> {
    return this.request('POST', `/surveys/${enc(surveyId)}/token`, { blinded_msg: blindedMsg });
  }

  closeSurvey(surveyId: string): Promise<SurveyInfo> {
    return this.request('POST', `/surveys/${enc(surveyId)}/close`, {});
  }

  surveyResults(surveyId: string): Promise<SurveyResults> {
    return this.request('GET', `/surveys/${enc(surveyId)}/results`);
  }

  /** Whether the hub still waits for its first admin (registering with the setup code). */
  setupState(): Promise<SetupStateResponse> {
    return this.request<SetupStateResponse>('GET', '/auth/setup', undefined, false);
  }

  /** Coordinators: deletes a message's ciphertext for everyone. */
  redact(roomId: string, eventId: string, txnId: string, reason?: string): Promise<{ event_id: string }> {
    return this.request('PUT', `/rooms/${enc(roomId)}/redact/${enc(eventId)}/${enc(txnId)}`, reason ? { reason } : {});
  }

  /** Sends a message to the cohort's coordinators' reports queue. */
  async report(roomId: string, eventId: string, reason: string): Promise<void> {
    await this.request('POST', `/rooms/${enc(roomId)}/report/${enc(eventId)}`, { reason });
  }

  health(): Promise<HealthResponse> {
    return this.request<HealthResponse>('GET', '/health', undefined, false);
  }

  private adopt(res: SessionResponse): Session {
    this.current = { userId: res.user_id, deviceId: res.device_id, accessToken: res.access_token };
    return this.current;
  }

  /**
   * Sends one request; answers with the parsed body or throws HearthApiError. A request with no
   * answer within `timeoutMs` fails (a silently dropped connection must not hang a panic).
   */
  async request<T>(
    method: string,
    path: string,
    body?: unknown,
    authenticated = true,
    timeoutMs = REQUEST_TIMEOUT_MS,
  ): Promise<T> {
    const headers: Record<string, string> = { ...this.extraHeaders };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (authenticated && this.current) headers.authorization = `Bearer ${this.current.accessToken}`;
    const res = await fetch(`${this.baseUrl}/api/v1${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // Not JSON (a proxy's error page, say): reported below by status.
    }
    if (!res.ok || (text && parsed === undefined)) {
      throw new HearthApiError(
        res.status,
        isErrorBody(parsed) ? parsed : { errcode: ErrorCode.Unknown, error: `HTTP ${res.status}` },
      );
    }
    return parsed as T;
  }
}
