import { Body, Controller, Param, Put, Query } from '@nestjs/common';
import { REASON_MAX_LENGTH, SendEventResponse } from '@hearth/protocol';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { Auth, AuthContext } from '../common/auth/auth-context';
import { JsonBodyPipe, JsonObject } from '../common/http/json-body.pipe';
import { MessagingService } from './messaging.service';

export class RedactDto {
  @IsOptional()
  @IsString()
  @MaxLength(REASON_MAX_LENGTH)
  reason?: string;
}

@Controller()
export class MessagingController {
  constructor(private readonly messaging: MessagingService) {}

  /**
   * The body is the event content: Megolm ciphertext only. `?media=id1,id2` names the uploads the
   * message refers to (its file, its thumbnail).
   */
  @Put('rooms/:roomId/send/:eventType/:txnId')
  send(
    @Auth() auth: AuthContext,
    @Param('roomId') roomId: string,
    @Param('eventType') eventType: string,
    @Param('txnId') txnId: string,
    // Any field but Megolm's is refused as not encrypted (HEARTH_NOT_ENCRYPTED), by the service.
    @Body(new JsonBodyPipe('any')) content: JsonObject,
    @Query('media') media?: unknown,
  ): Promise<SendEventResponse> {
    const files = typeof media === 'string' ? media.split(',') : media;
    return this.messaging.send(auth, roomId, eventType, txnId, content, files);
  }

  @Put('rooms/:roomId/redact/:eventId/:txnId')
  redact(
    @Auth() auth: AuthContext,
    @Param('roomId') roomId: string,
    @Param('eventId') eventId: string,
    @Param('txnId') txnId: string,
    @Body() dto: RedactDto,
  ): Promise<SendEventResponse> {
    return this.messaging.redact(auth, roomId, eventId, txnId, dto.reason ?? null);
  }
}
