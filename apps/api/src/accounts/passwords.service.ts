import { Injectable } from '@nestjs/common';
import { Algorithm, hash, verify } from '@node-rs/argon2';
import { ErrorCode, PASSWORD_MIN_LENGTH } from '@hearth/protocol';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';
import { HearthException } from '../common/errors/hearth.exception';

// OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane), ≈12 ms here: strong enough, and
// cheap enough that ten logins at once don't exhaust a small server's memory.
const ARGON2_OPTIONS = {
  // `Algorithm` is a `const enum` in the typings, absent at runtime when compiled per file.
  algorithm: 2 as Algorithm.Argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
};

/** zxcvbn score 3 = "safely unguessable": at least 10^8 guesses. */
const MIN_SCORE = 3;

@Injectable()
export class PasswordsService {
  private readonly strength = new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs });
  // Verifying against this when the user does not exist makes both answers take as long.
  private readonly dummyHash = hash('hearth-timing-equaliser', ARGON2_OPTIONS);

  /** Throws HEARTH_WEAK_PASSWORD for passwords that are short, common or built from the username. */
  checkPolicy(password: string, username: string): void {
    if ([...password].length < PASSWORD_MIN_LENGTH) {
      throw new HearthException(
        ErrorCode.WeakPassword,
        `Password must be at least ${PASSWORD_MIN_LENGTH} characters; a phrase of several words is easiest`,
      );
    }
    const result = this.strength.check(password, [username, 'hearth']);
    if (result.score < MIN_SCORE) {
      throw new HearthException(
        ErrorCode.WeakPassword,
        'Password is too common or too easy to guess; add words or make it longer',
      );
    }
  }

  hash(password: string): Promise<string> {
    return hash(password, ARGON2_OPTIONS);
  }

  /** Constant work whether or not there is a stored hash. */
  async verify(storedHash: string | null, password: string): Promise<boolean> {
    if (storedHash === null) {
      await verify(await this.dummyHash, password).catch(() => false);
      return false;
    }
    return verify(storedHash, password).catch(() => false);
  }
}
