// Chat: one room's decrypted timeline, the composer and per-message actions; roomLabel names a
// room for the menu (a mentorship after the other person, a progress room after whose it is).
export { Room } from './Room';
export { roomLabel } from './room-label';
