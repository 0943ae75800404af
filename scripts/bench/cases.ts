// The cases the bench raises: one request body for every phase (a realistic size, no evidence), ids unique per run
// and per phase, and the same start request the API makes, for the raw baseline.
import type { Client } from '@temporalio/client';
import type { CaseInput } from '../../src/shared/escalation';
import { workflowIdFor } from '../../src/shared/ids';
import type { Plan, Priority } from '../../src/shared/plan';
import {
  EscalationCategory,
  EscalationLevel,
  EscalationPriority,
  EscalationStatus,
} from '../../src/shared/search-attributes';
import { triage } from '../../src/shared/triage';

/** `critical`: 20 s ack target in the bench matrix (escalates during the run); `low`: 30 days (stays quiet). */
export type BenchPriority = Extract<Priority, 'critical' | 'low'>;

/** What every case id of one phase of one run starts with. */
export function casePrefix(run: string, phase: string): string {
  return `BENCH-${run}-${phase}-`;
}

/** Case ids `BENCH-<run>-<phase>-<n>`: CASE_ID_PATTERN allows 64 characters, this stays far below. */
export function caseId(run: string, phase: string, index: number): string {
  return `${casePrefix(run, phase)}${index}`;
}

export function caseBody(id: string, priority: BenchPriority) {
  return {
    id,
    title: `Bench case ${id}`,
    description: 'Raised by npm run bench: checkout requests fail with error 502 for some customers.',
    category: 'technical',
    priority,
    reporter: { name: 'Bench Reporter', email: 'bench-reporter@example.com', timeZone: 'Europe/Berlin' },
    attemptedSteps: ['Restarted the payment pod', 'Checked the status page'],
  };
}

/**
 * What POST /escalations does to Temporal (src/api/app.ts), without the API and without a worker: the same workflow
 * type, input, policies, summaries and search attributes, so the difference to the API is the API's own cost.
 */
export function startRawCase(client: Client, plan: Plan, taskQueue: string, body: ReturnType<typeof caseBody>) {
  const input: CaseInput = { ...body };
  const triaged = triage(input, plan);
  return client.workflow.start('escalationWorkflow', {
    workflowId: workflowIdFor(body.id),
    taskQueue,
    // raisedAt: the API passes the instant it accepted the case (src/api/app.ts); the run never starts anyway.
    args: [{ case: input, plan, raisedAt: new Date().toISOString() }],
    workflowIdConflictPolicy: 'FAIL',
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
    staticSummary: `${body.id}: ${body.title}`,
    staticDetails: `Escalation ${body.id} (${triaged.priority}, ${body.category}) on matrix ${plan.version}`,
    typedSearchAttributes: [
      { key: EscalationStatus, value: 'open' },
      { key: EscalationPriority, value: triaged.priority },
      { key: EscalationLevel, value: triaged.path.levels[triaged.startIndex]?.name ?? '' },
      { key: EscalationCategory, value: body.category },
    ],
  });
}
