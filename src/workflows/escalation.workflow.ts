// One escalation case as a durable state machine: hands off, waits for commands or its next SLA instant, moves up
// the matrix, and documents every step. Deterministic: decisions come from ./transitions, side effects from activities.
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { EscalationActivities } from '../activities';
import { formatDuration } from '../shared/duration';
import type { Plan } from '../shared/plan';
import { ILLEGAL_TRANSITION, type EscalationInput, type EscalationState } from '../shared/escalation';
import { notificationKey } from '../shared/ids';
import {
  acknowledgeUpdate,
  commentSignal,
  escalateUpdate,
  resolveUpdate,
  stateQuery,
  type AcknowledgeInput,
  type EscalateInput,
  type ResolveInput,
} from '../shared/messages';
import { EscalationCategory, EscalationLevel, EscalationPriority, EscalationStatus } from '../shared/search-attributes';
import { toCaseSnapshot } from '../shared/snapshot';
import {
  applyCommand,
  catchUp,
  fireNext,
  illegalReason,
  isDue,
  openCase,
  type Command,
  type Decision,
  IllegalTransitionError,
} from './transitions';

// Retries never give up on a transient failure: a notification or a record must not go missing. Each call is
// idempotent (see activities), so a retry after a timeout cannot send or write twice.
const { document, notify } = proxyActivities<EscalationActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

interface Pending {
  command: Command;
  outcome?: { state: EscalationState } | { error: IllegalTransitionError };
}

export async function escalationWorkflow(input: EscalationInput): Promise<EscalationState> {
  const { plan } = input;
  const workflowId = workflowInfo().workflowId;
  let state: EscalationState;
  const queue: Pending[] = [];

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
    const illegal = illegalReason(catchUp(state, plan, Date.now()), plan, command);
    if (illegal) throw toFailure(illegal);
  };

  setHandler(stateQuery, () => state);
  const acknowledge = ({ by, note }: AcknowledgeInput): Command => ({ kind: 'acknowledge', by, note });
  const resolve = ({ by, resolution }: ResolveInput): Command => ({ kind: 'resolve', by, resolution });
  const escalate = ({ by, reason }: EscalateInput): Command => ({ kind: 'escalate', by, reason });
  setHandler(acknowledgeUpdate, (input) => submit(acknowledge(input)), {
    validator: (input: AcknowledgeInput) => validate(acknowledge(input)),
  });
  setHandler(resolveUpdate, (input) => submit(resolve(input)), {
    validator: (input: ResolveInput) => validate(resolve(input)),
  });
  setHandler(escalateUpdate, (input) => submit(escalate(input)), {
    validator: (input: EscalateInput) => validate(escalate(input)),
  });
  setHandler(commentSignal, ({ by, note }) => {
    queue.push({ command: { kind: 'comment', by, note } });
  });

  const publish = createPublisher(plan);
  const opened = openCase(input.case, plan, Date.now());
  state = opened.state;
  await carryOut(opened);

  while (state.status !== 'resolved' || queue.length > 0) {
    if (queue.length === 0 && state.status !== 'resolved') {
      const next = state.next;
      if (next === null) {
        await condition(() => queue.length > 0);
      } else if (!isDue(state, Date.now())) {
        const waitMs = Date.parse(next.at) - Date.now();
        await condition(() => queue.length > 0, waitMs, { summary: timerSummary(state, plan) });
      }
    }
    if (state.status !== 'resolved' && isDue(state, Date.now())) {
      const fired = fireNext(state, plan, Date.now());
      state = fired.state;
      await carryOut(fired);
      continue; // another action may be due, and it goes before any queued command
    }
    const pending = queue.shift();
    if (!pending) continue;
    try {
      const applied = applyCommand(state, plan, pending.command, Date.now());
      state = applied.state;
      await carryOut(applied);
      pending.outcome = { state };
    } catch (error) {
      if (!(error instanceof IllegalTransitionError)) throw error;
      pending.outcome = { error };
    }
  }
  await condition(allHandlersFinished);
  return state;

  /** Documents the decision, sends its notifications (in parallel), then publishes the new state. */
  async function carryOut(decision: Decision): Promise<void> {
    publish(decision.state);
    const snapshot = toCaseSnapshot(decision.state, workflowId);
    const documented = document.executeWithOptions(
      { summary: `record ${decision.events.map((e) => e.type).join(', ')}` },
      [{ snapshot, events: decision.events }],
    );
    const sent = decision.notifications.map((n) =>
      notify.executeWithOptions({ summary: `${n.audience} ${n.recipient.name} via ${n.recipient.channel}` }, [
        {
          idempotencyKey: notificationKey(workflowId, n.seq),
          caseId: decision.state.id,
          channel: n.recipient.channel,
          recipient: { name: n.recipient.name, address: n.recipient.address },
          audience: n.audience,
          subject: n.subject,
          body: n.body,
          requestedAt: n.at,
        },
      ]),
    );
    await Promise.all([documented, ...sent]);
  }
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
function createPublisher(plan: Plan): (state: EscalationState) => void {
  // The starter (the API) indexes a run with the escalation attributes once they are registered on the namespace;
  // a run started without them (a bare test server has no operator service to register them) is not re-indexed.
  const isIndexed = workflowInfo().typedSearchAttributes.get(EscalationStatus) !== undefined;
  let indexed: string | undefined;
  return (state) => {
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
    setCurrentDetails(
      [
        `**${state.id}** ${state.status}${state.unowned ? ' (UNOWNED)' : ''}, ${state.priority}, ${state.category}`,
        `Level ${state.level.index + 1}/${plan.levels.length}: ${state.level.name}; owner: ${state.owner ?? 'nobody'}`,
        `Ack due: ${state.sla.ackDueAt ?? '-'}; resolve due: ${state.sla.resolveDueAt ?? '-'}`,
        next
          ? `Next: ${describeNext(state)} at ${next.at} unless ${waitingFor}`
          : `Next: ${state.status === 'resolved' ? 'nothing, resolved' : 'waiting for somebody to acknowledge'}`,
      ].join('\n'),
    );
  };
}

function describeNext(state: EscalationState): string {
  const next = state.next;
  if (!next) return 'nothing';
  const where = next.level ? (next.action === 'escalate' ? ` to ${next.level.name}` : ` at ${next.level.name}`) : '';
  return `${next.action.replace('_', ' ')}${where}`;
}

function timerSummary(state: EscalationState, plan: Plan): string {
  const next = state.next;
  if (!next) return 'waiting';
  const targets = plan.levels[state.level.index]?.sla[state.priority];
  const windowMs =
    next.reason === 'repeat' ? plan.repeat.everyMs : next.reason === 'ack' ? targets?.ackMs : targets?.resolveMs;
  const label = next.reason === 'repeat' ? 'repeat' : `${next.reason} SLA`;
  return `${label}, ${state.level.name}, ${formatDuration(windowMs ?? 0)} -> ${describeNext(state)}`;
}
