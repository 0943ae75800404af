// One escalation case as a durable state machine: triages, hands off, waits for commands or its next SLA instant,
// moves up the matrix, and documents every step. Deterministic: decisions come from ./transitions, side effects
// and time-zone arithmetic from activities.
import {
  allHandlersFinished,
  ApplicationFailure,
  ActivityFailure,
  condition,
  log,
  makeContinueAsNewFunc,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  TimeoutFailure,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { EscalationActivities, NotifyInput, RecordInput, RecordOutcome } from '../activities';
import { formatDuration } from '../shared/duration';
import {
  ILLEGAL_TRANSITION,
  OPEN_STATUSES,
  type EscalationInput,
  type EscalationState,
  type Recipient,
  type SlaTimes,
  type TimelineEvent,
  WORKFLOW_GENERATION,
} from '../shared/escalation';
import { notificationKey } from '../shared/ids';
import {
  COMMAND_KINDS,
  COMMANDS,
  commentSignal,
  openedUpdate,
  stateQuery,
  type CommandInputs,
  type CommandKind,
  type MigrateInput,
} from '../shared/messages';
import type { Plan } from '../shared/plan';
import { EscalationCategory, EscalationLevel, EscalationPriority, EscalationStatus } from '../shared/search-attributes';
import { toCaseSnapshot } from '../shared/snapshot';
import {
  calendarSlaTimes,
  contactRecipients,
  pausesFrom,
  withAckWindow,
  type LevelFacts,
  type PauseInterval,
} from './level-facts';
import {
  isFinished,
  LIFECYCLE_ACTIONS,
  recordReopen,
  reopenLevel,
  reprioritise,
  reprioritised,
  type LifecycleCommand,
} from './lifecycle';
import { applyLifecycle, reassign } from './lifecycle-steps';
import { deliveryFailedNotice } from './notices';
import { upgradePlan, withoutLifecycle } from './plan-upgrade';
import {
  applyCommand,
  automaticEscalationReason,
  endingPause,
  enterLevel,
  escalationTarget,
  fireInPlace,
  IllegalTransitionError,
  illegalReason,
  isDue,
  isLifecycle,
  levelAt,
  migrate,
  migrationTarget,
  notifyReporter,
  openCase,
  pathOf,
  projectForCommand,
  recordEscalation,
  resume,
  unacknowledge,
  startReason,
  Transition,
  type Command,
  type Decision,
} from './transitions';

// Retries never give up on a transient failure: a notification or a record must not go missing. Each call is
// idempotent (see activities), so a retry after a timeout cannot send or write twice.
const { document, notify } = proxyActivities<EscalationActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** How long a step's record may keep failing transiently before the case flags it (its timers run on meanwhile). */
const RECORD_PATIENCE_MS = 5 * 60_000;

/**
 * One activity per step: the store write and the step's notifications. Its first schedule is bounded by `patienceMs`
 * so that a store or channel that stays down is flagged on the case; the workflow then schedules the same
 * (idempotent) record once more without a bound (retries add no history events, so a long outage costs none).
 */
const recordActivity = (patienceMs?: number) =>
  proxyActivities<EscalationActivities>({
    startToCloseTimeout: '30 seconds',
    // The activity heartbeats every second while it runs: an attempt on a worker that died is retried after this,
    // not after the start-to-close timeout.
    heartbeatTimeout: '10 seconds',
    ...(patienceMs !== undefined ? { scheduleToCloseTimeout: patienceMs } : {}),
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
  }).record;
const recordUntilDone = recordActivity();

// Pure look-ups (business-hours arithmetic in a time zone, who is on call) run as local activities: fast, and
// their answers are recorded, so a replay never depends on the replaying machine's time-zone data.
const { computeLevelTimes, resolveRecipients } = proxyLocalActivities<EscalationActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '200 milliseconds', maximumInterval: '10 seconds' },
});

type Failure =
  | {
      kind: 'notification';
      text: string;
      /** Why the channel refused it, as the channel said. */
      reason: string;
      recipient: Recipient;
      /** False for a failed report of earlier failures. */
      reportable: boolean;
    }
  | { kind: 'record'; type: 'documentation_failed'; text: string }
  | { kind: 'record'; type: 'record_delayed'; text: string; reason: string; steps: number[]; patienceMs: number };

