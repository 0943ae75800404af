// Every Prometheus metric of Escalations, defined once. One registry per process, passed by dependency (never
// prom-client's global one), so an all-in-one process serves API and worker figures together and tests start fresh.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { OpenCaseCount } from '../store/case-store';

/** Seconds from an SLA instant to the moment its notification is handed to the channel: 5 ms to 60 s. */
export const LATENESS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
/** HTTP answers: reads in milliseconds, commands wait up to COMMAND_DEADLINE_MS (15 s) for their case. */
export const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30];

export type CreateOutcome = '201' | '200' | '202' | '4xx' | '5xx';
export type CommandOutcome = 'applied' | 'refused' | 'pending' | 'error';
export type DeliveryFailure = 'permanent' | 'transient';

export interface EscalationMetrics {
  readonly registry: Registry;
  /** `POST /escalations` by answer: 201 created, 200 existing, 202 accepted (a retried create not readable yet). */
  readonly creates: Counter<'outcome'>;
  /** Case commands (`POST /escalations/:id/acknowledge`, ...) by route and outcome. */
  readonly commands: Counter<'command' | 'outcome'>;
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  readonly notificationsSent: Counter<'channel' | 'audience'>;
  /** Delivery attempts that failed: `permanent` (recorded on the case) or `transient` (the activity is retried). */
  readonly notificationsFailed: Counter<'channel' | 'audience' | 'failure'>;
  readonly slaLateness: Histogram<'audience'>;
  /** Missed SLA targets: automatic escalations (`escalated`) and resolve targets missed at the last level. */
  readonly breaches: Counter<'type'>;
  readonly activityRetries: Counter<'activity'>;
  readonly openCases: Gauge<'level' | 'priority'>;
  /**
   * Makes `escalations_open_cases` read the case store on every scrape. A failed read leaves the gauge empty (never a
   * stale figure) and is reported to `onError`.
   */
  watchOpenCases(count: () => Promise<OpenCaseCount[]>, onError?: (error: unknown) => void): void;
}

export interface MetricsOptions {
  registry?: Registry;
  /** prom-client's process metrics (RSS, CPU, event loop lag, GC, ...); on by default. */
  processMetrics?: boolean;
}

export function createMetrics({
  registry = new Registry(),
  processMetrics = true,
}: MetricsOptions = {}): EscalationMetrics {
  if (processMetrics) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  let readOpenCases: (() => Promise<OpenCaseCount[]>) | undefined;
  let onOpenCasesError: (error: unknown) => void = () => {};

  const openCases = new Gauge({
    name: 'escalations_open_cases',
    help: 'Open and acknowledged cases by current level and priority, read from the case store at scrape time.',
    labelNames: ['level', 'priority'] as const,
    registers,
    async collect() {
      if (readOpenCases === undefined) return;
      this.reset();
      try {
        for (const { levelName, priority, count } of await readOpenCases()) {
          this.set({ level: levelName, priority }, count);
        }
      } catch (error) {
        onOpenCasesError(error);
      }
    },
  });

  return {
    registry,
    creates: new Counter({
      name: 'escalations_creates_total',
      help: 'POST /escalations by outcome: 201 created, 200 existing case, 202 accepted, 4xx refused, 5xx failed.',
      labelNames: ['outcome'] as const,
      registers,
    }),
    commands: new Counter({
      name: 'escalations_commands_total',
      help: 'Case commands by route and outcome: applied, refused (illegal transition), pending (202), error.',
      labelNames: ['command', 'outcome'] as const,
      registers,
    }),
    httpDuration: new Histogram({
      name: 'escalations_http_request_duration_seconds',
      help: 'HTTP requests to the API by method, route pattern and status.',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: HTTP_BUCKETS,
      registers,
    }),
    notificationsSent: new Counter({
      name: 'escalations_notifications_sent_total',
      help: 'Notifications delivered to their channel, by channel and audience.',
      labelNames: ['channel', 'audience'] as const,
      registers,
    }),
    notificationsFailed: new Counter({
      name: 'escalations_notifications_failed_total',
      help: 'Failed delivery attempts by channel, audience and failure (permanent: recorded on the case; transient: retried).',
      labelNames: ['channel', 'audience', 'failure'] as const,
      registers,
    }),
    slaLateness: new Histogram({
      name: 'escalations_sla_lateness_seconds',
      help: 'From an SLA instant (missed target, breach warning) to its notification being handed to the channel.',
      labelNames: ['audience'] as const,
      buckets: LATENESS_BUCKETS,
      registers,
    }),
    breaches: new Counter({
      name: 'escalations_breaches_total',
      help: 'Missed SLA targets recorded: automatic escalations (escalated) and missed resolve targets at the last level (resolve_breached).',
      labelNames: ['type'] as const,
      registers,
    }),
    activityRetries: new Counter({
      name: 'escalations_activity_retries_total',
      help: 'Activity attempts after the first, by activity type.',
      labelNames: ['activity'] as const,
      registers,
    }),
    openCases,
    watchOpenCases(count, onError = () => {}) {
      readOpenCases = count;
      onOpenCasesError = onError;
    },
  };
}
