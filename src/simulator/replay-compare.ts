// Comparing in the what-if replay: what the record says happened to each case against what the candidate's replay
// did, counted the same way on both sides up to the horizon, per case, in total, per level and per recipient.
import type { OutgoingMessage } from '../channels/channel';
import type { Audience } from '../shared/notifications';
import type { Plan } from '../shared/plan';
import type { CaseRecord } from '../store/case-store';
import type { ReplayInput } from './replay-read';
import type { ActionOutcome, ReplayRun } from './replay-run';

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

export const REPORTERS = '(reporters)';

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

/** Each case's record against its replay, with the totals, the per-level and per-recipient figures of both sides. */
export function compareReplay(plan: Plan, input: ReplayInput, run: ReplayRun, caveats: string[]): ReplayResult {
  const { cases, horizonMs } = input;
  const { finals, refused, shiftMs } = run;
  const sentByCase = new Map<string, OutgoingMessage[]>();
  for (const message of run.sent) sentByCase.set(message.caseId, [...(sentByCase.get(message.caseId) ?? []), message]);

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
    shiftWeeks: run.shiftWeeks,
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
    caveats,
  };
}
