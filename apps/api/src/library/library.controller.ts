import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { LibrarySettings } from '@hearth/protocol';
import { Auth, AuthContext } from '../common/auth/auth-context';
import { LibrarySettingsDto } from './library.dto';
import { LibraryService } from './library.service';

/** The cohort library's setting; its resources are end-to-end encrypted messages of the library room. */
@Controller('cohorts/:cohortId/library')
export class LibraryController {
  constructor(private readonly library: LibraryService) {}

  /** Members: may participants publish? */
  @Get('settings')
  settings(@Auth() auth: AuthContext, @Param('cohortId') cohortId: string): Promise<LibrarySettings> {
    return this.library.settings(auth, cohortId);
  }

  /** Coordinators: let participants publish, or not. */
  @Put('settings')
  updateSettings(
    @Auth() auth: AuthContext,
    @Param('cohortId') cohortId: string,
    @Body() dto: LibrarySettingsDto,
  ): Promise<LibrarySettings> {
    return this.library.updateSettings(auth, cohortId, dto);
  }
}
