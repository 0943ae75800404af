// The results as one Markdown table (figure, value, against the raw baseline, 1-minute load average) and as JSON.
import type { Distribution } from './stats';
import type { BenchResults } from './run';

interface Row {
  figure: string;
  value: string;
  vsRaw: string;
  load1: number | string;
}

const ms = (value: number | undefined) => (value === undefined ? '-' : `${Math.round(value)} ms`);
const times = (value: number | undefined) => (value === undefined ? '-' : `${value.toFixed(2)}x`);
const spread = (d: Distribution) => `p50 ${ms(d.p50)}, p99 ${ms(d.p99)}`;
const cpu = (perCreate: Record<string, number>) =>
  Object.entries(perCreate)
    .map(([role, cpuMs]) => `${role} ${cpuMs}`)
    .join(', ');

/** `none`, or `409: 3, error: 1`. */
function failures(counts: Record<string, number>): string {
  const entries = Object.entries(counts);
  return entries.length === 0 ? 'none' : entries.map(([status, count]) => `${status}: ${count}`).join(', ');
}

function rows(results: BenchResults): Row[] {
  const { throughput, latency, lateness, history, memory } = results;
  const out: Row[] = [
    {
      figure: `API creates/s answered (${throughput.concurrency} clients, ${throughput.api.succeeded} cases)`,
      value:
        `${throughput.api.perSecond.toFixed(1)}/s; ${spread(throughput.api.latencyMs)}; ` +
        `non-2xx ${failures(throughput.api.failures)}`,
      vsRaw: times(throughput.ratio),
      load1: throughput.api.load1,
    },
    {
      figure: 'API cases opened/s (until the last first handoff reached the log)',
      value:
        `${throughput.api.openedPerSecond?.toFixed(1) ?? '-'}/s` +
        `${throughput.api.notOpened ? `; not opened in time ${throughput.api.notOpened}` : ''}; ` +
        `CPU ms per case: ${cpu(throughput.api.cpuMsPerCreate)}`,
      vsRaw: times(throughput.openedRatio),
      load1: throughput.api.load1,
    },
    {
      figure: `raw workflow.start/s (${throughput.concurrency} clients, no worker)`,
      value: `${throughput.raw.perSecond.toFixed(1)}/s; ${spread(throughput.raw.latencyMs)}; failed ${failures(throughput.raw.failures)}; CPU ms per start: ${cpu(throughput.raw.cpuMsPerCreate)}`,
      vsRaw: '1x',
      load1: throughput.raw.load1,
    },
  ];
  for (const step of latency) {
    out.push(
      {
        figure: `create @ ${step.perSecond} req/s (${step.create.latencyMs.count} ok)`,
        value: `${spread(step.create.latencyMs)}; non-2xx ${failures(step.create.failures)}`,
        vsRaw: `p50 ${times(step.createVsRaw.p50)}, p99 ${times(step.createVsRaw.p99)}`,
        load1: step.create.load1,
      },
      {
        figure: `raw start @ ${step.perSecond} req/s (${step.raw.latencyMs.count} ok)`,
        value: `${spread(step.raw.latencyMs)}; failed ${failures(step.raw.failures)}`,
        vsRaw: '1x',
        load1: step.raw.load1,
      },
      {
        figure: `acknowledge @ ${step.perSecond} req/s (${step.acknowledge.latencyMs.count} ok)`,
        value:
          `${spread(step.acknowledge.latencyMs)}; non-2xx ${failures(step.acknowledge.failures)}` +
          `${step.notOpened > 0 ? `; ${step.notOpened} cases not yet opened by the worker when acks began` : ''}`,
        vsRaw: '-',
        load1: step.acknowledge.load1,
      },
    );
  }
  for (const step of lateness) {
    const achieved =
      step.achievedDuePerSecond === undefined ? '' : `, achieved ${step.achievedDuePerSecond.toFixed(1)}/s`;
    out.push({
      figure: `SLA lateness, ${step.cases} cases due at ${step.duePerSecond}/s${achieved} (ack ${step.ackTargetS} s)`,
      value:
        `${spread(step.latenessMs)}, max ${ms(step.latenessMs.max)}; lost ${step.lost}${lostDetail(step.lostBecause)}, ` +
        `duplicated ${step.duplicated}` +
        `${step.repeatedHandoffs > 0 ? `, handed off twice ${step.repeatedHandoffs}` : ''}` +
        `; create non-2xx ${failures(step.createFailures)}`,
      vsRaw: '-',
      load1: step.load1,
    });
  }
  const h = history.median;
  out.push({
    figure: `history per case, create -> 1 escalation (median of ${history.sampled})`,
    value: h
      ? `${h.events} events, ${h.workflowTasks} workflow tasks, ${h.activitiesScheduled} activities, ` +
        `${h.localActivities} local activities, ${h.timersStarted} timers, ${h.searchAttributeUpserts} search attribute upserts, ` +
        `${(h.bytes / 1024).toFixed(1)} KiB`
      : 'no escalated case to sample',
    vsRaw: '-',
    load1: '-',
  });
  if (results.topUp) {
    const t = results.topUp;
    out.push({
      figure: `open cases topped up from ${t.before} to ${t.target} (${t.created} API creates, 10 clients)`,
      value:
        `${t.created} created in ${t.elapsedS} s, ${t.perSecond.toFixed(1)}/s; failed ${failures(t.failures)}; ` +
        `5xx or no answer on the way, retried with the same id: ${failures(t.retried)}` +
        `${t.notSent > 0 ? `; not sent (time limit) ${t.notSent}` : ''}`,
      vsRaw: '-',
      load1: t.load1,
    });
  }
  for (const list of results.lists) {
    out.push({
      figure: `GET ${list.query} at ${list.openCases} open cases (${list.items} items)`,
      value: `${spread(list.latencyMs)}, max ${ms(list.latencyMs.max)}; non-2xx ${failures(list.failures)}`,
      vsRaw: '-',
      load1: list.load1,
    });
  }
  for (const reading of memory) {
    const processes = Object.entries(reading.rssMb)
      .map(([role, mb]) => `${role} ${mb === undefined ? '-' : `${mb} MB`}`)
      .join(', ');
    out.push({
      figure: `RSS, ${reading.label}${reading.rawRuns > 0 ? ` (+${reading.rawRuns} raw runs on the server)` : ''}`,
      value: processes,
      vsRaw: '-',
      load1: reading.load1,
    });
  }
  return out;
}

