import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { MentorshipInfo, MentorshipsResponse, TalkRequestResponse } from '@hearth/protocol';
import { Auth, AuthContext } from '../common/auth/auth-context';
import { toPage } from '../common/http/page';
import { EndMentorshipDto, MentorshipsQueryDto, RematchDto } from './dto/mentoring.dto';
import { MentorshipsService } from './mentorships.service';

/** One's own mentorships; the two people in one, and the cohort's coordinators, act on it. */
@Controller('mentorships')
export class MentorshipsController {
  constructor(private readonly mentorships: MentorshipsService) {}

  @Get()
  mine(@Auth() auth: AuthContext, @Query() q: MentorshipsQueryDto): Promise<MentorshipsResponse> {
    return this.mentorships.mine(auth, toPage(q), q.status);
  }

  @Get(':mentorshipId')
  get(@Auth() auth: AuthContext, @Param('mentorshipId') id: string): Promise<MentorshipInfo> {
    return this.mentorships.get(auth, id);
  }

  /** The mentor or the mentee asks the coordinators for another match. */
  @Post(':mentorshipId/rematch')
  @HttpCode(200)
  rematch(
    @Auth() auth: AuthContext,
    @Param('mentorshipId') id: string,
    @Body() dto: RematchDto,
  ): Promise<MentorshipInfo> {
    return this.mentorships.requestRematch(auth, id, dto.reason);
  }

  /** The mentee asks their mentor to talk: the mentor gets a notice with no words in it. */
  @Post(':mentorshipId/talk')
  @HttpCode(200)
  talk(@Auth() auth: AuthContext, @Param('mentorshipId') id: string): Promise<TalkRequestResponse> {
    return this.mentorships.askToTalk(auth, id);
  }

  /** Either of the two, or a coordinator of the cohort. */
  @Post(':mentorshipId/end')
  @HttpCode(200)
  end(
    @Auth() auth: AuthContext,
    @Param('mentorshipId') id: string,
    @Body() dto: EndMentorshipDto,
  ): Promise<MentorshipInfo> {
    return this.mentorships.end(auth, id, dto.reason ?? null);
  }
}
