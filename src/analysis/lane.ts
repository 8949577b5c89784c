import { analysisBusy, analysisTimedOut } from '../errors';

/** A full queue drains as tasks finish; a few seconds on, a slot is usually free. */
const QUEUE_FULL_RETRY_AFTER_SECONDS = 5;

export interface LaneLimits {
  /** How many tasks run at once: as many as the lane's workers, so none waits where it is not counted. */
  concurrency: number;
  /** ANALYSIS_QUEUE_MAX: how many may wait for a free slot; one more is refused at once. */
  queueMax: number;
  /** ANALYSIS_TIMEOUT_MS: a task running longer is aborted through its signal and answered 503. */
  timeoutMs: number;
}

/**
 * One lane of analyses: at most `concurrency` running, at most `queueMax` waiting in arrival
 * order, each stopped once it has run for `timeoutMs`. Waiting is bounded so that a burst of
 * distinct requests is refused (503 with Retry-After) instead of piling up memory and latency.
 */
export class AnalysisLane {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limits: LaneLimits) {}

  /** How many tasks wait for a slot now. */
  get waitingCount(): number {
    return this.waiting.length;
  }

  /** Runs `job` in a free slot with a signal that aborts at the timeout; refuses when the queue is full. */
  async run<T>(job: (signal: AbortSignal) => Promise<T>): Promise<T> {
    await this.slot();
    try {
      return await this.withTimeout(job);
    } finally {
      this.release();
    }
  }

  private async slot(): Promise<void> {
    if (this.running < this.limits.concurrency) {
      this.running++;
      return;
    }
    if (this.waiting.length >= this.limits.queueMax)
      throw analysisBusy(
        `${this.limits.queueMax} analyses are already waiting (ANALYSIS_QUEUE_MAX); try again shortly. ` +
          'An answer computed before is served from the cache without waiting.',
        QUEUE_FULL_RETRY_AFTER_SECONDS,
      );
    // The slot is handed over by release(), so `running` already counts this task.
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }

  private async withTimeout<T>(job: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const { timeoutMs } = this.limits;
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new Error('timed out'));
      }, timeoutMs);
    });
    try {
      return await Promise.race([job(controller.signal), expired]);
    } catch (error) {
      // Whichever rejected first (the job's abort or the timer), a task stopped at the timeout is a 503.
      if (controller.signal.aborted)
        throw analysisTimedOut(
          `The analysis ran longer than ${timeoutMs} ms (ANALYSIS_TIMEOUT_MS) and was stopped. ` +
            'Narrow the selection with filters, or try again later.',
          Math.max(1, Math.ceil(timeoutMs / 1000)),
        );
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }
}
