// What-if replay: the recorded cases of a window re-run against a candidate matrix in virtual time, with the same
// people doing the same things at the same instants, then compared with what really happened under the old one.
import type { WorkflowHandle } from '@temporalio/client';
import { IANAZone } from 'luxon';
import { ChannelRegistry, type NotificationChannel, type OutgoingMessage } from '../channels/channel';
import { WORKFLOW_GENERATION, type CaseInput, type EscalationState } from '../shared/escalation';
import { stateQuery } from '../shared/messages';
import type { Plan, Priority } from '../shared/plan';
import {
  acknowledgementNoteOf,
  escalationOf,
  feedbackOf,
  pauseReasonOf,
  reprioritisationOf,
  resolutionOf,
  staffReopenReason,
} from '../timeline/facts';
import type { Audience } from '../shared/notifications';
import type { CaseRecord, CaseStore, NotificationRecord, TimelineRecord } from '../store/case-store';
import { escalationWorkflow } from '../workflows/escalation.workflow';
import { refusal, sendCommand } from './send-command';
import { inVirtualTime, SimulationError } from './virtual-time';

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

export interface ActionOutcome {
  at: string;
  kind: ReplayAction['kind'];
  by: string;
  /** `refused: <Reason>: <message>` or `failed: <message>`. */
  outcome: string;
}

export interface LevelReached {
  index: number;
  name: string;
}

/** What one side (the record, or the candidate's replay) did with a case, up to the comparison's horizon. */
export interface CaseOutcome {
  /** Automatic escalations: a target missed (`escalated` without `by`). */
  breaches: number;
  breachWarnings: number;
  /** Last-level reminders (`repeat_notified`). */
  reminders: number;
  unowned: number;
  /** Resolve target missed at the last level, where there is nobody to escalate to. */
  resolveBreaches: number;
  handoffs: number;
  highestLevel: LevelReached | null;
  notifications: number;
  resolved: boolean;
}

export interface CaseComparison {
  id: string;
  title: string;
  category: string;
  priority: CaseRecord['priority'];
  createdAt: string;
  actual: CaseOutcome;
  candidate: CaseOutcome;
  /** Recorded actions the candidate's case did not accept (e.g. a pause reason it does not allow). */
  refused: ActionOutcome[];
  changed: boolean;
}

export interface Counts {
  actual: number;
  candidate: number;
}

export interface ReplayTotals {
  cases: number;
  changedCases: number;
  refusedActions: number;
  breaches: Counts;
  breachWarnings: Counts;
  reminders: Counts;
  unowned: Counts;
  resolveBreaches: Counts;
  handoffs: Counts;
  notifications: Counts;
  resolved: Counts;
}

export interface LevelComparison {
  level: string;
  actualHandoffs: number;
  candidateHandoffs: number;
  /** Automatic escalations away from this level (its target was missed). */
  actualBreaches: number;
  candidateBreaches: number;
  /** Notifications to the level's own assignees while the case was there: handoffs, warnings, reminders. */
  actualNotifications: number;
  candidateNotifications: number;
}

export interface RecipientComparison {
  /** A recipient address; every reporter together is `(reporters)`. */
  address: string;
  actual: number;
  candidate: number;
}

export interface ReplayResult {
  window: { from: string; to: string };
  /** Both sides are counted up to here (original time): the window's end + 1 day, or the last recorded action. */
  horizon: string;
  shiftWeeks: number;
  plan: { name: string; version: string; versionName?: string };
  cases: CaseComparison[];
  totals: ReplayTotals;
  perLevel: LevelComparison[];
  perRecipient: RecipientComparison[];
  /** Where the replay cannot be exact, in words for the report. */
  caveats: string[];
}

export interface ReplayOptions {
  /** The window the cases were chosen from (ISO instants); default: the first to the last case's creation. */
  window?: { from: string; to: string };
  /** When the records were read: nothing after it can be in them, so the comparison stops there. Default: now. */
  observedAt?: string;
  /** Called now and then while steps are applied (long windows take minutes). */
  onProgress?: (doneSteps: number, totalSteps: number) => void;
}

