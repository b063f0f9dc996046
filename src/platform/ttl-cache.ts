/**
 * Short-lived caches of values read from the database that change rarely and whose staleness for
 * a few seconds is harmless (the first aggregated day, the monitoring settings, the calendars).
 * The promise is kept, so concurrent callers share one read; a failed read is dropped at once, so
 * the next caller tries again instead of seeing the error for the rest of the period.
 *
 * Per process: each server instance keeps its own, so a change made through another instance is
 * seen after at most `ttlMs` (and at once in the instance that made it, which invalidates).
 */

export interface Entry<V> {
  at: number;
  value: Promise<V>;
}

/** The part of Map and WeakMap the cache uses (a WeakMap lets a key such as a database handle go). */
export interface TtlStore<K, V> {
  get(key: K): Entry<V> | undefined;
  set(key: K, entry: Entry<V>): unknown;
  delete(key: K): unknown;
}

export class TtlCache<K, V> {
  constructor(
    private readonly ttlMs: number,
    private readonly store: TtlStore<K, V> = new Map<K, Entry<V>>(),
    private readonly clock: () => number = () => performance.now(),
  ) {}

  /** The value for `key`: the one read less than `ttlMs` ago, or `load()`'s. */
  get(key: K, load: () => Promise<V>): Promise<V> {
    const now = this.clock();
    const hit = this.store.get(key);
    if (hit && now - hit.at < this.ttlMs) return hit.value;
    const entry: Entry<V> = { at: now, value: load() };
    this.store.set(key, entry);
    entry.value.catch(() => {
      if (this.store.get(key) === entry) this.store.delete(key);
    });
    return entry.value;
  }

  delete(key: K): void {
    this.store.delete(key);
  }
}

/** A cache keyed by an object (a database handle) that does not keep the object alive. */
export function weakTtlCache<K extends object, V>(ttlMs: number): TtlCache<K, V> {
  return new TtlCache<K, V>(ttlMs, new WeakMap<K, Entry<V>>());
}
