// How much each phase does in each mode. Every loop is bounded twice, by a count and by a time limit, so a slow
// or stuck product makes the bench report less, never hang.

export interface RateStep {
  /** Requests started per second (open loop: on schedule, whether or not earlier ones have answered). */
  perSecond: number;
  count: number;
}

export interface Profile {
  /** Closed loop, API creates and raw starts alike. */
  throughput: { concurrency: number; count: number; timeLimitMs: number };
  /** Create and acknowledge latency at these steady rates. */
  latency: RateStep[];
  /** Cases whose ack-due instants fall at these rates. */
  lateness: RateStep[];
  /**
   * RSS is read at idle, right after the throughput phase (its `count` open cases) and at the end; with this set,
   * the end reading first tops the open cases up to this many (long ack target, so they stay open and quiet).
   */
  memoryTopUp?: number;
  /** Time limit of the top-up. */
  topUpTimeLimitMs: number;
  /** Cases whose history is read after their first escalation. */
  historySample: number;
  /** Pause before each measurement, so the backlog of the one before (an overloaded 50 req/s) drains first. */
  settleMs: number;
}

/** Time limit of an open-loop step: its schedule plus slack for stragglers. */
export const stepTimeLimitMs = (step: RateStep): number => (step.count / step.perSecond) * 1000 * 1.5 + 10_000;

export const QUICK: Profile = {
  throughput: { concurrency: 10, count: 60, timeLimitMs: 20_000 },
  latency: [
    { perSecond: 10, count: 20 },
    { perSecond: 50, count: 50 },
  ],
  lateness: [
    { perSecond: 10, count: 20 },
    { perSecond: 33, count: 33 },
  ],
  topUpTimeLimitMs: 0,
  historySample: 3,
  settleMs: 1_000,
};

export const FULL: Profile = {
  throughput: { concurrency: 10, count: 1000, timeLimitMs: 100_000 },
  latency: [
    { perSecond: 10, count: 150 },
    { perSecond: 50, count: 300 },
  ],
  lateness: [
    { perSecond: 10, count: 150 },
    { perSecond: 33, count: 330 },
  ],
  // On two shared cores the product creates some 5-20 cases/s: the time limit, not the count, may end the top-up
  // (the reading then says how many cases were open).
  memoryTopUp: 5000,
  topUpTimeLimitMs: 120_000,
  historySample: 5,
  settleMs: 5_000,
};
