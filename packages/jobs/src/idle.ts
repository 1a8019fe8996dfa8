import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A claim loop's idle wait: sleeps until woken (an announcement, a freed slot, a stop) or
 * the poll interval passes. A wake-up that came while the loop was busy claiming counts
 * too: it may announce a job that the claim just missed, so the next wait returns at once.
 */
export class IdleWait {
  private woken = false;
  private sleeping: AbortController | undefined;

  wake(): void {
    this.woken = true;
    this.sleeping?.abort();
  }

  async wait(ms: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return;
    }
    const ac = new AbortController();
    this.sleeping = ac;
    await sleep(ms, undefined, { signal: ac.signal }).catch(() => {});
    this.sleeping = undefined;
    this.woken = false;
  }
}

/**
 * A runner's shutdown: lets what is running finish within `graceMs`, then calls `abort`
 * and waits for it to wind down.
 */
export async function drain(running: () => Array<Promise<unknown>>, graceMs: number, abort: () => void): Promise<void> {
  const all = () => Promise.all(running());
  const timer = new AbortController();
  const grace = sleep(graceMs, 'timeout' as const, { signal: timer.signal }).catch(() => 'done' as const);
  const outcome = await Promise.race([all().then(() => 'done' as const), grace]);
  timer.abort();
  if (outcome === 'timeout') {
    abort();
    await all();
  }
}
