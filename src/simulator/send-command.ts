// Sends a scripted or recorded command to a simulated case, and words a refusal for the report; shared by the
// scenario simulator and the what-if replay.
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { finishedRefusal, type EscalationState } from '../shared/escalation';
import {
  COMMANDS,
  commentSignal,
  stateQuery,
  type Command,
  type CommandInputs,
  type CommandKind,
  type CommandOf,
  type CommandSpec,
} from '../shared/messages';

/** What a person can do to a case in a simulation (migration is an operator's act, not part of a scenario). */
export type CaseCommand = Extract<
  Command,
  {
    kind:
      | 'acknowledge'
      | 'unacknowledge'
      | 'resolve'
      | 'escalate'
      | 'reassign'
      | 'comment'
      | 'pause'
      | 'resume'
      | 'reprioritise'
      | 'feedback'
      | 'reopen';
  }
>;

/** A command on a case whose run has ended: refused with the reason the API gives (CaseResolved, CaseClosed). */
export class FinishedCaseError extends Error {
  override readonly name = 'FinishedCaseError';
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Applies the command; resolves with the new state for updates, undefined for a comment (a signal). On a run that
 * has ended, rejects with a FinishedCaseError instead of Temporal's "workflow execution already completed".
 */
export async function sendCommand(handle: WorkflowHandle, command: CaseCommand): Promise<EscalationState | undefined> {
  try {
    if (command.kind === 'comment') {
      await handle.signal(commentSignal, { by: command.by, note: command.note });
      return undefined;
    }
    return await sendUpdate(handle, command);
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError) throw error;
    const finished = await finishedRun(handle);
    throw finished ?? error;
  }
}

/** The refusal for a run that has ended, read from its final state; undefined while it runs. */
async function finishedRun(handle: WorkflowHandle): Promise<FinishedCaseError | undefined> {
  const run = await handle.describe().catch(() => undefined);
  if (!run || run.status.name === 'RUNNING') return undefined;
  const state = await handle.query(stateQuery).catch(() => undefined);
  const refusal = state ? finishedRefusal(state.status, state.id) : undefined;
  return refusal ? new FinishedCaseError(refusal.reason, refusal.message) : undefined;
}

/** Sends a command of the table as its update (the command is its own input: the workflow sets `kind` anyway). */
function sendUpdate<K extends CommandKind>(handle: WorkflowHandle, command: CommandOf<K>): Promise<EscalationState> {
  // Typed through the spec of K: left to infer the union of every update, ts-jest's per-file check (unlike tsc's
  // whole-program one) finds no overload for it.
  const spec: CommandSpec<K> = COMMANDS[command.kind as K];
  return handle.executeUpdate(spec.update, { args: [command as CommandInputs[K]] });
}

/** `refused: JumpNotAllowed: ...` for a command the case rejected, `failed: ...` for anything else. */
export function refusal(error: unknown): string {
  if (error instanceof FinishedCaseError) return `refused: ${error.reason}: ${error.message}`;
  if (error instanceof WorkflowUpdateFailedError) {
    const cause = error.cause as { details?: { reason?: string }[]; message?: string } | undefined;
    return `refused: ${cause?.details?.[0]?.reason ?? 'error'}: ${cause?.message ?? error.message}`;
  }
  return `failed: ${(error as Error).message}`;
}
