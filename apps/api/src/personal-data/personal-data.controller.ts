import { Controller, Get } from '@nestjs/common';
import type { PersonalDataExport } from '@hearth/protocol';
import { Auth, AuthContext } from '../common/auth/auth-context';
import { PersonalDataService } from './personal-data.service';

@Controller('account')
export class PersonalDataController {
  constructor(private readonly personalData: PersonalDataService) {}

  /** Everything the hub holds about the caller that it can read, part by part. */
  @Get('export')
  export(@Auth() auth: AuthContext): Promise<PersonalDataExport> {
    return this.personalData.export(auth);
  }
}
