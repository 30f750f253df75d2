import { Injectable } from '@nestjs/common';
import {
  ACCOUNT_DATA_MAX_BYTES,
  ACCOUNT_DATA_MAX_DEPTH,
  ACCOUNT_DATA_MAX_TYPES,
  ACCOUNT_DATA_ALLOWED,
  ACCOUNT_DATA_TYPE_PATTERN,
  AccountDataContent,
  ErrorCode,
} from '@hearth/protocol';
import { AuthContext } from '../common/auth/auth-context';
import { HearthException } from '../common/errors/hearth.exception';
import { isObject } from '../common/http/json-body.pipe';
import { RateLimitService } from '../rate-limit/rate-limit.service';
import { Transactions } from '../stream/transactions';
import { AccountDataRepository } from './account-data.repository';

/**
 * Matrix account data (`/user/{userId}/account_data/{type}`): where a person's clients keep their
 * secret storage, so that a new device of theirs can recover history with the recovery key. The
 * content is the client's ciphertext but for a key description's public parameters: the hub checks
 * its shape and size and stores it as it came. Only the person reads or writes their own.
 */
@Injectable()
export class AccountDataService {
  constructor(
    private readonly repo: AccountDataRepository,
    private readonly tx: Transactions,
    private readonly limits: RateLimitService,
  ) {}

  async get(auth: AuthContext, userId: string, type: string): Promise<AccountDataContent> {
    assertOwn(auth, userId);
    assertType(type);
    const content = await this.repo.find(auth.userUuid, type);
    if (!content) throw new HearthException(ErrorCode.NotFound, 'No account data of this type');
    return content;
  }

  async put(auth: AuthContext, userId: string, type: string, body: unknown): Promise<Record<string, never>> {
    assertOwn(auth, userId);
    assertType(type);
    const content = checkContent(body);
    await this.limits.consume('accountData', auth);
    await this.tx.run(async (em) => {
      // Two new types written at once must not both pass the count.
      await this.repo.lockAccount(em, auth.userUuid);
      const { exists, types } = await this.repo.census(em, auth.userUuid, type);
      if (!exists && types >= ACCOUNT_DATA_MAX_TYPES) {
        throw new HearthException(
          ErrorCode.Conflict,
          `An account holds at most ${ACCOUNT_DATA_MAX_TYPES} types of account data`,
        );
      }
      await this.repo.put(em, auth.userUuid, type, content);
    });
    return {};
  }
}

/** Another person's id gets the same answer whether or not they exist or have data. */
function assertOwn(auth: AuthContext, userId: string): void {
  if (userId !== auth.userId) {
    throw new HearthException(ErrorCode.Forbidden, 'Account data can be read and written by its owner only');
  }
}

function assertType(type: string): void {
  if (!ACCOUNT_DATA_TYPE_PATTERN.test(type)) {
    throw new HearthException(ErrorCode.InvalidParam, 'type must be 1 to 255 characters of A-Z a-z 0-9 . _ -');
  }
  if (!ACCOUNT_DATA_ALLOWED.test(type)) {
    throw new HearthException(
      ErrorCode.InvalidParam,
      'The hub keeps secret storage (m.secret_storage.*, m.cross_signing.*, m.megolm_backup.v1) and org.hearth.* only',
    );
  }
}

/**
 * A JSON object of at most ACCOUNT_DATA_MAX_BYTES and ACCOUNT_DATA_MAX_DEPTH levels. NUL and
 * broken Unicode were refused before (WellFormedInputPipe). Walked without recursion.
 */
function checkContent(body: unknown): AccountDataContent {
  if (!isObject(body)) throw new HearthException(ErrorCode.BadJson, 'The body must be a JSON object');
  if (Buffer.byteLength(JSON.stringify(body), 'utf8') > ACCOUNT_DATA_MAX_BYTES) {
    throw new HearthException(ErrorCode.TooLarge, `Account data may be at most ${ACCOUNT_DATA_MAX_BYTES} bytes`);
  }
  const stack: { v: unknown; depth: number }[] = [{ v: body, depth: 1 }];
  while (stack.length > 0) {
    const { v, depth } = stack.pop()!;
    if (typeof v === 'number' && !Number.isFinite(v)) {
      throw new HearthException(ErrorCode.InvalidParam, 'Numbers must be finite');
    }
    if (typeof v !== 'object' || v === null) continue;
    if (depth > ACCOUNT_DATA_MAX_DEPTH) {
      throw new HearthException(
        ErrorCode.InvalidParam,
        `Account data may nest at most ${ACCOUNT_DATA_MAX_DEPTH} levels`,
      );
    }
    for (const x of Array.isArray(v) ? (v as unknown[]) : Object.values(v)) stack.push({ v: x, depth: depth + 1 });
  }
  return body;
}
