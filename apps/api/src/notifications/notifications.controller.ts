import { Body, Controller, Get, HttpCode, Post, Put, Query } from '@nestjs/common';
import { NotificationSettings, NotificationsResponse } from '@hearth/protocol';
import { ArrayMaxSize, IsArray, IsInt, IsString, Matches, Max, Min } from 'class-validator';
import { Auth, AuthContext } from '../common/auth/auth-context';
import { PageQueryDto, toPage } from '../common/http/page';
import { NotificationsService } from './notifications.service';

export class NotificationSettingsDto implements NotificationSettings {
  @IsArray()
  @ArrayMaxSize(5)
  @IsInt({ each: true })
  @Min(1, { each: true })
  // Up to a week ahead.
  @Max(7 * 24 * 60, { each: true })
  reminder_minutes!: number[];
}

export class MarkReadDto {
  @IsString()
  @Matches(/^\d{1,15}$/, { message: 'up_to must be a notification id' })
  up_to!: string;
}

@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  /** One's own, newest first. */
  @Get()
  list(@Auth() auth: AuthContext, @Query() q: PageQueryDto): Promise<NotificationsResponse> {
    return this.notifications.list(auth, toPage(q));
  }

  @Post('read')
  @HttpCode(204)
  read(@Auth() auth: AuthContext, @Body() dto: MarkReadDto): Promise<void> {
    return this.notifications.markRead(auth, dto.up_to);
  }

  @Get('settings')
  settings(@Auth() auth: AuthContext): Promise<NotificationSettings> {
    return this.notifications.settings(auth);
  }

  @Put('settings')
  putSettings(@Auth() auth: AuthContext, @Body() dto: NotificationSettingsDto): Promise<NotificationSettings> {
    return this.notifications.putSettings(auth, dto.reminder_minutes);
  }
}
