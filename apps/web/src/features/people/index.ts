// Trust in people: a room's members with their verification, and identity-change notices.
export { IdentityNotices } from './IdentityNotices';
export { PeoplePanel } from './PeoplePanel';
export { useRoomNotices } from './room-notices';
export type { RoomNotice } from './room-notices';
