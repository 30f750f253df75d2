import { DiscoveryService } from '@nestjs/core';
import type { PersonalDataParts } from '@hearth/protocol';
import type { EntityManager } from 'typeorm';

/** Whom an export is about: the internal id (foreign keys), and the Matrix user id (text columns). */
export interface Person {
  userUuid: string;
  userId: string;
}

/**
 * One part of "what the hub knows about me" (`GET /account/export`), given by the feature module
 * that keeps it, from its own repository, with the rules its routes apply (what a person may see
 * of a mentorship, say). A module adds its part by listing a provider that implements this and is
 * marked `@ProvidesPersonalData()`; the export finds every provider so marked.
 *
 * `tables` names every table the part reads the person's rows from. A test holds the union of
 * all parts against the live schema: a table that holds people's rows and that no part names
 * (nor a short list of reasoned exclusions) fails it.
 */
export interface PersonalDataSource<K extends keyof PersonalDataParts = keyof PersonalDataParts> {
  /** The key of the part in the export. */
  readonly part: K;
  readonly tables: readonly string[];
  /** Reads inside `em`, one snapshot shared by every part. Never ciphertext, hashes or secrets. */
  collect(em: EntityManager, person: Person): Promise<PersonalDataParts[K]>;
}

/** Marks a provider as a PersonalDataSource, for DiscoveryService to find. */
export const ProvidesPersonalData = DiscoveryService.createDecorator<void>();
