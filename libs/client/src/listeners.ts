/** Called with each new value of something a caller subscribed to. */
export type Listener<T> = (value: T) => void;

/** A set of listeners: `add` answers the function that removes the listener again. */
export class Listeners<T> {
  private readonly set = new Set<Listener<T>>();

  add(listener: Listener<T>): () => void {
    this.set.add(listener);
    return () => this.set.delete(listener);
  }

  get size(): number {
    return this.set.size;
  }

  /** Calls each listener in the order they were added (one may remove itself meanwhile). */
  emit(value: T): void {
    for (const l of this.set) l(value);
  }
}