export const REPORTERS = '(reporters)';

const MINUTE = 60_000;
const DAY = 86_400_000;
const WEEK = 7 * DAY;
/**
 * The shift is a whole number of 52-week blocks: weekday and time of day stay (business hours depend on them) and
 * the season too, so daylight saving time mostly lines up (its changes fall up to a week apart between years).
 */
const SHIFT_BLOCK_WEEKS = 52;
/** Room between the test server's clock and the first shifted case, for the worker to be polling. */
const LEAD_MS = MINUTE;
/** An action closer than this to its case's next SLA instant is applied just after that instant (see the loop). */
const TIMER_GUARD_MS = 250;
/** Real time a case gets to answer before the replay gives up on the test server. */
const ANSWER_TIMEOUT_MS = 30_000;
/** Final state queries in flight at once (each replays a closed case's history on the worker). */
const QUERY_CONCURRENCY = 16;

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

interface OutcomeEvent {
  seq: number;
  atMs: number;
  type: string;
  levelIndex: number | null;
  levelName: string | null;
  by: string | null;
}

interface OutcomeNotification {
  atMs: number;
  address: string;
  audience: Audience;
}

interface Tally {
  outcome: CaseOutcome;
  handoffsByLevel: Map<string, number>;
  breachesByLevel: Map<string, number>;
  notificationsByLevel: Map<string, number>;
  notificationsByRecipient: Map<string, number>;
  levelIndexByName: Map<string, number>;
}

const bump = (map: Map<string, number>, key: string, by = 1) => map.set(key, (map.get(key) ?? 0) + by);

/**
 * Counts one side of a case. A notification belongs to the level the case was at when it was requested (the last
 * level-bearing event at or before it): that is the level whose people a handoff, warning or reminder reached.
 */
function tally(events: OutcomeEvent[], notifications: OutcomeNotification[], fallback: LevelReached): Tally {
  const result: Tally = {
    outcome: {
      breaches: 0,
      breachWarnings: 0,
      reminders: 0,
      unowned: 0,
      resolveBreaches: 0,
      handoffs: 0,
      highestLevel: null,
      notifications: notifications.length,
      resolved: false,
    },
    handoffsByLevel: new Map(),
    breachesByLevel: new Map(),
    notificationsByLevel: new Map(),
    notificationsByRecipient: new Map(),
    levelIndexByName: new Map(),
  };
  const { outcome } = result;
  const levelAt: { atMs: number; level: LevelReached }[] = [];
  let current: LevelReached | undefined;
  for (const event of [...events].sort((a, b) => a.seq - b.seq)) {
    const level =
      event.levelIndex !== null && event.levelName !== null
        ? { index: event.levelIndex, name: event.levelName }
        : undefined;
    switch (event.type) {
      case 'escalated':
        if (event.by === null) {
          outcome.breaches += 1;
          if (current) bump(result.breachesByLevel, current.name);
        }
        break;
      case 'handed_off':
        outcome.handoffs += 1;
        if (level) bump(result.handoffsByLevel, level.name);
        break;
      case 'breach_warning':
        outcome.breachWarnings += 1;
        break;
      case 'repeat_notified':
        outcome.reminders += 1;
        break;
      case 'unowned':
        outcome.unowned += 1;
        break;
      case 'resolve_breached':
        outcome.resolveBreaches += 1;
        break;
      case 'resolved':
        outcome.resolved = true;
        break;
    }
    // `escalated` names where the case goes and `level_skipped` a level it never entered; the handoff follows.
    if (level && event.type !== 'escalated' && event.type !== 'level_skipped') {
      current = level;
      levelAt.push({ atMs: event.atMs, level });
      result.levelIndexByName.set(
        level.name,
        Math.min(result.levelIndexByName.get(level.name) ?? level.index, level.index),
      );
      if (outcome.highestLevel === null || level.index > outcome.highestLevel.index) outcome.highestLevel = level;
    }
  }
  if (outcome.highestLevel === null) {
    outcome.highestLevel = fallback;
    result.levelIndexByName.set(fallback.name, fallback.index);
  }
  for (const notification of notifications) {
    bump(result.notificationsByRecipient, notification.audience === 'reporter' ? REPORTERS : notification.address);
    if (notification.audience !== 'assignee') continue;
    const entry = levelAt.filter((candidate) => candidate.atMs <= notification.atMs).at(-1) ?? levelAt[0];
    bump(result.notificationsByLevel, (entry?.level ?? fallback).name);
  }
  return result;
}

