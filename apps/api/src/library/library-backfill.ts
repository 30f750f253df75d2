import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CohortAccessService } from '../cohorts/cohort-access.service';
import { CohortsService } from '../cohorts/cohorts.service';
import { MembershipService } from '../cohorts/membership.service';
import { RoomsService } from '../cohorts/rooms.service';
import { newRoomId } from '../common/secrets';
import { Transactions } from '../stream/transactions';
import { isSecondStandardRoom, LibraryRepository } from './library.repository';

const BACKFILL_EVERY_MS = 10 * 60_000;

/**
 * Cohorts created before libraries existed get theirs when the hub starts: the room, and every
 * current member joined through the usual path (a membership event each, in the stream, so
 * their clients see the room appear). Each cohort is done under its lock, checked again once
 * locked: several nodes starting at once create each library once. The unique index on a
 * cohort's standard rooms refuses a second one regardless; a node that loses that race moves on.
 */
@Injectable()
export class LibraryBackfill implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Library');
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly repo: LibraryRepository,
    private readonly cohorts: CohortsService,
    private readonly rooms: RoomsService,
    private readonly membership: MembershipService,
    private readonly access: CohortAccessService,
    private readonly tx: Transactions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const created = await this.backfill();
    if (created > 0) this.logger.log(`created the library room of ${created} cohort(s)`);
    // Again from time to time: during a rolling upgrade, a node of the previous version may still
    // create cohorts without a library.
    this.timer = setInterval(() => {
      this.backfill().catch((err: unknown) => {
        this.logger.warn(`library backfill failed: ${err instanceof Error ? err.message : 'unknown'}`);
      });
    }, BACKFILL_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Creates every missing library room with its members; answers how many it created. */
  async backfill(): Promise<number> {
    let created = 0;
    for (const cohort of await this.repo.cohortsWithout()) {
      try {
        if (await this.tx.run((em) => this.createFor(em, cohort))) created++;
      } catch (err) {
        if (!isSecondStandardRoom(err)) throw err;
      }
    }
    return created;
  }

  private async createFor(em: EntityManager, cohort: { id: string; name: string }): Promise<boolean> {
    await this.cohorts.lockCohort(em, cohort.id);
    if (await this.repo.hasLibrary(em, cohort.id)) return false;
    const room = {
      id: newRoomId(this.access.serverName),
      cohort_id: cohort.id,
      kind: 'library' as const,
      name: `${cohort.name} · library`,
    };
    await this.rooms.insertRoom(em, room);
    for (const m of await this.repo.members(em, cohort.id)) {
      const userId = this.access.userId(m.username);
      await this.membership.joinRooms(em, [room.id], m.user_uuid, userId, { userId });
    }
    return true;
  }
}
