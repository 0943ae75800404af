// Sends a scripted or recorded command to a simulated case, and words a refusal for the report; shared by the
// scenario simulator and the what-if replay.
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { EscalationState } from '../shared/escalation';
import {
  acknowledgeUpdate,
  commentSignal,
  escalateUpdate,
  feedbackUpdate,
  pauseUpdate,
  reopenUpdate,
  reprioritiseUpdate,
  resolveUpdate,
  resumeUpdate,
} from '../shared/messages';
import type { Command } from '../workflows/transitions';

/** What a person can do to a case in a simulation (migration is an operator's act, not part of a scenario). */
export type CaseCommand = Extract<
  Command,
  {
    kind:
      'acknowledge' | 'resolve' | 'escalate' | 'comment' | 'pause' | 'resume' | 'reprioritise' | 'feedback' | 'reopen';
  }
>;

/** Applies the command; resolves with the new state for updates, undefined for a comment (a signal). */
export async function sendCommand(handle: WorkflowHandle, command: CaseCommand): Promise<EscalationState | undefined> {
  switch (command.kind) {
    case 'acknowledge':
      return handle.executeUpdate(acknowledgeUpdate, { args: [{ by: command.by, note: command.note }] });
    case 'resolve':
      return handle.executeUpdate(resolveUpdate, { args: [{ by: command.by, resolution: command.resolution }] });
    case 'escalate':
      return handle.executeUpdate(escalateUpdate, {
        args: [{ by: command.by, reason: command.reason, to: command.to }],
      });
    case 'pause':
      return handle.executeUpdate(pauseUpdate, { args: [{ by: command.by, reason: command.reason }] });
    case 'resume':
      return handle.executeUpdate(resumeUpdate, { args: [{ by: command.by, note: command.note }] });
    case 'comment':
      await handle.signal(commentSignal, { by: command.by, note: command.note });
      return undefined;
    case 'reprioritise': {
      const { kind: _kind, ...input } = command;
      return handle.executeUpdate(reprioritiseUpdate, { args: [input] });
    }
    case 'feedback': {
      const { kind: _kind, ...input } = command;
      return handle.executeUpdate(feedbackUpdate, { args: [input] });
    }
    case 'reopen': {
      const { kind: _kind, ...input } = command;
      return handle.executeUpdate(reopenUpdate, { args: [input] });
    }
  }
}

/** `refused: JumpNotAllowed: ...` for a command the case rejected, `failed: ...` for anything else. */
export function refusal(error: unknown): string {
  if (error instanceof WorkflowUpdateFailedError) {
    const cause = error.cause as { details?: { reason?: string }[]; message?: string } | undefined;
    return `refused: ${cause?.details?.[0]?.reason ?? 'error'}: ${cause?.message ?? error.message}`;
  }
  return `failed: ${(error as Error).message}`;
}