/** A registry that captures a message on whatever channel the candidate names (email, slack, ...). */
class CapturingRegistry extends ChannelRegistry {
  readonly sent: OutgoingMessage[] = [];

  constructor() {
    super([]);
  }

  override get(name: string): NotificationChannel {
    return {
      name,
      send: (message) => {
        this.sent.push(message);
        return Promise.resolve();
      },
    };
  }
}

/** The candidate with its dated parts (holidays, rotation starts and overrides) moved by the same shift. */
export function shiftPlanDates(plan: Plan, shiftWeeks: number): Plan {
  const days = shiftWeeks * 7;
  const shiftDate = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
  const shiftLocal = (local: string) => `${shiftDate(local.slice(0, 10))}${local.slice(10)}`;
  const shifted = structuredClone(plan);
  for (const calendar of Object.values(shifted.calendars)) {
    calendar.holidays = calendar.holidays.map((holiday) => ({ ...holiday, date: shiftDate(holiday.date) }));
  }
  for (const rotation of Object.values(shifted.rotations)) {
    rotation.start = shiftDate(rotation.start);
    rotation.overrides = rotation.overrides.map((o) => ({ ...o, from: shiftLocal(o.from), to: shiftLocal(o.to) }));
  }
  return shifted;
}

/** The smallest whole number of 52-week blocks (in weeks) that puts `earliestMs` after `serverNowMs`. */
export function shiftWeeksFor(earliestMs: number, serverNowMs: number): number {
  const block = SHIFT_BLOCK_WEEKS * WEEK;
  // `+ 0` turns the -0 that Math.ceil gives for a window already ahead of the clock into a plain 0.
  return Math.ceil((serverNowMs + LEAD_MS - earliestMs) / block) * SHIFT_BLOCK_WEEKS + 0;
}

function planZones(plan: Plan): string[] {
  const zones = [...Object.values(plan.calendars), ...Object.values(plan.rotations)].map((entry) => entry.zone);
  return [...new Set(zones)].filter((zone) => IANAZone.isValidZone(zone));
}

/** `promise`, or a SimulationError naming `what` when the test server has not answered in ANSWER_TIMEOUT_MS. */
async function answered<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new SimulationError(
            `${what}: no answer from the test server within ${ANSWER_TIMEOUT_MS / 1000}s of real time; ` +
              'the replay is stuck there. Run it again; if it sticks at the same case, replay a window without it.',
          ),
        ),
      ANSWER_TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

type Handle = WorkflowHandle<typeof escalationWorkflow>;

type Step = { atMs: number; caseIndex: number; seq: number } & (
  { kind: 'start' } | { kind: 'action'; action: ReplayAction }
);

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  });
  await Promise.all(workers);
  return results;
}

function parseInstant(text: string, what: string): number {
  const ms = Date.parse(text);
  if (Number.isNaN(ms))
    throw new SimulationError(`${what} "${text}" is not an ISO instant (e.g. 2026-10-01T00:00:00Z)`);
  return ms;
}

/**
 * Replays `recorded` against `plan` in one time-skipping environment and compares each case with its record.
 * Every instant moves by the same whole number of weeks (the test server cannot go back in time).
 */
