// The case without its timeline and recipients: what each documentation step carries into workflow history.
import type { EscalationState } from './escalation';

export type CaseSnapshot = Omit<EscalationState, 'timeline' | 'handedTo'> & { workflowId: string; revision: number };

export function toCaseSnapshot(state: EscalationState, workflowId: string): CaseSnapshot {
  const { timeline, handedTo: _handedTo, ...rest } = state;
  // The timeline held in state is only a tail after continue-as-new; the count of events recorded keeps growing.
  return { ...rest, workflowId, revision: Math.max(state.eventsRecorded ?? 0, timeline.length) };
}