interface Pending {
  command: Command;
  outcome?: { state: EscalationState } | { error: IllegalTransitionError };
}

/** A step's record as the record activity takes it, with what the workflow needs to read its outcome. */
interface StepRecord {
  input: RecordInput;
  summary: string;
  /** Idempotency keys of notifications that report earlier failures (their own failure is not reported again). */
  unreportable: string[];
}

/** The workflow's input: a case, and from a previous run of it the records that run left to this one. */
export type EscalationRunInput = EscalationInput & { pendingRecords?: StepRecord[] };

/** How long a run that is about to continue as new waits for its records in flight (moments, unless the store is down). */
const RECORD_SETTLE_BOUND = '30 seconds';

/** Timeline events a continued run carries in its state; the store keeps every one. */
const CARRIED_EVENTS = 50;
/** Continue-as-new past this many history events unless the input says otherwise (or the server suggests it). */
const DEFAULT_HISTORY_LIMIT = 2_000;

export async function escalationWorkflow(input: EscalationRunInput): Promise<EscalationState> {
  const workflowId = workflowInfo().workflowId;
  const queue: Pending[] = [];
  // A case started on a generation that has a change below runs it without asking its history (its input says so,
  // and it is in history); only older cases ask, so new cases carry no patch markers. Short-circuited on purpose.
  const generation = input.generation ?? 0;
  const current = generation >= 3;
  // Cases started before this change awaited every notification in line; replays of them must keep doing so.
  const notifyInBackground = current || patched('notify-in-background');
  // Cases started before the lifecycle (follow-up, reviews, status updates, continue-as-new) completed at
  // resolution; replays of them must keep doing so, whatever their plan says.
  const lifecycle = current || patched('case-lifecycle');
  // Cases started before this change documented each step and sent each notification in activities of their own,
  // awaiting the record before the next step; replays of them must keep doing so.
  const oneRecordPerStep = current || patched('one-record-per-step');
  // Cases started before this change kept the level's ack due time running across a reassignment (the new assignee
  // got what was left of it); their replays must keep doing so, and make no SLA lookup there.
  const reassignRestartsAck = generation >= WORKFLOW_GENERATION || patched('reassign-restarts-ack');
  const pinned = (next: Plan) => (lifecycle ? upgradePlan(next) : withoutLifecycle(upgradePlan(next)));
  // Pinned for the life of the case; only an explicit migratePlan update replaces it.
  let plan = pinned(input.plan);
  const historyLimit = input.historyLimit ?? DEFAULT_HISTORY_LIMIT;
  const recordPatienceMs = input.recordPatienceMs ?? RECORD_PATIENCE_MS;
  const record = recordActivity(recordPatienceMs);
  const failures: Failure[] = [];
  let inFlight = 0;
  const publish = createPublisher(oneRecordPerStep);

  const continued = input.continued;
  // The clock starts when the API accepted the case (never later than now: the API's clock may run ahead).
  const raisedAt = input.raisedAt !== undefined ? Math.min(Date.parse(input.raisedAt), Date.now()) : Date.now();
  const opened = continued ? undefined : openCase(input.case, plan, raisedAt);
  let state = continued ?? (opened as NonNullable<typeof opened>).transition.state;

  // Commands are queued and applied by the main loop only, so a command and a due SLA action never interleave.
  const submit = async (command: Command): Promise<EscalationState> => {
    const pending: Pending = { command };
    queue.push(pending);
    await condition(() => pending.outcome !== undefined);
    const outcome = pending.outcome as NonNullable<Pending['outcome']>;
    if ('error' in outcome) throw toFailure(outcome.error);
    return outcome.state;
  };
  // Rejects before anything reaches history; judged on the state the command will meet, i.e. after any SLA
  // action due by now (windows are half-open: at the end instant the escalation happens first).
  const validate = (command: Command) => {
    const illegal = illegalReason(projectForCommand(state, plan, Date.now()), plan, command);
    if (illegal) throw toFailure(illegal);
  };
  /** One command of the table, registered as an update whose validator and handler judge the same command. */
  const registerCommand = <K extends CommandKind>(kind: K) => {
    // A migration's matrix is pinned as it arrives (older shapes upgraded), as every plan the case runs on is.
    const toCommand = (input: CommandInputs[K]) =>
      ({ ...input, kind, ...(kind === 'migrate' ? { plan: pinned((input as MigrateInput).plan) } : {}) }) as Command;
    setHandler(COMMANDS[kind].update, (input: CommandInputs[K]) => submit(toCommand(input)), {
      validator: (input: CommandInputs[K]) => validate(toCommand(input)),
    });
  };

  let isOpen = continued !== undefined;
  setHandler(stateQuery, () => state);
  setHandler(openedUpdate, async () => {
    await condition(() => isOpen);
    return state;
  });
  setHandler(commentSignal, ({ by, note }) => {
    queue.push({ command: { kind: 'comment', by, note } });
  });
  for (const kind of COMMAND_KINDS) {
    // Lifecycle commands exist on cases that run the lifecycle (all but replays of the oldest histories).
    if (!COMMANDS[kind].lifecycle || lifecycle) registerCommand(kind);
  }

  /** The SLA instants of level `index` counted from `startMs`: inline for calendar time, else a local activity. */
  function levelTimes(t: Transition, index: number, startMs: number, pauses: PauseInterval[]): Promise<SlaTimes> {
    const level = levelAt(t.path, index);
    const targets = level.sla[t.state.priority];
    const inline = calendarSlaTimes(startMs, targets, level.warning, pauses);
    if (inline) return Promise.resolve(inline);
    return computeLevelTimes.executeWithOptions({ summary: `SLA times at ${level.name}` }, [
      { startMs, targets, warning: level.warning, calendars: t.plan.calendars, pauses },
    ]);
  }

  /** The SLA instants and recipients of a level entered (or re-timed) at `startMs`. */
  async function levelFacts(
    t: Transition,
    index: number,
    startMs: number,
    pauses: PauseInterval[] = [],
  ): Promise<LevelFacts> {
    const level = levelAt(t.path, index);
    const inlineRecipients = contactRecipients(level);
    // The SLA lookup is scheduled first, as it always was: replays expect the local activities in this order.
    const [sla, reached] = await Promise.all([
      levelTimes(t, index, startMs, pauses),
      inlineRecipients
        ? { recipients: inlineRecipients, nobody: [] }
        : resolveRecipients.executeWithOptions({ summary: `who to notify at ${level.name}` }, [
            { targets: level.targets, directory: t.plan, atMs: startMs },
          ]),
    ]);
    return { sla, recipients: reached.recipients, nobody: reached.nobody };
  }

  /** Hands the case to `index`, moving on past levels that reach nobody. */
  async function handTo(t: Transition, index: number, why: string): Promise<void> {
    for (let at = index; ; at++) {
      const outcome = enterLevel(t, at, why, await levelFacts(t, at, t.now));
      if (outcome === 'entered') return;
    }
  }

  /**
   * The current level's due times recomputed around `pauses`, at level `index` of `t`'s plan: the resolve target
   * from the level's entry, the ack target from where its window (re)started.
   */
  async function retime(t: Transition, pauses: PauseInterval[], index = t.state.level.index): Promise<SlaTimes> {
    // The whole level's facts, recipients too, as it always was: replays expect those local activities.
    const fromEntry = (await levelFacts(t, index, Date.parse(t.state.levelEnteredAt), pauses)).sla;
    const ackFrom = t.state.ackWindowFrom;
    if (ackFrom === undefined) return fromEntry;
    const ackFromMs = Date.parse(ackFrom);
    return withAckWindow(fromEntry, await levelTimes(t, index, ackFromMs, pausesFrom(pauses, ackFromMs)));
  }

  /** The current level's times counted from now: a restarted ack window's due and warning instants. */
  function ackWindowFromNow(t: Transition): Promise<SlaTimes> {
    return levelTimes(t, t.state.level.index, t.now, []);
  }

  /** What a notification of the step asks the notify activity (or the record activity) to send. */
  const notifyInput = (n: Decision['notifications'][number]): NotifyInput => ({
    idempotencyKey: notificationKey(workflowId, n.seq),
    caseId: state.id,
    channel: n.recipient.channel,
    recipient: { name: n.recipient.name, address: n.recipient.address },
    audience: n.audience,
    subject: n.subject,
    body: n.body,
    requestedAt: n.at,
    ...(n.feedbackRound !== undefined ? { feedbackRound: n.feedbackRound } : {}),
    // Rendered by the activity from the organisation's template files; the text above is the fallback.
    ...(n.template !== undefined && n.model !== undefined ? { template: n.template, model: n.model } : {}),
  });
  const notificationFailure = (n: NotifyInput, reason: string, reportable: boolean): Failure => ({
    kind: 'notification',
    text: `${n.recipient.name} <${n.recipient.address}> via ${n.channel}: ${reason}`,
    reason,
    recipient: { ...n.recipient, channel: n.channel },
    reportable,
  });

  /** Once set (a run about to continue as new), steps' records are kept here for the next run to schedule. */
  let deferred: StepRecord[] | undefined;
  /** Records scheduled in this run and not settled: a run that continues past its bound hands them to the next. */
  const unsettled = new Set<StepRecord>();

  function stepRecord(decision: Decision): StepRecord {
    const notifications = decision.notifications;
    return {
      input: {
        snapshot: toCaseSnapshot(state, workflowId),
        events: decision.events,
        notifications: notifications.map(notifyInput),
      },
      summary: `record ${decision.events.map((e) => e.type).join(', ')}${notifications.length > 0 ? `; notify ${notifications.length}` : ''}`,
      unreportable: notifications.filter((n) => n.reportsFailure).map((n) => notificationKey(workflowId, n.seq)),
    };
  }

  /**
   * Records a step and sends its notifications in one activity that nothing waits for: neither a slow store nor a
   * failing channel may hold up an SLA timer or the next command. Records of later steps may overtake it; the store
   * keeps the highest revision's snapshot and every event once. Failures come back to the main loop to be recorded.
   */
  function scheduleRecord(step: StepRecord): void {
    const { input: recordInput, summary, unreportable } = step;
    const { events, notifications } = recordInput;
    inFlight += 1;
    unsettled.add(step);
    const settle = async (): Promise<void> => {
      for (let delayed = false; ;) {
        let outcome: RecordOutcome;
        try {
          outcome = await (delayed ? recordUntilDone : record).executeWithOptions({ summary }, [recordInput]);
        } catch (error) {
          // Out of patience: a timeout, or the last attempt's failure when one more retry would pass the bound.
          const timedOut =
            error instanceof ActivityFailure &&
            (error.cause instanceof TimeoutFailure || error.retryState === 'TIMEOUT');
          if (timedOut && !delayed && !onlyRecordFlags(events)) {
            const text = `the record of step ${events.map((e) => e.seq).join(', ')} (${summary}) has failed for ${formatDuration(recordPatienceMs)}: ${failureText(error)}; still retrying`;
            log.warn(`case ${state.id}: ${text}`);
            failures.push({
              kind: 'record',
              type: 'record_delayed',
              text,
              reason: failureText(error),
              steps: events.map((e) => e.seq),
              patienceMs: recordPatienceMs,
            });
          }
          delayed ||= timedOut;
          if (timedOut) continue;
          if (!onlyRecordFlags(events)) {
            failures.push({ kind: 'record', type: 'documentation_failed', text: failureText(error) });
          }
          return;
        }
        // A refused record of a refusal is not recorded again: a case whose own text the store refuses (a NUL in
        // its title) would otherwise record refusals of refusals for ever.
        if (outcome.documentationRefused !== undefined && !onlyRecordFlags(events)) {
          failures.push({ kind: 'record', type: 'documentation_failed', text: outcome.documentationRefused });
        }
        for (const failed of outcome.failed) {
          const n = notifications.find((item) => item.idempotencyKey === failed.idempotencyKey);
          if (n) failures.push(notificationFailure(n, failed.reason, !unreportable.includes(n.idempotencyKey)));
        }
        return;
      }
    };
    void settle().finally(() => {
      inFlight -= 1;
      unsettled.delete(step);
    });
  }

  /** Documents the step, sends its notifications (in parallel), then publishes the new state. */
  async function commit(t: Transition): Promise<void> {
    const decision = t.decision();
    state = decision.state;
    publish(state, plan);
    if (oneRecordPerStep) {
      const step = stepRecord(decision);
      if (deferred) deferred.push(step);
      else scheduleRecord(step);
      return;
    }
    const snapshot = toCaseSnapshot(state, workflowId);
    const documented = document.executeWithOptions(
      { summary: `record ${decision.events.map((e) => e.type).join(', ')}` },
      [{ snapshot, events: decision.events }],
    );
    const sent = decision.notifications.map((n) =>
      notify
        .executeWithOptions({ summary: `${n.audience} ${n.recipient.name} via ${n.recipient.channel}` }, [
          notifyInput(n),
        ])
        .then(
          () => undefined,
          // Only permanent failures get here (transient ones are retried): record them, never fail the case.
          (error: unknown) => {
            failures.push(notificationFailure(notifyInput(n), failureText(error), !n.reportsFailure));
          },
        ),
    );
    if (!notifyInBackground) {
      await Promise.all([documented, ...sent]);
      return;
    }
    // A slow or failing channel must not hold up SLA timers or the next command: only the record is awaited.
    inFlight += sent.length;
    for (const delivery of sent) void delivery.finally(() => (inFlight -= 1));
    await documented;
  }

  /**
   * Puts notifications that could not be delivered on the timeline, and tells the level's owner on their other
   * channels (never about a failed report of a failure, so two broken channels cannot ping-pong).
   */
  async function recordFailures(): Promise<void> {
    if (failures.length === 0) return;
    const t = new Transition(state, plan, Date.now());
    const failed = failures.splice(0);
    for (const failure of failed) {
      if (failure.kind === 'record' && failure.type === 'record_delayed') {
        const { reason, steps, patienceMs } = failure;
        t.record('record_delayed', { level: state.level, note: failure.text, details: { reason, steps, patienceMs } });
      } else if (failure.kind === 'record') {
        t.record('documentation_failed', { level: state.level, note: failure.text, details: { reason: failure.text } });
      } else {
        const { name, channel, address } = failure.recipient;
        t.record('notification_failed', {
          level: state.level,
          note: failure.text,
          details: { recipient: { name, channel, address }, reason: failure.reason },
        });
      }
    }
    const reportable = failed.filter(
      (failure): failure is Extract<Failure, { kind: 'notification' }> =>
        failure.kind === 'notification' && failure.reportable,
    );
    if (lifecycle && reportable.length > 0) {
      const elsewhere = state.levelRecipients.filter(
        (r) => !reportable.some((f) => f.recipient.channel === r.channel || f.recipient.address === r.address),
      );
      const notice = deliveryFailedNotice(
        state,
        reportable.map((f) => f.text),
      );
      t.notify(elsewhere, 'assignee', { ...notice, reportsFailure: true });
    }
    await commit(t);
  }

  /** Performs the due automatic action. */
  async function fireDue(): Promise<void> {
    const t = new Transition(state, plan, Date.now());
    const next = state.next;
    const to = escalationTarget(state, plan);
    if (next && to !== undefined) {
      const why = automaticEscalationReason(state, plan);
      recordEscalation(t, to, why, {
        trigger: next.reason === 'resolve' ? 'resolve_target' : 'ack_target',
        dueAt: next.at,
      });
      await handTo(t, to, why);
    } else {
      const level = levelAt(t.path, state.level.index);
      const upcoming =
        // Only ahead of a missed ack: while a case is acknowledged no higher level hears of it (no re-page).
        next?.action === 'warn' &&
        next.reason === 'ack' &&
        level.warning?.notifyNextLevel &&
        t.path.levels[state.level.index + 1]
          ? (await levelFacts(t, state.level.index + 1, t.now)).recipients
          : [];
      fireInPlace(t, upcoming);
    }
    await commit(t);
  }

  async function apply(command: Command): Promise<void> {
    const illegal = illegalReason(state, plan, command);
    if (illegal) throw illegal;
    if (command.kind === 'migrate') {
      const t = new Transition(state, command.plan, Date.now());
      const target = migrationTarget(state, command.plan);
      if (typeof target === 'string') throw new IllegalTransitionError('PlanMismatch', target);
      migrate(t, command, await retime(t, pauseIntervals(state), target.index));
      plan = command.plan;
      await commit(t);
      return;
    }
    const t = new Transition(state, plan, Date.now());
    if (isLifecycle(command)) {
      await applyLifecycleCommand(t, command);
      await commit(t);
      return;
    }
    if (command.kind === 'escalate') {
      const to = escalationTarget(state, plan, command) as number;
      const why = `escalated by ${command.by} from ${state.level.name}: ${command.reason}`;
      recordEscalation(t, to, why, { trigger: 'manual', by: command.by, reason: command.reason });
      await handTo(t, to, why);
    } else if (command.kind === 'unacknowledge') {
      unacknowledge(t, command, await ackWindowFromNow(t));
    } else if (command.kind === 'resume') {
      const ending = endingPause(state, t.now);
      resume(t, command, await retime(t, [...pauseIntervals(state), ...(ending ? [ending] : [])]));
    } else {
      applyCommand(t, command);
    }
    await commit(t);
  }

  /** Lifecycle commands; reprioritise re-times the level, reopening hands the case back to who resolved it. */
  async function applyLifecycleCommand(t: Transition, command: LifecycleCommand): Promise<void> {
    if (command.kind === 'reprioritise') {
      const from = reprioritise(t, command);
      reprioritised(t, command, from, await retime(t, pauseIntervals(state)));
      return;
    }
    if (command.kind === 'reopen') {
      const why = recordReopen(t, command.by, `by ${command.by}: ${command.reason}`, {
        cause: 'staff',
        reason: command.reason,
      });
      await handTo(t, reopenLevel(t.state), why);
      return;
    }
    if (command.kind === 'reassign' && reassignRestartsAck && t.state.status === 'open') {
      reassign(t, command, await ackWindowFromNow(t));
      return;
    }
    applyLifecycle(t, command);
    if (command.kind === 'feedback' && t.state.status === 'resolved') {
      const comment = command.comment ? `: "${command.comment}"` : '';
      const why = recordReopen(t, command.by, `the reporter is not satisfied (score ${command.score}/5)${comment}`, {
        cause: 'unsatisfied_feedback',
        score: command.score,
        ...(command.comment ? { comment: command.comment } : {}),
      });
      await handTo(t, reopenLevel(t.state), why);
    }
  }

  const historyFull = () => {
    const info = workflowInfo();
    return info.continueAsNewSuggested || info.historyLength >= historyLimit;
  };

  /**
   * Starts the next run with the full state once history is long (weeks of comments and updates), at a quiet
   * point: no command queued, no handler running, every notification settled. The store keeps the whole timeline.
   */
  let continueRecorded = false;
  async function continueIfHistoryFull(): Promise<void> {
    if (!lifecycle || !historyFull()) return;
    if (!oneRecordPerStep) return continueAtQuietPoint();
    if (deferred === undefined) {
      // The records in flight settle first (moments, unless the store is down), so that their failures are recorded
      // in this run; commands wait in the queue meanwhile. From here on, steps' records go to the next run instead,
      // so that a steady stream of commands cannot keep the run from ever reaching a quiet point.
      if (inFlight > 0) await condition(() => inFlight === 0, RECORD_SETTLE_BOUND);
      deferred = [];
      await recordFailures();
      await recordContinue();
    }
    // Queued commands and due actions are applied by the main loop first (their records deferred too).
    if (queue.length > 0 || isFinished(state) || isDue(state, Date.now())) return;
    await condition(() => allHandlersFinished() || queue.length > 0);
    if (queue.length > 0) return;
    await recordFailures();
    // Records still failing (the store down past RECORD_SETTLE_BOUND) go to the next run, which schedules them again.
    await continueAsNew([...unsettled, ...deferred]);
  }

  /** The timeline's mark of a run handing over to the next one. */
  async function recordContinue(): Promise<void> {
    const t = new Transition(state, plan, Date.now());
    const length = workflowInfo().historyLength;
    t.record('continued_as_new', {
      note: `run ${state.runs} -> ${state.runs + 1} after ${length} history events`,
      details: { fromRun: state.runs, toRun: state.runs + 1, historyEvents: length },
    });
    await commit(t);
  }

  /** Before one-record-per-step: waits for a moment with nothing in flight (kept for replays of such runs). */
  async function continueAtQuietPoint(): Promise<void> {
    if (queue.length > 0 || inFlight > 0) return;
    await condition(() => allHandlersFinished() || queue.length > 0);
    if (queue.length > 0) return;
    await recordFailures();
    // Recorded once: a command that arrives while it is documented goes first, and the next quiet point continues.
    if (!continueRecorded) {
      await recordContinue();
      continueRecorded = true;
    }
    if (queue.length > 0 || inFlight > 0) return;
    await continueAsNew([]);
  }

  async function continueAsNew(pendingRecords: StepRecord[]): Promise<never> {
    const carried: EscalationState = {
      ...state,
      timeline: state.timeline.slice(-CARRIED_EVENTS),
      runs: state.runs + 1,
    };
    const next = makeContinueAsNewFunc<typeof escalationWorkflow>({
      typedSearchAttributes: workflowInfo().typedSearchAttributes,
    });
    return next({
      case: input.case,
      plan,
      continued: carried,
      historyLimit,
      ...(input.recordPatienceMs !== undefined ? { recordPatienceMs: input.recordPatienceMs } : {}),
      ...(input.generation !== undefined ? { generation: input.generation } : {}),
      ...(pendingRecords.length > 0 ? { pendingRecords } : {}),
    });
  }

  if (opened) {
    const t0 = opened.transition;
    await handTo(t0, opened.startIndex, startReason(t0.state, plan, opened.startIndex));
    notifyReporter(t0);
    await commit(t0);
    isOpen = true;
  } else {
    publish(state, plan);
    for (const step of input.pendingRecords ?? []) scheduleRecord(step);
  }

  while (!isFinished(state) || queue.length > 0) {
    await continueIfHistoryFull();
    if (queue.length === 0 && !isFinished(state)) {
      const next = state.next;
      const wake = () => queue.length > 0 || failures.length > 0 || (historyFull() && inFlight === 0 && lifecycle);
      if (next === null) {
        await condition(wake);
      } else if (!isDue(state, Date.now())) {
        const waitMs = Date.parse(next.at) - Date.now();
        await condition(wake, waitMs, { summary: timerSummary(state, plan) });
      }
    }
    await recordFailures();
    if (!isFinished(state) && isDue(state, Date.now())) {
      await fireDue();
      continue; // another action may be due, and it goes before any queued command
    }
    const pending = queue.shift();
    if (!pending) continue;
    try {
      await apply(pending.command);
      pending.outcome = { state };
    } catch (error) {
      if (!(error instanceof IllegalTransitionError)) throw error;
      pending.outcome = { error };
    }
  }
  // Every notification of the case is delivered (or recorded as failed) before the run completes.
  for (const step of deferred?.splice(0) ?? []) scheduleRecord(step);
  deferred = undefined;
  await condition(() => inFlight === 0);
  await recordFailures();
  await condition(allHandlersFinished);
  return state;
}

