import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { Auth, AuthContext } from '../common/auth/auth-context';
import { EmptyBodyPipe } from '../common/http/empty-body.pipe';
import { JsonBodyPipe, JsonObject } from '../common/http/json-body.pipe';
import { BackupService } from './backup.service';
import { KeysService } from './keys.service';
import { ToDeviceService } from './to-device.service';

/** Matrix Client-Server key endpoints under /api/v1, bodies verbatim. */
@Controller()
export class KeysController {
  constructor(
    private readonly keys: KeysService,
    private readonly toDevice: ToDeviceService,
    private readonly backup: BackupService,
  ) {}

  @Post('keys/upload')
  @HttpCode(200)
  upload(
    @Auth() auth: AuthContext,
    @Body(new JsonBodyPipe(['device_keys', 'one_time_keys', 'fallback_keys'])) body: JsonObject,
  ): Promise<JsonObject> {
    return this.keys.upload(auth, body);
  }

  @Post('keys/query')
  @HttpCode(200)
  query(
    @Auth() auth: AuthContext,
    @Body(new JsonBodyPipe(['device_keys', 'timeout', 'token'])) body: JsonObject,
  ): Promise<JsonObject> {
    return this.keys.query(auth, body);
  }

  @Post('keys/claim')
  @HttpCode(200)
  claim(
    @Auth() auth: AuthContext,
    @Body(new JsonBodyPipe(['one_time_keys', 'timeout'])) body: JsonObject,
  ): Promise<JsonObject> {
    return this.keys.claim(auth, body);
  }

  @Post('keys/signatures/upload')
  @HttpCode(200)
  signatures(@Auth() auth: AuthContext, @Body(new JsonBodyPipe('user-ids')) body: JsonObject): Promise<JsonObject> {
    return this.keys.uploadSignatures(auth, body);
  }

  @Post('keys/device_signing/upload')
  @HttpCode(200)
  deviceSigning(
    @Auth() auth: AuthContext,
    @Body(new JsonBodyPipe(['master_key', 'self_signing_key', 'user_signing_key', 'auth'])) body: JsonObject,
  ): Promise<JsonObject> {
    return this.keys.uploadDeviceSigning(auth, body);
  }

  @Put('sendToDevice/:eventType/:txnId')
  sendToDevice(
    @Auth() auth: AuthContext,
    @Param('eventType') eventType: string,
    @Param('txnId') txnId: string,
    @Body(new JsonBodyPipe(['messages'])) body: JsonObject,
  ): Promise<JsonObject> {
    return this.toDevice.send(auth, eventType, txnId, body);
  }

  // Key backup

  @Post('room_keys/version')
  @HttpCode(200)
  createBackup(
    @Auth() auth: AuthContext,
    @Body(new JsonBodyPipe(['algorithm', 'auth_data'])) body: JsonObject,
  ): Promise<JsonObject> {
    return this.backup.createVersion(auth, body);
  }

  @Get('room_keys/version')
  currentBackup(@Auth() auth: AuthContext): Promise<JsonObject> {
    return this.backup.getVersion(auth, null);
  }

  @Get('room_keys/version/:version')
  getBackup(@Auth() auth: AuthContext, @Param('version') version: string): Promise<JsonObject> {
    return this.backup.getVersion(auth, version);
  }

  @Put('room_keys/version/:version')
  updateBackup(
    @Auth() auth: AuthContext,
    @Param('version') version: string,
    @Body(new JsonBodyPipe(['algorithm', 'auth_data', 'version'])) body: JsonObject,
  ): Promise<JsonObject> {
    return this.backup.updateVersion(auth, version, body);
  }

  @Delete('room_keys/version/:version')
  deleteBackup(
    @Auth() auth: AuthContext,
    @Param('version') version: string,
    @Body(EmptyBodyPipe) _body: undefined,
  ): Promise<JsonObject> {
    return this.backup.deleteVersion(auth, version);
  }

  @Put('room_keys/keys')
  putKeys(
    @Auth() auth: AuthContext,
    @Query('version') version: string | undefined,
    @Body(new JsonBodyPipe(['rooms'])) body: JsonObject,
  ): Promise<JsonObject> {
    return this.backup.putKeys(auth, version, body);
  }

  @Get('room_keys/keys')
  getKeys(@Auth() auth: AuthContext, @Query('version') version: string | undefined): Promise<JsonObject> {
    return this.backup.getKeys(auth, version);
  }
}
