// Reads what a trend report needs from the store: the window's cases with their timelines, and the cases of the
// BASELINE_WINDOWS earlier windows (records only) for recurring issues. Then summarize() does the counting.
import type { CaseRecord, CaseStore } from '../store/case-store';
import { MAX_WINDOW_LIMIT } from '../store/sql-store';
import { baselineWindows, summarize, type GroupBy, type ReportSummary } from './summary';

export interface ReportRequest {
  /** ISO instants (a UTC day's midnight from the API and CLI); the window is [from, to). */
  from: string;
  to: string;
  groupBy: GroupBy;
  /** When the report is made (default: now). */
  now?: string;
}

/**
 * Every case created in [fromIso, toIso), in pages of the store's maximum. The store pages by created time only, so
 * each next page starts at the last page's created time and skips the ids already read at that instant.
 */
export async function allCasesCreatedBetween(store: CaseStore, fromIso: string, toIso: string): Promise<CaseRecord[]> {
  const cases: CaseRecord[] = [];
  const seen = new Set<string>();
  let from = fromIso;
  for (;;) {
    const page = await store.casesCreatedBetween(from, toIso, MAX_WINDOW_LIMIT);
    const fresh = page.filter((record) => !seen.has(record.id));
    for (const record of fresh) {
      seen.add(record.id);
      cases.push(record);
    }
    if (page.length < MAX_WINDOW_LIMIT) return cases;
    const last = page.at(-1)?.createdAt ?? toIso;
    if (fresh.length === 0 || Date.parse(last) === Date.parse(from)) {
      throw new Error(
        `more than ${MAX_WINDOW_LIMIT} cases were created at the same instant ${last}: the report cannot page past them`,
      );
    }
    from = last;
  }
}

export async function loadReport(store: CaseStore, request: ReportRequest): Promise<ReportSummary> {
  const windows = baselineWindows(request.from, request.to);
  const [cases, baseline] = await Promise.all([
    allCasesCreatedBetween(store, request.from, request.to),
    allCasesCreatedBetween(store, windows.at(-1)?.from ?? request.from, request.from),
  ]);
  const timelines = await store.timelinesFor(cases.map((record) => record.id));
  return summarize({
    cases,
    timelines,
    baseline,
    from: request.from,
    to: request.to,
    groupBy: request.groupBy,
    ...(request.now !== undefined ? { now: request.now } : {}),
  });
}
