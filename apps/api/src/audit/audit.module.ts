import { Module } from '@nestjs/common';
import { AuditRepository } from './audit.repository';
import { AuditPersonalData } from './personal-data';

@Module({ providers: [AuditRepository, AuditPersonalData], exports: [AuditRepository] })
export class AuditModule {}