export async function replayCases(
  plan: Plan,
  recorded: RecordedCase[],
  options: ReplayOptions = {},
): Promise<ReplayResult> {
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

  const steps: Step[] = cases.flatMap((_, caseIndex) => [
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

  const channels = new CapturingRegistry();
  return inVirtualTime('replay', channels, async ({ env, taskQueue, skipTo, advanceTo }) => {
    const shiftWeeks = shiftWeeksFor(earliestMs, await env.currentTimeMs());
    const shiftMs = shiftWeeks * WEEK;
    const shiftedPlan = shiftPlanDates(plan, shiftWeeks);
    let movedPastTimer = 0;
    const handles = new Map<number, Handle>();
    const finals = new Map<number, EscalationState>();
    const refused = cases.map((): ActionOutcome[] => []);

    for (let i = 0; i < steps.length; i++) {
      const step = steps[i] as Step;
      await skipTo(step.atMs + shiftMs);
      const { record } = cases[step.caseIndex] as RecordedCase;
      if (step.kind === 'start') {
        const input: CaseInput = {
          id: record.id,
          title: record.title,
          ...(record.description !== null ? { description: record.description } : {}),
          category: record.category,
          // The recorded priority is what triage made of the case back then; the candidate sees it as given.
          priority: record.priority,
          reporter: { name: record.reporterName, email: record.reporterEmail },
          attemptedSteps: record.attemptedSteps,
        };
        const handle = await env.client.workflow.start(escalationWorkflow, {
          workflowId: `replay/${record.id}`,
          taskQueue,
          args: [{ case: input, plan: shiftedPlan, generation: WORKFLOW_GENERATION }],
        });
        // The first workflow task runs now, so the case is created at this instant and not after the next skip.
        await answered(handle.query(stateQuery), `case ${record.id} did not start`);
        handles.set(step.caseIndex, handle);
      } else {
        const handle = handles.get(step.caseIndex) as Handle;
        const what = `case ${record.id}: ${step.action.kind} by ${step.action.by} at ${new Date(step.atMs).toISOString()}`;
        // The test server fails a workflow task when an update lands while the case's SLA timer fires ("invalid
        // history builder state for action") and the case hangs. So the case's timers due that close to the action
        // fire first, at the instants its history gives: at one instant the SLA action goes first anyway.
        if ((await advanceTo(handle, await env.currentTimeMs(), TIMER_GUARD_MS)) > 0) movedPastTimer += 1;
        const outcome = await answered(sendCommand(handle, step.action), what).then(
          (state) => {
            if (state && ['resolved', 'closed', 'cancelled'].includes(state.status)) finals.set(step.caseIndex, state);
            return 'applied';
          },
          (error: unknown) => {
            if (error instanceof SimulationError) throw error;
            return refusal(error);
          },
        );
        if (outcome !== 'applied') {
          refused[step.caseIndex]?.push({
            at: new Date(step.atMs).toISOString(),
            kind: step.action.kind,
            by: step.action.by,
            outcome,
          });
        }
      }
      if (options.onProgress && (i % 250 === 249 || i === steps.length - 1)) options.onProgress(i + 1, steps.length);
    }
    await skipTo(horizonMs + shiftMs);

    const open = cases.map((_, index) => index).filter((index) => !finals.has(index));
    const states = await mapLimit(open, QUERY_CONCURRENCY, (index) =>
      answered((handles.get(index) as Handle).query(stateQuery), `case ${cases[index]?.record.id}: final state`),
    );
    open.forEach((index, n) => finals.set(index, states[n] as EscalationState));
    // Notifications of the last automatic actions may still be in flight: every one the cases counted must be in.
    const expected = [...finals.values()].reduce((sum, state) => sum + state.notificationsSent, 0);
    for (let i = 0; i < 1000 && channels.sent.length < expected; i++) await new Promise((r) => setTimeout(r, 10));
    const inFlight = Math.max(0, expected - channels.sent.length);

    return compare({
      plan,
      cases,
      finals,
      sent: channels.sent,
      refused,
      shiftWeeks,
      shiftMs,
      window,
      horizonMs,
      steps,
      actions,
      movedPastTimer,
      inFlight,
    });
  });
}

interface CompareInput {
  plan: Plan;
  cases: RecordedCase[];
  finals: Map<number, EscalationState>;
  sent: OutgoingMessage[];
  refused: ActionOutcome[][];
  shiftWeeks: number;
  shiftMs: number;
  window: { from: string; to: string };
  horizonMs: number;
  steps: Step[];
  actions: RecordedAction[][];
  movedPastTimer: number;
  /** Notifications the candidate's cases counted but the channel never saw (still in flight after 10 s). */
  inFlight: number;
}

function compare(input: CompareInput): ReplayResult {
  const { plan, cases, finals, refused, shiftMs, horizonMs } = input;
  const sentByCase = new Map<string, OutgoingMessage[]>();
  for (const message of input.sent)
    sentByCase.set(message.caseId, [...(sentByCase.get(message.caseId) ?? []), message]);

  const perLevel = new Map<string, LevelComparison & { index: number }>();
  const perRecipient = new Map<string, RecipientComparison>();
  const levelRow = (name: string, index: number) => {
    const row = perLevel.get(name) ?? {
      level: name,
      index,
      actualHandoffs: 0,
      candidateHandoffs: 0,
      actualBreaches: 0,
      candidateBreaches: 0,
      actualNotifications: 0,
      candidateNotifications: 0,
    };
    row.index = Math.min(row.index, index);
    perLevel.set(name, row);
    return row;
  };
  const merge = (side: 'actual' | 'candidate', counted: Tally) => {
    for (const [name, index] of counted.levelIndexByName) levelRow(name, index);
    for (const [name, n] of counted.handoffsByLevel) levelRow(name, Infinity)[`${side}Handoffs`] += n;
    for (const [name, n] of counted.breachesByLevel) levelRow(name, Infinity)[`${side}Breaches`] += n;
    for (const [name, n] of counted.notificationsByLevel) levelRow(name, Infinity)[`${side}Notifications`] += n;
    for (const [address, n] of counted.notificationsByRecipient) {
      const row = perRecipient.get(address) ?? { address, actual: 0, candidate: 0 };
      row[side] += n;
      perRecipient.set(address, row);
    }
  };

  const comparisons = cases.map(({ record, timeline, notifications }, index): CaseComparison => {
    const fallback = { index: record.levelIndex, name: record.levelName };
    const actual = tally(
      timeline.map((event) => ({ ...event, atMs: Date.parse(event.at) })).filter((event) => event.atMs <= horizonMs),
      notifications
        .map((n) => ({ atMs: Date.parse(n.requestedAt), address: n.recipient, audience: n.audience }))
        .filter((n) => n.atMs <= horizonMs),
      fallback,
    );
    const state = finals.get(index);
    const candidate = tally(
      (state?.timeline ?? []).map((event) => ({
        seq: event.seq,
        atMs: Date.parse(event.at) - shiftMs,
        type: event.type,
        levelIndex: event.level?.index ?? null,
        levelName: event.level?.name ?? null,
        by: event.by ?? null,
      })),
      (sentByCase.get(record.id) ?? []).map((m) => ({
        atMs: Date.parse(m.requestedAt) - shiftMs,
        address: m.recipient.address,
        audience: m.audience,
      })),
      state ? { index: state.level.index, name: state.level.name } : fallback,
    );
    merge('actual', actual);
    merge('candidate', candidate);
    const a = actual.outcome;
    const c = candidate.outcome;
    const changed =
      (refused[index]?.length ?? 0) > 0 ||
      a.highestLevel?.name !== c.highestLevel?.name ||
      (
        [
          'breaches',
          'breachWarnings',
          'reminders',
          'unowned',
          'resolveBreaches',
          'handoffs',
          'notifications',
          'resolved',
        ] as const
      ).some((key) => a[key] !== c[key]);
    return {
      id: record.id,
      title: record.title,
      category: record.category,
      priority: record.priority,
      createdAt: record.createdAt,
      actual: a,
      candidate: c,
      refused: refused[index] ?? [],
      changed,
    };
  });

  const sum = (pick: (outcome: CaseOutcome) => number | boolean): Counts => ({
    actual: comparisons.reduce((total, row) => total + Number(pick(row.actual)), 0),
    candidate: comparisons.reduce((total, row) => total + Number(pick(row.candidate)), 0),
  });
  const totals: ReplayTotals = {
    cases: comparisons.length,
    changedCases: comparisons.filter((row) => row.changed).length,
    refusedActions: comparisons.reduce((total, row) => total + row.refused.length, 0),
    breaches: sum((o) => o.breaches),
    breachWarnings: sum((o) => o.breachWarnings),
    reminders: sum((o) => o.reminders),
    unowned: sum((o) => o.unowned),
    resolveBreaches: sum((o) => o.resolveBreaches),
    handoffs: sum((o) => o.handoffs),
    notifications: sum((o) => o.notifications),
    resolved: sum((o) => o.resolved),
  };

  return {
    window: input.window,
    horizon: new Date(horizonMs).toISOString(),
    shiftWeeks: input.shiftWeeks,
    plan: { name: plan.name, version: plan.version, ...(plan.versionName ? { versionName: plan.versionName } : {}) },
    cases: comparisons,
    totals,
    perLevel: [...perLevel.values()]
      .sort((x, y) => x.index - y.index || x.level.localeCompare(y.level))
      .map(({ index: _index, ...row }) => row),
    perRecipient: [...perRecipient.values()].sort(
      (x, y) =>
        Number(x.address === REPORTERS) - Number(y.address === REPORTERS) ||
        y.actual + y.candidate - (x.actual + x.candidate) ||
        x.address.localeCompare(y.address),
    ),
    caveats: caveats(input),
  };
}

/** Where the replay is not the real thing, so the reader weighs the numbers accordingly. */
function caveats(input: CompareInput): string[] {
  const { plan, cases, steps, shiftMs, shiftWeeks, actions, movedPastTimer, inFlight } = input;
  const notes = [
    'People act at their recorded times: nobody answers sooner or later because the candidate paged them differently.',
    `Replayed ${shiftWeeks} weeks later in virtual time (same weekdays and times of day); ` +
      "the candidate's holidays and on-call rotations were moved by the same weeks.",
  ];
  const zones = planZones(plan);
  const offDst = new Set<number>();
  for (const step of steps) {
    const differs = zones.some((zone) => {
      const iana = IANAZone.create(zone);
      return iana.offset(step.atMs) !== iana.offset(step.atMs + shiftMs);
    });
    if (differs) offDst.add(step.caseIndex);
  }
  if (offDst.size === 0 && zones.length > 0) {
    notes.push(`Daylight saving time (${zones.join(', ')}) lines up for every case in the replayed year.`);
  } else if (offDst.size > 0) {
    notes.push(
      `${offDst.size} case(s) fall where daylight saving time changes on other days in the replayed year ` +
        `(${zones.join(', ')}): their local times ran an hour off.`,
    );
  }
  if (movedPastTimer > 0) {
    notes.push(
      `${movedPastTimer} action(s) fell within ${TIMER_GUARD_MS} ms of a deadline of the candidate and were applied ` +
        'just after it (the test server cannot take both at one instant; the SLA action goes first).',
    );
  }
  if (inFlight > 0) {
    notes.push(`${inFlight} notification(s) of the candidate were still being sent when it stopped: not counted.`);
  }
  const jumps = actions.flat().filter((entry) => entry.jumped).length;
  if (jumps > 0) {
    notes.push(`${jumps} manual escalation(s) skipped levels in the record; they were replayed one level up.`);
  }
  const unrecorded = plan.triage.filter(({ when }) =>
    [when.tags, when.urgencies, when.legalThreat, when.minUsersAffected, when.minRevenueAtRisk].some(
      (condition) => condition !== undefined,
    ),
  );
  if (unrecorded.length > 0) {
    notes.push(
      `Triage rule(s) ${unrecorded.map((rule) => rule.id).join(', ')} look at tags, urgency or impact, which the ` +
        'store does not keep: the replayed cases have none.',
    );
  }
  if (cases.some(({ timeline }) => timeline.some((event) => event.type === 'plan_migrated'))) {
    notes.push('Some cases were moved to another matrix while open; the replay runs them on the candidate throughout.');
  }
  return notes;
}