function failureText(error: unknown): string {
  type Cause = { type?: string; message?: string; cause?: Cause };
  const cause = (error as { cause?: Cause }).cause;
  if (cause?.message) {
    const text = cause.type ? `${cause.type}: ${cause.message}` : cause.message;
    // A timeout carries the last attempt's failure as its cause: that is the reason worth reading.
    return cause.cause?.message ? `${text} (last attempt: ${cause.cause.message})` : text;
  }
  return error instanceof Error ? error.message : String(error);
}

/** True for a step that only flags trouble with earlier records (so its own trouble is not flagged again). */
function onlyRecordFlags(events: readonly TimelineEvent[]): boolean {
  return events.every((e) => e.type === 'record_delayed' || e.type === 'documentation_failed');
}

function pauseIntervals(state: EscalationState): PauseInterval[] {
  return state.pauses.map((pause) => ({ start: Date.parse(pause.start), end: Date.parse(pause.end) }));
}

function toFailure(error: IllegalTransitionError): ApplicationFailure {
  return ApplicationFailure.create({
    type: ILLEGAL_TRANSITION,
    message: error.message,
    nonRetryable: true,
    details: [{ reason: error.reason }],
  });
}

/** One place that mirrors the state to what operators see: search attributes and the run's current details. */
function createPublisher(trustStart: boolean): (state: EscalationState, plan: Plan) => void {
  // The starter (the API) indexes a run with the escalation attributes once they are registered on the namespace;
  // a run started without them (a bare test server has no operator service to register them) is not re-indexed.
  const attributes = workflowInfo().typedSearchAttributes;
  const isIndexed = attributes.get(EscalationStatus) !== undefined;
  // What the start (or the previous run) already set is not upserted again: one command and event less per case.
  let indexed: string | undefined =
    trustStart && isIndexed
      ? [EscalationStatus, EscalationPriority, EscalationLevel, EscalationCategory]
          .map((key) => String(attributes.get(key)))
          .join('|')
      : undefined;
  return (state, plan) => {
    const attributes = [state.status, state.priority, state.level.name, state.category].join('|');
    if (isIndexed && attributes !== indexed) {
      indexed = attributes;
      upsertSearchAttributes([
        { key: EscalationStatus, value: state.status },
        { key: EscalationPriority, value: state.priority },
        { key: EscalationLevel, value: state.level.name },
        { key: EscalationCategory, value: state.category },
      ]);
    }
    const next = state.next;
    const waitingFor = state.status === 'acknowledged' ? 'resolved' : 'acknowledged';
    const levels = pathOf(state, plan).levels.length;
    const flags = [state.unowned ? 'UNOWNED' : '', state.paused ? `PAUSED: ${state.paused.reason}` : '']
      .filter(Boolean)
      .join(', ');
    setCurrentDetails(
      [
        `**${state.id}** ${state.status}${flags ? ` (${flags})` : ''}, ${state.priority}, ${state.category}`,
        `Level ${state.level.index + 1}/${levels}: ${state.level.name}; owner: ${state.owner ?? 'nobody'}`,
        `Ack due: ${state.sla.ackDueAt ?? '-'}; resolve due: ${state.sla.resolveDueAt ?? '-'}`,
        next
          ? `Next: ${describeNext(state)} at ${next.at}${lifecycleNext(next) ? '' : ` unless ${waitingFor}`}`
          : `Next: ${OPEN_STATUSES.includes(state.status) ? (state.paused ? 'nothing while paused' : 'waiting for somebody to acknowledge') : `nothing, ${state.status}`}`,
      ].join('\n'),
    );
  };
}

