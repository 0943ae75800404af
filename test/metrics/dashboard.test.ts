// The Grafana dashboard in deploy/ queries only metrics that exist: ours from the registry, the Temporal SDK's by the
// names its core exports, prom-client's process metrics.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createMetrics } from '../../src/metrics/registry';

const DASHBOARD = path.resolve(__dirname, '../../deploy/grafana/escalations-dashboard.json');

interface Panel {
  type: string;
  title: string;
  targets?: { expr: string }[];
}

const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { schemaVersion: number; panels: Panel[] };
const queried = dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr));
const metricNames = (prefix: string) =>
  [...new Set(queried.flatMap((expr) => expr.match(new RegExp(`\\b${prefix}[a-z0-9_]+`, 'g')) ?? []))].map((name) =>
    name.replace(/_(bucket|sum|count)$/, ''),
  );

/** The Temporal SDK core's worker metrics the dashboard may use (the `temporal_` prefix is the SDK's default). */
const TEMPORAL_SDK_METRICS = [
  'temporal_worker_task_slots_used',
  'temporal_worker_task_slots_available',
  'temporal_workflow_task_schedule_to_start_latency',
  'temporal_activity_schedule_to_start_latency',
  'temporal_workflow_task_execution_latency',
  'temporal_activity_execution_latency',
  'temporal_workflow_task_execution_failed',
  'temporal_activity_execution_failed',
];

describe('deploy/grafana/escalations-dashboard.json', () => {
  it('is a Grafana dashboard of schema version 39 or later, every panel with a title', () => {
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(39);
    expect(dashboard.panels.filter((panel) => !panel.title)).toEqual([]);
  });

  it('queries only metrics the registry defines', async () => {
    const defined = (await createMetrics().registry.getMetricsAsJSON()).map((metric) => metric.name);

    expect(metricNames('escalations_').filter((name) => !defined.includes(name))).toEqual([]);
    expect(metricNames('(?:process|nodejs)_').filter((name) => !defined.includes(name))).toEqual([]);
  });

  it("queries the Temporal SDK's worker metrics by their exported names", () => {
    expect(metricNames('temporal_').filter((name) => !TEMPORAL_SDK_METRICS.includes(name))).toEqual([]);
    expect(metricNames('temporal_')).toEqual(expect.arrayContaining(['temporal_worker_task_slots_available']));
  });

  it('has a panel for each figure the issue asks for', () => {
    const titles = dashboard.panels.map((panel) => panel.title);

    expect(titles).toEqual(
      expect.arrayContaining([
        'SLA lateness p50 / p99',
        'Creates per second',
        'Commands by outcome',
        'Open cases by level and priority',
        'Notification failures',
        'Activity retries',
        'Task slots used / available',
        'Schedule-to-start latency p99',
      ]),
    );
  });
});
