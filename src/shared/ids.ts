// Workflow IDs and case numbers from business keys: one place, so API, worker and operators agree.

const WORKFLOW_ID_PREFIX = 'escalation/';

/** A caller's own case id: letters, digits and `-_.:`, up to 64 characters (it appears in URLs and the UI). */
export const CASE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

export function workflowIdFor(caseId: string): string {
  return `${WORKFLOW_ID_PREFIX}${caseId}`;
}

export function caseIdFromWorkflowId(workflowId: string): string | undefined {
  return workflowId.startsWith(WORKFLOW_ID_PREFIX) ? workflowId.slice(WORKFLOW_ID_PREFIX.length) : undefined;
}

/** The case number a reporter sees for a generated id: `ESC-2026-000123`. */
export function caseNumber(year: number, sequence: number): string {
  return `ESC-${year}-${String(sequence).padStart(6, '0')}`;
}

/** Idempotency key of the n-th notification of a case: stable across activity retries and workflow replays. */
export function notificationKey(workflowId: string, seq: number): string {
  return `${workflowId}/notification/${seq}`;
}
