import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { MessagesResponse, RoomMembersResponse, RoomsResponse } from '@hearth/protocol';
import { IsIn, IsOptional } from 'class-validator';
import { Auth, AuthContext } from '../common/auth/auth-context';
import { AddRoomMemberDto, ReasonDto } from './dto/cohorts.dto';
import { PageQueryDto } from '../common/http/page';
import { RoomsService } from './rooms.service';

/** `?from&dir&limit`: the page of a list, and a direction. */
export class MessagesQueryDto extends PageQueryDto {
  @IsOptional()
  @IsIn(['b', 'f'])
  dir?: 'b' | 'f';
}

@Controller('rooms')
export class RoomsController {
  constructor(private readonly rooms: RoomsService) {}

  /** The rooms the caller is in. */
  @Get()
  async list(@Auth() auth: AuthContext): Promise<RoomsResponse> {
    return { rooms: await this.rooms.list(auth) };
  }

  @Get(':roomId/members')
  members(@Auth() auth: AuthContext, @Param('roomId') roomId: string): Promise<RoomMembersResponse> {
    return this.rooms.members(auth, roomId);
  }

  /** Coordinators, working-group rooms. */
  @Post(':roomId/members')
  @HttpCode(200)
  async addMember(
    @Auth() auth: AuthContext,
    @Param('roomId') roomId: string,
    @Body() dto: AddRoomMemberDto,
  ): Promise<Record<string, never>> {
    await this.rooms.addMember(auth, roomId, dto.user_id, dto.reason ?? null);
    return {};
  }

  /** Coordinators take someone out of a working group; a member leaves one. */
  @Delete(':roomId/members/:userId')
  @HttpCode(204)
  removeMember(
    @Auth() auth: AuthContext,
    @Param('roomId') roomId: string,
    @Param('userId') userId: string,
    @Body() dto: ReasonDto,
  ): Promise<void> {
    return this.rooms.removeMember(auth, roomId, userId, dto.reason ?? null);
  }

  @Get(':roomId/messages')
  messages(
    @Auth() auth: AuthContext,
    @Param('roomId') roomId: string,
    @Query() q: MessagesQueryDto,
  ): Promise<MessagesResponse> {
    return this.rooms.messages(auth, roomId, q);
  }
}
