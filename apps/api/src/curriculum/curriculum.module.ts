import { Module } from '@nestjs/common';
import { CohortsModule } from '../cohorts/cohorts.module';
import { SchedulingModule } from '../scheduling/scheduling.module';
import { CurriculumController } from './curriculum.controller';
import { CurriculumRepository } from './curriculum.repository';
import { CurriculumService } from './curriculum.service';
import { CurriculumPersonalData } from './personal-data';

/** The cohort curriculum: modules, activities and participants' states (texts are end-to-end encrypted). */
@Module({
  imports: [CohortsModule, SchedulingModule],
  controllers: [CurriculumController],
  providers: [CurriculumRepository, CurriculumService, CurriculumPersonalData],
})
export class CurriculumModule {}
