import { Body, Controller, Get, Header, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { AvailabilityResponse, CoachingSessionResponse, SessionsResponse, SlotsResponse } from '@hearth/protocol';
import { Auth, AuthContext } from '../common/auth/auth-context';
import { CalendarService } from './calendar.service';
import {
  AvailabilityDto,
  BookSessionDto,
  CancelSessionDto,
  IcsQueryDto,
  RescheduleSessionDto,
  SessionAttendanceDto,
  SlotsQueryDto,
} from './dto/scheduling.dto';
import { CoachingSessionsService } from './coaching-sessions.service';

/** A mentor's availability, free slots of a mentorship, coaching sessions. */
@Controller()
export class SchedulingController {
  constructor(
    private readonly sessions: CoachingSessionsService,
    private readonly calendar: CalendarService,
  ) {}

  /** A mentor's own. */
  @Put('scheduling/availability')
  putAvailability(@Auth() auth: AuthContext, @Body() dto: AvailabilityDto): Promise<AvailabilityResponse> {
    return this.sessions.putAvailability(auth, dto);
  }

  @Get('scheduling/availability')
  availability(@Auth() auth: AuthContext): Promise<AvailabilityResponse> {
    return this.sessions.getAvailability(auth);
  }

  /** The two people of an active mentorship. */
  @Get('mentorships/:mentorshipId/slots')
  slots(
    @Auth() auth: AuthContext,
    @Param('mentorshipId') id: string,
    @Query() q: SlotsQueryDto,
  ): Promise<SlotsResponse> {
    return this.sessions.slots(auth, id, q);
  }

  /** Either of the two books; a taken or unavailable time is 409. */
  @Post('mentorships/:mentorshipId/sessions')
  book(
    @Auth() auth: AuthContext,
    @Param('mentorshipId') id: string,
    @Body() dto: BookSessionDto,
  ): Promise<CoachingSessionResponse> {
    return this.sessions.book(auth, id, dto);
  }

  /** The two people and the cohort's coordinators. */
  @Get('mentorships/:mentorshipId/sessions')
  sessionsOf(@Auth() auth: AuthContext, @Param('mentorshipId') id: string): Promise<SessionsResponse> {
    return this.sessions.ofMentorship(auth, id);
  }

  @Get('sessions/:sessionId')
  get(@Auth() auth: AuthContext, @Param('sessionId') id: string): Promise<CoachingSessionResponse> {
    return this.sessions.get(auth, id);
  }

  @Post('sessions/:sessionId/cancel')
  @HttpCode(200)
  cancel(
    @Auth() auth: AuthContext,
    @Param('sessionId') id: string,
    @Body() dto: CancelSessionDto,
  ): Promise<CoachingSessionResponse> {
    return this.sessions.cancel(auth, id, dto.reason ?? null);
  }

  /** → the new session (the old one is cancelled, pointing to it). */
  @Post('sessions/:sessionId/reschedule')
  reschedule(
    @Auth() auth: AuthContext,
    @Param('sessionId') id: string,
    @Body() dto: RescheduleSessionDto,
  ): Promise<CoachingSessionResponse> {
    return this.sessions.reschedule(auth, id, dto);
  }

  @Put('sessions/:sessionId/attendance')
  attendance(
    @Auth() auth: AuthContext,
    @Param('sessionId') id: string,
    @Body() dto: SessionAttendanceDto,
  ): Promise<CoachingSessionResponse> {
    return this.sessions.attendance(auth, id, dto.attendance);
  }

  /** The session as an iCalendar file; content-free unless `?details=true`. */
  @Get('sessions/:sessionId/calendar.ics')
  @Header('Content-Type', 'text/calendar; charset=utf-8')
  ics(@Auth() auth: AuthContext, @Param('sessionId') id: string, @Query() q: IcsQueryDto): Promise<string> {
    return this.calendar.sessionIcs(auth, id, q.details === 'true');
  }
}
