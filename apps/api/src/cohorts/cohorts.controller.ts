import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  AuditResponse,
  CohortListResponse,
  CohortResponse,
  MemberInfo,
  MembersResponse,
  OrganizationInfo,
  OrganizationsResponse,
  RoomsResponse,
} from '@hearth/protocol';
import { AdminOnly } from '../common/auth/admin.decorator';
import { Auth, AuthContext } from '../common/auth/auth-context';
import { AuditService } from './audit.service';
import { CohortsService } from './cohorts.service';
import {
  CreateCohortDto,
  CreateOrganizationDto,
  CreateRoomDto,
  ReasonDto,
  UpdateCohortDto,
  UpdateMemberDto,
} from './dto/cohorts.dto';
import { AuditQueryDto } from './dto/audit-query.dto';
import { MembershipService } from './membership.service';
import { PageQueryDto, toPage } from '../common/http/page';
import { RoomsService } from './rooms.service';

/** Permissions beyond "authenticated" are decided per cohort by CohortAccessService. */
@Controller('cohorts')
export class CohortsController {
  constructor(
    private readonly cohorts: CohortsService,
    private readonly membership: MembershipService,
    private readonly rooms: RoomsService,
    private readonly audit: AuditService,
  ) {}

  @AdminOnly()
  @Post()
  create(@Auth() auth: AuthContext, @Body() dto: CreateCohortDto): Promise<CohortResponse> {
    return this.cohorts.create(auth, dto);
  }

  @Get()
  list(@Auth() auth: AuthContext, @Query() q: PageQueryDto): Promise<CohortListResponse> {
    return this.cohorts.list(auth, toPage(q));
  }

  @Get(':cohortId')
  get(@Auth() auth: AuthContext, @Param('cohortId') cohortId: string): Promise<CohortResponse> {
    return this.cohorts.get(auth, cohortId);
  }

  /** Coordinators: advance the phase. */
  @Patch(':cohortId')
  update(
    @Auth() auth: AuthContext,
    @Param('cohortId') cohortId: string,
    @Body() dto: UpdateCohortDto,
  ): Promise<CohortResponse> {
    return this.cohorts.update(auth, cohortId, dto);
  }

  /** Members. */
  @Get(':cohortId/members')
  members(
    @Auth() auth: AuthContext,
    @Param('cohortId') cohortId: string,
    @Query() q: PageQueryDto,
  ): Promise<MembersResponse> {
    return this.membership.list(auth, cohortId, toPage(q));
  }

  /** Coordinators: change a role, mute or unmute. */
  @Patch(':cohortId/members/:userId')
  updateMember(
    @Auth() auth: AuthContext,
    @Param('cohortId') cohortId: string,
    @Param('userId') userId: string,
    @Body() dto: UpdateMemberDto,
  ): Promise<MemberInfo> {
    return this.membership.update(auth, cohortId, userId, dto);
  }

  /** Coordinators remove a member; any member removes themselves (leaves). */
  @Delete(':cohortId/members/:userId')
  @HttpCode(204)
  removeMember(
    @Auth() auth: AuthContext,
    @Param('cohortId') cohortId: string,
    @Param('userId') userId: string,
    @Body() dto: ReasonDto,
  ): Promise<void> {
    return this.membership.remove(auth, cohortId, userId, dto.reason ?? null);
  }

  /** Coordinators, organizations cohorts only. */
  @Post(':cohortId/organizations')
  createOrganization(
    @Auth() auth: AuthContext,
    @Param('cohortId') cohortId: string,
    @Body() dto: CreateOrganizationDto,
  ): Promise<OrganizationInfo> {
    return this.membership.createOrganization(auth, cohortId, dto.name);
  }

  /** Members: the participant organisations with their people, shown together. */
  @Get(':cohortId/organizations')
  async organizations(@Auth() auth: AuthContext, @Param('cohortId') cohortId: string): Promise<OrganizationsResponse> {
    return { organizations: await this.membership.organizations(auth, cohortId) };
  }

  /** Coordinators see every entry; a member sees the entries about them. Filters: AuditQuery. */
  @Get(':cohortId/audit')
  auditLog(
    @Auth() auth: AuthContext,
    @Param('cohortId') cohortId: string,
    @Query() q: AuditQueryDto,
  ): Promise<AuditResponse> {
    return this.audit.list(auth, cohortId, toPage(q), q);
  }

  /** Coordinators: the cohort's working groups, including those they are not in. */
  @Get(':cohortId/rooms')
  async groupRooms(@Auth() auth: AuthContext, @Param('cohortId') cohortId: string): Promise<RoomsResponse> {
    return { rooms: await this.rooms.groups(auth, cohortId) };
  }

  /** Coordinators: a working-group room. */
  @Post(':cohortId/rooms')
  createRoom(
    @Auth() auth: AuthContext,
    @Param('cohortId') cohortId: string,
    @Body() dto: CreateRoomDto,
  ): Promise<{ room_id: string }> {
    return this.rooms.create(auth, cohortId, dto);
  }
}
