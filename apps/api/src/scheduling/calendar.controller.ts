import { Body, Controller, Delete, Get, Header, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { CalendarFeedResponse, CalendarResponse } from '@hearth/protocol';
import type { Request } from 'express';
import { Auth, AuthContext } from '../common/auth/auth-context';
import { Public } from '../common/auth/public.decorator';
import { EmptyBodyPipe } from '../common/http/empty-body.pipe';
import { CalendarService } from './calendar.service';
import { CalendarFeedDto, RangeQueryDto } from './dto/scheduling.dto';

@Controller('calendar')
export class CalendarController {
  constructor(private readonly calendar: CalendarService) {}

  /** One's sessions and cohort trainings in [from, to), in UTC and in `tz`. */
  @Get()
  get(@Auth() auth: AuthContext, @Query() q: RangeQueryDto): Promise<CalendarResponse> {
    return this.calendar.calendar(auth, q);
  }

  /** A new private feed URL; the previous one stops working. */
  @Post('feed')
  createFeed(
    @Auth() auth: AuthContext,
    @Body() dto: CalendarFeedDto,
    @Req() req: Request,
  ): Promise<CalendarFeedResponse> {
    return this.calendar.createFeed(auth, dto.details ?? false, `${req.protocol}://${req.get('host') ?? 'localhost'}`);
  }

  @Delete('feed')
  @HttpCode(204)
  revokeFeed(@Auth() auth: AuthContext, @Body(EmptyBodyPipe) _body: undefined): Promise<void> {
    return this.calendar.revokeFeed(auth);
  }

  /** Read by calendar applications with the secret in the URL (reviewed in the route test). */
  @Public()
  @Get('feed/:file')
  @Header('Content-Type', 'text/calendar; charset=utf-8')
  feed(@Param('file') file: string): Promise<string> {
    return this.calendar.feed(CalendarService.tokenOf(file));
  }
}
