// The registry: every metric defined once under the escalations_ prefix, one registry per process (tests make fresh
// ones), and the configuration of the metrics ports and of the Temporal SDK's own exporter.
import { loadConfig } from '../../src/config';
import { createMetrics, LATENESS_BUCKETS } from '../../src/metrics/registry';
import { temporalTelemetry } from '../../src/metrics/temporal';
import { valueOf } from './support';

describe('createMetrics', () => {
  it('defines every metric of its own under the escalations_ prefix', async () => {
    const { registry } = createMetrics({ processMetrics: false });

    expect((await registry.getMetricsAsJSON()).map((metric) => metric.name).sort()).toEqual([
      'escalations_activity_retries_total',
      'escalations_breaches_total',
      'escalations_commands_total',
      'escalations_creates_total',
      'escalations_http_request_duration_seconds',
      'escalations_notifications_failed_total',
      'escalations_notifications_sent_total',
      'escalations_open_cases',
      'escalations_sla_lateness_seconds',
    ]);
  });

  it("adds prom-client's process metrics by default", async () => {
    const names = (await createMetrics().registry.getMetricsAsJSON()).map((metric) => metric.name);

    expect(names).toEqual(expect.arrayContaining(['process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds']));
  });

  it('keeps the figures of separate registries apart', async () => {
    const first = createMetrics({ processMetrics: false });
    const second = createMetrics({ processMetrics: false });

    first.creates.inc({ outcome: '201' });
    first.creates.inc({ outcome: '201' });
    second.creates.inc({ outcome: '5xx' });

    expect(await valueOf(first.registry, 'escalations_creates_total', { outcome: '201' })).toBe(2);
    expect(await valueOf(first.registry, 'escalations_creates_total', { outcome: '5xx' })).toBe(0);
    expect(await valueOf(second.registry, 'escalations_creates_total', { outcome: '5xx' })).toBe(1);
  });

  it('buckets SLA lateness from 5 ms to 60 s', () => {
    expect([LATENESS_BUCKETS[0], LATENESS_BUCKETS.at(-1)]).toEqual([0.005, 60]);
  });

  it('leaves the open-cases gauge empty until a store is watched', async () => {
    const { registry } = createMetrics({ processMetrics: false });

    expect(await registry.getSingleMetric('escalations_open_cases')?.get()).toMatchObject({ values: [] });
  });
});

describe('metrics configuration', () => {
  it('serves worker metrics on 9464 and exports no Temporal SDK metrics unless asked', () => {
    const config = loadConfig({});

    expect([config.METRICS_PORT, config.TEMPORAL_METRICS_PORT]).toEqual([9464, undefined]);
    expect(loadConfig({ TEMPORAL_METRICS_PORT: '' }).TEMPORAL_METRICS_PORT).toBeUndefined();
    expect(temporalTelemetry(undefined)).toEqual({});
  });

  it("points the Temporal SDK core's Prometheus exporter at TEMPORAL_METRICS_PORT", () => {
    const config = loadConfig({ TEMPORAL_METRICS_PORT: '9465' });

    expect(temporalTelemetry(config.TEMPORAL_METRICS_PORT)).toEqual({
      telemetryOptions: { metrics: { prometheus: { bindAddress: '0.0.0.0:9465' } } },
    });
  });

  it('refuses a TEMPORAL_METRICS_PORT that is not a port', () => {
    expect(() => loadConfig({ TEMPORAL_METRICS_PORT: 'ninety' })).toThrow('TEMPORAL_METRICS_PORT');
  });
});
