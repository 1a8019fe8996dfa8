import { close, open } from 'node:fs';
import type { CachedObject } from './object.ts';

/**
 * Cached files kept open between HITs, like nginx's open_file_cache: a HIT then costs reads,
 * not an open and a close as well. Bounded, least recently used closed first. A descriptor
 * is closed only when no reader holds it, so a number the OS hands out again can never be
 * read under an old owner's name. Reads are positional, so readers share one descriptor.
 */
export class OpenFiles {
  // Objects holding a descriptor, in use order.
  private readonly held = new Set<CachedObject>();

  constructor(private readonly max: number) {}

  get size(): number {
    return this.held.size;
  }

  /** Calls back with a descriptor the caller holds until release(obj); on error there is nothing to release. */
  acquire(obj: CachedObject, cb: (err: Error | null, fd: number) => void): void {
    // Its file may already be another fill's: never reopen a name for an object that left.
    if (obj.dropped) return cb(Object.assign(new Error(`${obj.key} left the cache`), { code: 'ENOENT' }), -1);
    obj.fdUsers += 1;
    if (obj.fd >= 0) {
      this.held.delete(obj);
      this.held.add(obj);
      return cb(null, obj.fd);
    }
    if (obj.fdWaiters) return void obj.fdWaiters.push(cb);
    obj.fdWaiters = [cb];
    open(obj.file, 'r', (err, fd) => {
      const waiters = obj.fdWaiters!;
      obj.fdWaiters = undefined;
      if (err) {
        obj.fdUsers -= waiters.length;
        for (const w of waiters) w(err, -1);
        return;
      }
      obj.fd = fd;
      this.held.add(obj);
      this.trim();
      for (const w of waiters) w(null, fd);
    });
  }

  release(obj: CachedObject): void {
    obj.fdUsers -= 1;
    if (obj.fdUsers === 0 && (obj.dropped || !this.held.has(obj))) this.close(obj);
  }

  /** The object left the cache. */
  drop(obj: CachedObject): void {
    obj.dropped = true;
    if (obj.fdUsers === 0) this.close(obj);
  }

  closeAll(): void {
    for (const obj of this.held) if (obj.fdUsers === 0) this.close(obj);
  }

  private trim(): void {
    for (const obj of this.held) {
      if (this.held.size <= this.max) return;
      // One still being read stays open; it closes on its last release instead.
      this.held.delete(obj);
      if (obj.fdUsers === 0) this.close(obj);
    }
  }

  private close(obj: CachedObject): void {
    this.held.delete(obj);
    if (obj.fd < 0) return;
    close(obj.fd, () => {});
    obj.fd = -1;
  }
}
