// A command the case's state or matrix does not allow: the workflow refuses it before it reaches history.
import type { IllegalTransitionReason } from '../shared/escalation';

export class IllegalTransitionError extends Error {
  override readonly name = 'IllegalTransition';
  constructor(
    readonly reason: IllegalTransitionReason,
    message: string,
  ) {
    super(message);
  }
}

export const refuse = (reason: IllegalTransitionReason, message: string) => new IllegalTransitionError(reason, message);
