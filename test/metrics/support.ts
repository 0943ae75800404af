// Reads single values out of a metrics registry, so tests assert exact figures rather than exposition text.
import type { Registry } from 'prom-client';

type Labels = Record<string, string | number>;

const matches = (labels: Labels, wanted: Labels) =>
  Object.entries(wanted).every(([key, value]) => String(labels[key]) === String(value));

/** The value of the series of `name` with exactly these labels (among others); 0 when there is none. */
export async function valueOf(registry: Registry, name: string, labels: Labels = {}): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (metric === undefined) throw new Error(`no metric ${name} in the registry`);
  const { values } = await metric.get();
  return values
    .filter((value) => matches(value.labels as Labels, labels))
    .reduce((total, value) => total + value.value, 0);
}

/** A histogram's sample count (`<name>_count`) and sum (`<name>_sum`) for these labels. */
export async function histogramOf(
  registry: Registry,
  name: string,
  labels: Labels = {},
): Promise<{ count: number; sum: number; buckets: Record<string, number> }> {
  const metric = registry.getSingleMetric(name);
  if (metric === undefined) throw new Error(`no metric ${name} in the registry`);
  const { values } = await metric.get();
  // Histogram values carry the series they belong to (`_bucket`, `_sum`, `_count`) in metricName.
  const mine = (values as { labels: Labels; value: number; metricName?: string }[]).filter((value) =>
    matches(value.labels, labels),
  );
  const pick = (suffix: string) =>
    mine.filter((value) => value.metricName === `${name}${suffix}`).reduce((total, value) => total + value.value, 0);
  const buckets: Record<string, number> = {};
  for (const value of mine.filter((v) => v.metricName === `${name}_bucket`)) {
    const le = String(value.labels.le);
    buckets[le] = (buckets[le] ?? 0) + value.value;
  }
  return { count: pick('_count'), sum: pick('_sum'), buckets };
}
