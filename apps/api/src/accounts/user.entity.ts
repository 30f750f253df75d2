import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('users')
export class UserEntity {
  @PrimaryColumn('uuid')
  id!: string;

  /** The Matrix localpart; the user id is `@username:HUB_SERVER_NAME`. */
  @Column('text')
  username!: string;

  /** argon2id, PHC string format. */
  @Column('text', { name: 'password_hash' })
  passwordHash!: string;

  @Column('boolean', { name: 'is_admin', default: false })
  isAdmin!: boolean;

  @Column('date', { name: 'created_on', default: () => 'CURRENT_DATE' })
  createdOn!: string;
}
