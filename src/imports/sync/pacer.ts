import type { Clock } from './clock';

/**
 * Spaces requests evenly so that no more than `perMinute` start in any minute: each waits until
 * 60 000 / perMinute ms after the previous one started. Even spacing (rather than bursts up to a
 * budget) is what the registry's per-address guidance asks for, and retries count as requests.
 */
export class Pacer {
  private readonly intervalMs: number;
  private last: number | null = null;

  constructor(
    perMinute: number,
    private readonly clock: Clock,
  ) {
    this.intervalMs = 60_000 / perMinute;
  }

  /** Resolves when the next request may start, and counts it as started. */
  async next(): Promise<void> {
    if (this.last !== null) {
      const wait = this.last + this.intervalMs - this.clock.now();
      if (wait > 0) await this.clock.sleep(wait);
    }
    this.last = this.clock.now();
  }
}
