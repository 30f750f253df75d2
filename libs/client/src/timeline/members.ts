import type { RoomEvent } from '@hearth/protocol';

/** Who is in each room, as the sync stream's membership events say, and the rooms this user left. */
export class RoomMembers {
  private readonly members = new Map<string, Set<string>>();
  private readonly left = new Set<string>();
  /** Rooms this user left of their own will: nothing of them is shown any more. */
  private readonly forgotten = new Set<string>();

  /**
   * Applies one membership event. Answers `removed` when someone who was a member no longer is
   * (their room key must not be used again), `changed` for any other membership event, and null
   * for an event without a state key.
   */
  apply(roomId: string, ev: RoomEvent): 'changed' | 'removed' | null {
    if (!ev.state_key) return null;
    const set = this.members.get(roomId) ?? new Set<string>();
    this.members.set(roomId, set);
    if (ev.content.membership === 'join') set.add(ev.state_key);
    else if (set.delete(ev.state_key)) return 'removed';
    return 'changed';
  }

  /** This user was removed from a room, or left it (`byChoice`). */
  leave(roomId: string, userId: string, byChoice = false): void {
    this.members.get(roomId)?.delete(userId);
    this.left.add(roomId);
    if (byChoice) this.forgotten.add(roomId);
  }

  /** This user is (again) in a room. */
  joined(roomId: string): void {
    this.left.delete(roomId);
    this.forgotten.delete(roomId);
  }

  hasForgotten(roomId: string): boolean {
    return this.forgotten.has(roomId);
  }

  /** The room no longer exists: nothing of it is kept. */
  forget(roomId: string): void {
    this.members.delete(roomId);
    this.left.delete(roomId);
  }

  /** A room's members, sorted. */
  list(roomId: string): string[] {
    return [...(this.members.get(roomId) ?? [])].sort();
  }

  /** Every room a membership event was seen for. */
  rooms(): string[] {
    return [...this.members.keys()];
  }

  hasLeft(roomId: string): boolean {
    return this.left.has(roomId);
  }

  /** Everyone in any room: the users whose devices the OlmMachine tracks. */
  everyone(): string[] {
    const all = new Set<string>();
    for (const set of this.members.values()) for (const u of set) all.add(u);
    return [...all];
  }
}