const lifecycleNext = (next: NonNullable<EscalationState['next']>) => LIFECYCLE_ACTIONS.has(next.action);

/** What a lifecycle timer is for, in words for the Temporal UI. */
const LIFECYCLE_TIMER: Record<string, (item?: string) => string> = {
  status_update: () => 'periodic status update',
  task_reminder: (item) => `reminder about task ${item ?? ''}`,
  close: () => 'follow-up window ends -> close',
  review_reminder: () => 'review overdue -> remind its owner',
  action_item_reminder: (item) => `reminder about action item ${item ?? ''}`,
};

function describeNext(state: EscalationState): string {
  const next = state.next;
  if (!next) return 'nothing';
  if (lifecycleNext(next)) return (LIFECYCLE_TIMER[next.action] ?? (() => next.action))(next.item);
  const where = next.level ? (next.action === 'escalate' ? ` to ${next.level.name}` : ` at ${next.level.name}`) : '';
  return `${next.action.replace('_', ' ')}${where}`;
}

function timerSummary(state: EscalationState, plan: Plan): string {
  const next = state.next;
  if (!next) return 'waiting';
  if (lifecycleNext(next)) return describeNext(state);
  const targets = levelAt(pathOf(state, plan), state.level.index).sla[state.priority];
  const target = next.reason === 'ack' ? targets.ack : next.reason === 'resolve' ? targets.resolve : undefined;
  const window =
    target === undefined
      ? formatDuration(plan.repeat.everyMs)
      : target.kind === 'calendar'
        ? formatDuration(target.ms)
        : `${formatDuration(target.ms)} business`;
  const label =
    next.action === 'warn' ? `${next.reason} warning` : next.reason === 'repeat' ? 'repeat' : `${next.reason} SLA`;
  return `${label}, ${state.level.name}, ${window} -> ${describeNext(state)}`;
}
