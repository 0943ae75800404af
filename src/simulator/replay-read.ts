// Reading recorded cases for the what-if replay: the cases of a window from the store, the people's actions in their
// timelines, and the replay's input built from them (every start and action in the order they are to be applied).
import type { Priority } from '../shared/plan';
import type { CaseRecord, CaseStore, NotificationRecord, TimelineRecord } from '../store/case-store';
import {
  acknowledgementNoteOf,
  escalationOf,
  feedbackOf,
  pauseReasonOf,
  reprioritisationOf,
  resolutionOf,
  staffReopenReason,
} from '../timeline/facts';
import { mapLimit } from '../shared/map-limit';
import { SimulationError } from './virtual-time';

/** One case as the store recorded it; the CLI loads these for a window. */
export interface RecordedCase {
  record: CaseRecord;
  timeline: TimelineRecord[];
  notifications: NotificationRecord[];
}

/** What a person did to a case, as far as the recorded timeline tells: replayed as an update (a comment: a signal). */
export type ReplayAction =
  | { kind: 'acknowledge'; by: string; note?: string }
  | { kind: 'resolve'; by: string; resolution: string }
  | { kind: 'escalate'; by: string; reason: string }
  | { kind: 'comment'; by: string; note: string }
  | { kind: 'pause'; by: string; reason: string }
  | { kind: 'resume'; by: string }
  | { kind: 'reprioritise'; by: string; priority: Priority; reason: string }
  | { kind: 'feedback'; by: string; score: number; comment?: string }
  | { kind: 'reopen'; by: string; reason: string };

export interface RecordedAction {
  /** Original (unshifted) instant. */
  at: string;
  seq: number;
  action: ReplayAction;
  /** A manual escalation that skipped levels; replayed one level up (level ids differ between matrices). */
  jumped?: boolean;
}

/** A case's start or one of its recorded actions, at its original instant. */
export type ReplayStep = { atMs: number; caseIndex: number; seq: number } & (
  { kind: 'start' } | { kind: 'action'; action: ReplayAction }
);

export interface ReplayWindowOptions {
  /** The window the cases were chosen from (ISO instants); default: the first to the last case's creation. */
  window?: { from: string; to: string };
  /** When the records were read: nothing after it can be in them, so the comparison stops there. Default: now. */
  observedAt?: string;
}

/** What the replay runs: the cases oldest first, their actions, and every step of them in the order to apply it. */
export interface ReplayInput {
  cases: RecordedCase[];
  /** The recorded actions of each case, by the case's index in `cases`. */
  actions: RecordedAction[][];
  steps: ReplayStep[];
  /** When the first case was created (original time): the replay's time shift is measured from it. */
  earliestMs: number;
  window: { from: string; to: string };
  /** Both sides are counted up to here (original time). */
  horizonMs: number;
}

const DAY = 86_400_000;

/** The most cases one replay takes: they all run at once in one test server. */
export const MAX_REPLAY_CASES = 5000;

/**
 * The cases created in [fromIso, toIso) with their timelines and notifications. `truncated` means the window holds
 * more than MAX_REPLAY_CASES: the caller should narrow it rather than replay a part that looks like the whole.
 */
export async function loadRecordedCases(
  store: CaseStore,
  fromIso: string,
  toIso: string,
): Promise<{ cases: RecordedCase[]; truncated: boolean }> {
  const records = await store.casesCreatedBetween(fromIso, toIso, MAX_REPLAY_CASES);
  const cases = await mapLimit(records, 8, async (record) => ({
    record,
    timeline: await store.timeline(record.id),
    notifications: await store.notifications(record.id),
  }));
  return { cases, truncated: records.length >= MAX_REPLAY_CASES };
}

