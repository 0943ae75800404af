// The case without its timeline and recipients: what each documentation step carries into workflow history.
import type { EscalationState } from './escalation';

export type CaseSnapshot = Omit<EscalationState, 'timeline' | 'handedTo'> & { workflowId: string; revision: number };

export function toCaseSnapshot(state: EscalationState, workflowId: string): CaseSnapshot {
  const { timeline, handedTo: _handedTo, ...rest } = state;
  return { ...rest, workflowId, revision: timeline.length };
}
