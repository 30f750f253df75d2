import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A logged-in client. Its access token lives and dies with it. */
@Entity('devices')
export class DeviceEntity {
  @PrimaryColumn('uuid', { name: 'user_id' })
  userId!: string;

  @PrimaryColumn('text', { name: 'device_id' })
  deviceId!: string;

  @Column('text', { name: 'display_name', nullable: true })
  displayName!: string | null;

  /** SHA-256 of the access token; the token itself is never stored. */
  @Column('bytea', { name: 'token_hash' })
  tokenHash!: Buffer;

  @Column('date', { name: 'last_seen_day' })
  lastSeenDay!: string;

  /** The day it signed in: its session ends a fixed number of days later at the latest. */
  @Column('date', { name: 'created_day' })
  createdDay!: string;
}
