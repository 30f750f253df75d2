import { Body, Controller, Delete, Get, Header, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { EventAttendanceResponse, EventInfo, OccurrenceInfo, OccurrencesResponse } from '@hearth/protocol';
import { Auth, AuthContext } from '../common/auth/auth-context';
import { EmptyBodyPipe } from '../common/http/empty-body.pipe';
import { CalendarService } from './calendar.service';
import {
  CreateEventDto,
  EditOccurrenceDto,
  EndSeriesDto,
  EventAttendanceDto,
  IcsQueryDto,
  RangeQueryDto,
  UpdateEventDto,
} from './dto/scheduling.dto';
import { eventInfo, TrainingsService } from './trainings.service';

/** Cohort trainings: coordinators change them, members see them. */
@Controller('cohorts/:cohortId/events')
export class TrainingsController {
  constructor(
    private readonly trainings: TrainingsService,
    private readonly calendar: CalendarService,
  ) {}

  @Post()
  create(
    @Auth() auth: AuthContext,
    @Param('cohortId') cohortId: string,
    @Body() dto: CreateEventDto,
  ): Promise<EventInfo> {
    return this.trainings.create(auth, cohortId, dto);
  }

  /** The events and their occurrences in [from, to), in UTC and in `tz`. */
  @Get()
  list(
    @Auth() auth: AuthContext,
    @Param('cohortId') cohortId: string,
    @Query() q: RangeQueryDto,
  ): Promise<OccurrencesResponse> {
    return this.trainings.list(auth, cohortId, q);
  }

  @Get(':eventId')
  async get(
    @Auth() auth: AuthContext,
    @Param('cohortId') cohortId: string,
    @Param('eventId') eventId: string,
  ): Promise<EventInfo> {
    return eventInfo(await this.trainings.get(auth, cohortId, eventId));
  }

  /** The whole series. */
  @Patch(':eventId')
  update(
    @Auth() auth: AuthContext,
    @Param('cohortId') cohortId: string,
    @Param('eventId') eventId: string,
    @Body() dto: UpdateEventDto,
  ): Promise<EventInfo> {
    return this.trainings.update(auth, cohortId, eventId, dto);
  }

  @Delete(':eventId')
  @HttpCode(204)
  remove(
    @Auth() auth: AuthContext,
    @Param('cohortId') cohortId: string,
    @Param('eventId') eventId: string,
    @Body(EmptyBodyPipe) _body: undefined,
  ): Promise<void> {
    return this.trainings.remove(auth, cohortId, eventId);
  }

  /** One occurrence, by its original local start: moved, resized, cancelled or restored. */
  @Patch(':eventId/occurrences/:occurrence')
  editOccurrence(
    @Auth() auth: AuthContext,
    @Param('cohortId') cohortId: string,
    @Param('eventId') eventId: string,
    @Param('occurrence') occurrence: string,
    @Body() dto: EditOccurrenceDto,
  ): Promise<OccurrenceInfo> {
    return this.trainings.editOccurrence(auth, cohortId, eventId, occurrence, dto);
  }

  /** Cancels the rest of the series from an occurrence on. */
  @Post(':eventId/end')
  @HttpCode(200)
  end(
    @Auth() auth: AuthContext,
    @Param('cohortId') cohortId: string,
    @Param('eventId') eventId: string,
    @Body() dto: EndSeriesDto,
  ): Promise<EventInfo> {
    return this.trainings.endSeries(auth, cohortId, eventId, dto);
  }

  @Put(':eventId/occurrences/:occurrence/attendance')
  putAttendance(
    @Auth() auth: AuthContext,
    @Param('cohortId') cohortId: string,
    @Param('eventId') eventId: string,
    @Param('occurrence') occurrence: string,
    @Body() dto: EventAttendanceDto,
  ): Promise<EventAttendanceResponse> {
    return this.trainings.putAttendance(auth, cohortId, eventId, occurrence, dto);
  }

  @Get(':eventId/occurrences/:occurrence/attendance')
  attendance(
    @Auth() auth: AuthContext,
    @Param('cohortId') cohortId: string,
    @Param('eventId') eventId: string,
    @Param('occurrence') occurrence: string,
  ): Promise<EventAttendanceResponse> {
    return this.trainings.attendance(auth, cohortId, eventId, occurrence);
  }

  /** Its occurrences of the last month and the next year; content-free unless `?details=true`. */
  @Get(':eventId/calendar.ics')
  @Header('Content-Type', 'text/calendar; charset=utf-8')
  ics(
    @Auth() auth: AuthContext,
    @Param('cohortId') cohortId: string,
    @Param('eventId') eventId: string,
    @Query() q: IcsQueryDto,
  ): Promise<string> {
    return this.calendar.eventIcs(auth, cohortId, eventId, q.details === 'true');
  }
}