/** The people's actions in a recorded timeline, in seq order; everything else is the matrix's doing. */
export function recordedActions(recorded: RecordedCase): RecordedAction[] {
  const actions: RecordedAction[] = [];
  let levelIndex: number | null = null;
  for (const event of [...recorded.timeline].sort((a, b) => a.seq - b.seq)) {
    const by = event.by;
    const note = event.note ?? '';
    const push = (action: ReplayAction, extra: Partial<RecordedAction> = {}) =>
      actions.push({ at: event.at, seq: event.seq, action, ...extra });
    if (by !== null) {
      switch (event.type) {
        case 'acknowledged': {
          const ackNote = acknowledgementNoteOf(event);
          push({ kind: 'acknowledge', by, ...(ackNote ? { note: ackNote } : {}) });
          break;
        }
        case 'resolved':
          push({ kind: 'resolve', by, resolution: resolutionOf(event) || recorded.record.resolution || 'resolved' });
          break;
        case 'comment':
          push({ kind: 'comment', by, note });
          break;
        case 'paused':
          push({ kind: 'pause', by, reason: pauseReasonOf(event) ?? note });
          break;
        case 'resumed':
          push({ kind: 'resume', by });
          break;
        case 'reprioritised': {
          const moved = reprioritisationOf(event);
          if (moved) push({ kind: 'reprioritise', by, ...moved });
          break;
        }
        case 'feedback_received': {
          // A low score reopens the case by itself, so its reopen is not replayed.
          const feedback = feedbackOf(event);
          if (feedback) push({ kind: 'feedback', by, ...feedback });
          break;
        }
        case 'reopened': {
          const reason = staffReopenReason(event);
          if (reason !== undefined) push({ kind: 'reopen', by, reason });
          break;
        }
        case 'escalated': {
          // Hand the next owner the bare reason.
          const reason = escalationOf(event, null).reason ?? note;
          const jumped = levelIndex !== null && event.levelIndex !== null && event.levelIndex > levelIndex + 1;
          push({ kind: 'escalate', by, reason: reason || 'escalated by hand' }, jumped ? { jumped } : {});
          break;
        }
      }
    }
    if (event.levelIndex !== null && event.type !== 'level_skipped' && event.type !== 'escalated') {
      levelIndex = event.levelIndex;
    }
  }
  return actions;
}

function parseInstant(text: string, what: string): number {
  const ms = Date.parse(text);
  if (Number.isNaN(ms))
    throw new SimulationError(`${what} "${text}" is not an ISO instant (e.g. 2026-10-01T00:00:00Z)`);
  return ms;
}

/** The replay's input from `recorded`; a SimulationError names what in the records cannot be replayed. */
export function readReplayInput(recorded: RecordedCase[], options: ReplayWindowOptions = {}): ReplayInput {
  if (recorded.length === 0) throw new SimulationError('no recorded cases to replay; widen the window');
  const ids = new Set<string>();
  for (const { record } of recorded) {
    if (ids.has(record.id)) throw new SimulationError(`case ${record.id} is in the recorded cases twice`);
    ids.add(record.id);
  }
  const cases = [...recorded].sort((a, b) => a.record.createdAt.localeCompare(b.record.createdAt));
  const createdMs = cases.map(({ record }) => parseInstant(record.createdAt, `case ${record.id} createdAt`));
  const actions = cases.map(recordedActions);
  const earliestMs = Math.min(...createdMs);
  const window = options.window ?? {
    from: new Date(earliestMs).toISOString(),
    to: new Date(Math.max(...createdMs)).toISOString(),
  };
  const toMs = parseInstant(window.to, 'window.to');
  parseInstant(window.from, 'window.from');
  const observedMs = options.observedAt === undefined ? Date.now() : parseInstant(options.observedAt, 'observedAt');

  const steps: ReplayStep[] = cases.flatMap((_, caseIndex) => [
    { kind: 'start' as const, atMs: createdMs[caseIndex] as number, caseIndex, seq: 0 },
    ...(actions[caseIndex] ?? []).map((entry) => ({
      kind: 'action' as const,
      atMs: Date.parse(entry.at),
      caseIndex,
      seq: entry.seq,
      action: entry.action,
    })),
  ]);
  // At one instant a case starts before anything is done to it; the rest keep the order they were recorded in.
  steps.sort((a, b) => a.atMs - b.atMs || a.caseIndex - b.caseIndex || a.seq - b.seq);
  const lastStepMs = Math.max(...steps.map((step) => step.atMs));
  // The record cannot hold what happened after it was read; the candidate stops where the record does.
  const horizonMs = Math.max(lastStepMs, Math.min(toMs + DAY, observedMs));
  return { cases, actions, steps, earliestMs, window, horizonMs };
}
