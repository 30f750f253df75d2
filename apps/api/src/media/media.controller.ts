import { Controller, Delete, Get, Head, Param, Patch, Post, Req, Res } from '@nestjs/common';
import { ErrorCode } from '@hearth/protocol';
import type { Request, Response } from 'express';
import { Auth, AuthContext } from '../common/auth/auth-context';
import { HearthException } from '../common/errors/hearth.exception';
import { MediaDownloads, parseRange } from './media-downloads';
import { MediaService } from './media.service';
import { TusUploads } from './tus-uploads';

/**
 * Encrypted files. Uploads speak tus 1.0 (`POST /rooms/{roomId}/media` creates one and answers
 * its `Location`, whose last segment is the media id; `HEAD` tells how much arrived, `PATCH`
 * continues, `DELETE` cancels). `GET /media/{mediaId}` answers the ciphertext, with Range.
 * Every route needs a token; a file the caller may not see answers 404.
 */
@Controller()
export class MediaController {
  constructor(
    private readonly media: MediaService,
    private readonly uploads: TusUploads,
    private readonly downloads: MediaDownloads,
  ) {}

  @Post('rooms/:roomId/media')
  async create(
    @Auth() auth: AuthContext,
    @Param('roomId') roomId: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const target = await this.media.startUpload(auth, roomId);
    await this.uploads.handle(target, req, res);
  }

  @Head('rooms/:roomId/media/:mediaId')
  offset(
    @Auth() auth: AuthContext,
    @Param('roomId') roomId: string,
    @Param('mediaId') mediaId: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    return this.continueUpload(auth, roomId, mediaId, req, res);
  }

  @Patch('rooms/:roomId/media/:mediaId')
  write(
    @Auth() auth: AuthContext,
    @Param('roomId') roomId: string,
    @Param('mediaId') mediaId: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    return this.continueUpload(auth, roomId, mediaId, req, res);
  }

  @Delete('rooms/:roomId/media/:mediaId')
  cancel(
    @Auth() auth: AuthContext,
    @Param('roomId') roomId: string,
    @Param('mediaId') mediaId: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    return this.continueUpload(auth, roomId, mediaId, req, res);
  }

  @Get('media/:mediaId')
  async download(
    @Auth() auth: AuthContext,
    @Param('mediaId') mediaId: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const file = await this.media.readable(auth, mediaId);
    const range = parseRange(req.headers.range, file.size);
    if (range === 'unsatisfiable') {
      res.setHeader('Content-Range', `bytes */${file.size}`);
      res
        .status(416)
        .json(new HearthException(ErrorCode.InvalidParam, `Range is outside the file's ${file.size} bytes`).toBody());
      return;
    }
    await this.downloads.send(file, range, res);
  }

  private async continueUpload(
    auth: AuthContext,
    roomId: string,
    mediaId: string,
    req: Request,
    res: Response,
  ): Promise<void> {
    const upload = await this.media.ownUpload(auth, roomId, mediaId);
    await this.uploads.handle({ auth, roomId, cohortId: upload.cohort_id }, req, res);
  }
}