/** ` (2 no handoff, 1 late)` for the causes that occurred. */
function lostDetail(because: Record<string, number>): string {
  const names: Record<string, string> = { noHandoff: 'no handoff', late: 'later than +30 s', noDueTime: 'no due time' };
  const parts = Object.entries(because)
    .filter(([, count]) => count > 0)
    .map(([cause, count]) => `${count} ${names[cause] ?? cause}`);
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
}

const cell = (text: string | number) => String(text).replaceAll('|', '\\|');

export function markdownReport(results: BenchResults): string {
  const target = results.cluster
    ? `cluster ${results.cluster.dataDir} (${results.cluster.workers} workers, ${results.cluster.apis} APIs)`
    : `store ${results.store}`;
  const header =
    `### Escalations bench: ${results.mode}, ${target}, ${results.startedAt}, ` +
    `${results.durationS} s, ${results.machine.cpus} CPUs, Node ${results.machine.node}`;
  const table = [
    '| figure | value | vs raw | load1 |',
    '| --- | --- | --- | --- |',
    ...rows(results).map(
      (row) => `| ${cell(row.figure)} | ${cell(row.value)} | ${cell(row.vsRaw)} | ${cell(row.load1)} |`,
    ),
  ];
  const n = results.notifications;
  const footer =
    `Notifications read: ${n.total}, duplicated (same idempotency key twice): ${n.duplicated}` +
    `${n.unreadable > 0 ? `, unreadable lines: ${n.unreadable}` : ''}. ` +
    'Latencies are from the scheduled send instant (open loop); lateness is log-channel arrival minus sla.ackDueAt; ' +
    'load1 is the 1-minute load average at the end of each measurement.';
  return [header, '', ...table, '', footer, ''].join('\n');
}
