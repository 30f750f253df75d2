import { Inject, Injectable } from '@nestjs/common';
import {
  ErrorCode,
  RECOVERY_CODE_COUNT,
  RecoveryCodesResponse,
  SecondFactorStatus,
  TOTP_CODE_PATTERN,
  TotpSetupResponse,
} from '@hearth/protocol';
import { randomInt } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { EntityManager } from 'typeorm';
import { HearthException } from '../common/errors/hearth.exception';
import { sha256 } from '../common/secrets';
import { nowOf } from '../common/time/clock';
import { HUB_CONFIG, HubConfig } from '../config/config';
import { SecondFactorRepository } from './second-factor.repository';

/** What authenticator apps expect; anything else is poorly supported. */
const TOTP_PARAMS = { algorithm: 'SHA1', digits: 6, period: 30 } as const;
/** One step either side: a phone clock a little off still works. */
const WINDOW = 1;
/** 160-bit secrets (RFC 4226's recommendation). */
const SECRET_BYTES = 20;
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A code as typed: TOTP digits with spaces, or a recovery code in any case, with or without dashes. */
export interface CodeInput {
  totp_code?: string;
  recovery_code?: string;
}

/**
 * The second factor: TOTP (RFC 6238, through the `otpauth` library) and one-time recovery
 * codes. The secret is generated here and stored as it must be to check codes (docs/metadata.md);
 * recovery codes are 120 random bits each (at least 112, so a plain SHA-256 is as good as a slow
 * hash: ASVS 6.5.2) and only that hash is kept. A code works once: the
 * last time step used is stored, and a recovery code is deleted when used.
 */
@Injectable()
export class SecondFactorService {
  constructor(
    private readonly repo: SecondFactorRepository,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  async status(userUuid: string): Promise<SecondFactorStatus> {
    const [row, left, required] = await Promise.all([
      this.repo.find(userUuid),
      this.repo.recoveryCodesLeft(userUuid),
      this.repo.requiredFor(userUuid),
    ]);
    return { totp: row?.enabled ?? false, recovery_codes_left: left, required };
  }

  async isEnabled(userUuid: string, em?: EntityManager): Promise<boolean> {
    return (await this.repo.find(userUuid, em))?.enabled ?? false;
  }

  /** A fresh secret for the authenticator app; not in force until `confirm`. */
  async begin(userUuid: string): Promise<TotpSetupResponse> {
    const secret = new Secret({ size: SECRET_BYTES });
    if (!(await this.repo.putPending(userUuid, Buffer.from(secret.bytes)))) {
      throw new HearthException(ErrorCode.Conflict, 'A second factor is already set up; turn it off first');
    }
    return { secret: secret.base32, ...TOTP_PARAMS };
  }

  /** The first code from the app turns the second factor on; the recovery codes are shown once. */
  async confirm(em: EntityManager, userUuid: string, code: string): Promise<RecoveryCodesResponse> {
    const row = await this.repo.find(userUuid, em);
    if (!row || row.enabled) {
      throw new HearthException(ErrorCode.Conflict, row ? 'The second factor is on already' : 'Start the setup first');
    }
    const step = this.matchingStep(row.secret, code);
    if (step === null || !(await this.repo.spendStep(em, userUuid, step, true))) {
      throw new HearthException(ErrorCode.WrongCode, 'That code is not right; check the time on your phone');
    }
    return this.newRecoveryCodes(em, userUuid);
  }

  async newRecoveryCodes(em: EntityManager, userUuid: string): Promise<RecoveryCodesResponse> {
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, recoveryCode);
    await this.repo.replaceRecoveryCodes(em, userUuid, codes.map(recoveryHash));
    return { recovery_codes: codes };
  }

  async disable(em: EntityManager, userUuid: string): Promise<void> {
    await this.repo.remove(em, userUuid);
  }

  /**
   * Checks and spends a code: the current TOTP code, or a recovery code. False when neither was
   * given, or the one given is wrong or used already.
   */
  async spend(em: EntityManager, userUuid: string, input: CodeInput): Promise<boolean> {
    if (input.totp_code !== undefined) {
      const row = await this.repo.find(userUuid, em);
      if (!row?.enabled) return false;
      const step = this.matchingStep(row.secret, input.totp_code);
      return step !== null && (await this.repo.spendStep(em, userUuid, step, false));
    }
    if (input.recovery_code !== undefined) {
      const normalised = normaliseRecoveryCode(input.recovery_code);
      return normalised !== null && (await this.repo.spendRecoveryCode(em, userUuid, recoveryHash(normalised)));
    }
    return false;
  }

  /** The time step a code belongs to (now, or one step either side), or null. */
  private matchingStep(secret: Buffer, code: string): number | null {
    const token = code.replace(/\s/g, '');
    if (!TOTP_CODE_PATTERN.test(token)) return null;
    const timestamp = nowOf(this.config);
    const delta = TOTP.validate({
      token,
      secret: new Secret({ buffer: Uint8Array.from(secret).buffer }),
      ...TOTP_PARAMS,
      timestamp,
      window: WINDOW,
    });
    if (delta === null) return null;
    return TOTP.counter({ period: TOTP_PARAMS.period, timestamp }) + delta;
  }
}

/** 24 Crockford base32 characters (120 bits), shown in groups of four. */
const RECOVERY_CODE_CHARS = 24;
function recoveryCode(): string {
  let code = '';
  for (let i = 0; i < RECOVERY_CODE_CHARS; i++) code += CROCKFORD[randomInt(CROCKFORD.length)];
  return code.match(/.{4}/g)!.join('-');
}

/** Case, dashes, spaces and look-alike letters do not matter; null when it cannot be a code. */
function normaliseRecoveryCode(code: string): string | null {
  const c = code.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return c.length === RECOVERY_CODE_CHARS && /^[0-9A-HJKMNP-TV-Z]+$/.test(c) ? c.match(/.{4}/g)!.join('-') : null;
}

function recoveryHash(code: string): Buffer {
  return sha256(`hearth-recovery\0${code}`);
}
