// The Temporal SDK's own worker metrics (task slots, poll and schedule-to-start latencies, sticky cache...): the
// SDK's Rust core serves them itself in Prometheus format on TEMPORAL_METRICS_PORT, next to our registry.
import type { RuntimeOptions } from '@temporalio/worker';

/**
 * The `telemetryOptions` for `Runtime.install`: a Prometheus exporter on `0.0.0.0:port` (a scraper in another
 * container must reach it, like the API's port); none when `port` is unset. Names keep the SDK's defaults
 * (`temporal_` prefix, durations in milliseconds), which Temporal's published SDK dashboards expect.
 */
export function temporalTelemetry(port: number | undefined): Pick<RuntimeOptions, 'telemetryOptions'> {
  if (port === undefined) return {};
  return { telemetryOptions: { metrics: { prometheus: { bindAddress: `0.0.0.0:${port}` } } } };
}
