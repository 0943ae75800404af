// Running the what-if replay: the recorded cases re-run against the candidate in Temporal's time-skipping test server,
// every instant shifted by the same whole number of weeks, with the same people doing the same things at the same
// (shifted) instants; and the caveats where such a run cannot be the real thing.
import type { WorkflowHandle } from '@temporalio/client';
import { IANAZone } from 'luxon';
import { ChannelRegistry, type NotificationChannel, type OutgoingMessage } from '../channels/channel';
import { WORKFLOW_GENERATION, type CaseInput, type EscalationState } from '../shared/escalation';
import { stateQuery } from '../shared/messages';
import type { Plan } from '../shared/plan';
import { escalationWorkflow } from '../workflows/escalation.workflow';
import { mapLimit } from '../shared/map-limit';
import type { RecordedCase, ReplayAction, ReplayInput, ReplayStep } from './replay-read';
import { refusal, sendCommand } from './send-command';
import { inVirtualTime, SimulationError } from './virtual-time';

export interface ActionOutcome {
  at: string;
  kind: ReplayAction['kind'];
  by: string;
  /** `refused: <Reason>: <message>` or `failed: <message>`. */
  outcome: string;
}

/** What the candidate made of the cases, in the test server's (shifted) time. */
export interface ReplayRun {
  shiftWeeks: number;
  shiftMs: number;
  /** Each case's last state, by its index in the input's cases. */
  finals: Map<number, EscalationState>;
  /** Every notification the candidate's cases sent. */
  sent: OutgoingMessage[];
  /** Recorded actions the candidate's case did not accept, by case index. */
  refused: ActionOutcome[][];
  /** Actions applied just after a deadline of the candidate instead of at their instant (see TIMER_GUARD_MS). */
  movedPastTimer: number;
  /** Notifications the candidate's cases counted but the channel never saw (still in flight after 10 s). */
  inFlight: number;
}

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

type Handle = WorkflowHandle<typeof escalationWorkflow>;

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

/**
 * Runs `input` against `plan` in one time-skipping environment up to the input's horizon. Every instant moves by the
 * same whole number of weeks (the test server cannot go back in time).
 */
export async function runReplay(
  plan: Plan,
  input: ReplayInput,
  onProgress?: (doneSteps: number, totalSteps: number) => void,
): Promise<ReplayRun> {
  const { cases, steps, earliestMs, horizonMs } = input;
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
      const step = steps[i] as ReplayStep;
      await skipTo(step.atMs + shiftMs);
      const { record } = cases[step.caseIndex] as RecordedCase;
      if (step.kind === 'start') {
        const caseInput: CaseInput = {
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
          args: [{ case: caseInput, plan: shiftedPlan, generation: WORKFLOW_GENERATION }],
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
      if (onProgress && (i % 250 === 249 || i === steps.length - 1)) onProgress(i + 1, steps.length);
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

    // A copy: the worker's shutdown after this may still deliver a late notification, which the figures leave out.
    return { shiftWeeks, shiftMs, finals, sent: [...channels.sent], refused, movedPastTimer, inFlight };
  });
}

function planZones(plan: Plan): string[] {
  const zones = [...Object.values(plan.calendars), ...Object.values(plan.rotations)].map((entry) => entry.zone);
  return [...new Set(zones)].filter((zone) => IANAZone.isValidZone(zone));
}

/** Where the replay is not the real thing, so the reader weighs the numbers accordingly. */
export function replayCaveats(plan: Plan, input: ReplayInput, run: ReplayRun): string[] {
  const { cases, steps, actions } = input;
  const { shiftMs, shiftWeeks, movedPastTimer, inFlight } = run;
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
