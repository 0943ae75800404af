// Request shapes of the HTTP API, validated at the edge; the types used inside are inferred from these.
import { z } from 'zod';
import { STATUSES } from '../shared/escalation';
import { CASE_ID_PATTERN } from '../shared/ids';
import { PRIORITIES, URGENCIES } from '../shared/plan';

export const text = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

export const createEscalationBody = z.strictObject({
  id: z
    .string()
    .regex(CASE_ID_PATTERN, 'must be 1-64 letters, digits or ._:- and start with a letter or digit')
    .optional(),
  title: text(200),
  // Blank means not given: the handoff then says so instead of showing an empty description.
  description: z
    .string()
    .trim()
    .max(10_000, 'must be at most 10000 characters')
    .optional()
    .transform((value) => (value === '' ? undefined : value)),
  category: text(64),
  /** The caller's priority; the matrix's triage rules may set another. */
  priority: z.enum(PRIORITIES).optional(),
  tags: z.array(text(64)).max(20, 'at most 20 tags').optional(),
  impact: z
    .strictObject({
      usersAffected: z.number().int().min(0).optional(),
      revenueAtRisk: z.number().min(0).optional(),
      legalThreat: z.boolean().optional(),
    })
    .optional(),
  urgency: z.enum(URGENCIES).optional(),
  reporter: z.strictObject({ name: text(200), email: z.email('must be an email address') }),
  attemptedSteps: z.array(text(1000)).max(50, 'at most 50 steps').optional(),
});
export type CreateEscalationBody = z.infer<typeof createEscalationBody>;

export const acknowledgeBody = z.strictObject({ by: text(200), note: z.string().max(5000).optional() });
export const resolveBody = z.strictObject({
  by: text(200),
  resolution: text(10_000),
  /** Root cause category (`configuration`, `bug`, `third-party`, ...): reports group by it. */
  rootCause: text(64).optional(),
  fix: text(10_000).optional(),
  /** Resolves although blocking tasks are open; the reason is recorded. */
  force: z.strictObject({ reason: text(5000) }).optional(),
});
export const escalateBody = z.strictObject({
  by: text(200),
  reason: text(5000),
  to: z
    .string()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be a level id such as senior-leadership')
    .optional(),
});
export const pauseBody = z.strictObject({ by: text(200), reason: text(64) });
export const resumeBody = z.strictObject({ by: text(200), note: z.string().max(5000).optional() });
export const commentBody = z.strictObject({ by: text(200), note: text(10_000) });

export const listQuery = z.strictObject({
  status: z.enum(STATUSES).optional(),
  priority: z.enum(PRIORITIES).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

export const caseIdParam = z.string().regex(CASE_ID_PATTERN, 'is not a valid case id');

/** A request id is the update id: a retried command with the same id is applied once. */
export const requestIdHeader = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{1,128}$/, 'must be 1-128 characters of letters, digits or ._:-')
  .optional();

export const migrateBody = z.strictObject({ by: text(200), reason: text(5000) });
export const migrateBatchBody = z.strictObject({
  by: text(200),
  reason: text(5000),
  /** Which open cases to move onto the current matrix; all open cases on other versions when absent. */
  filter: z
    .strictObject({
      status: z.enum(['open', 'acknowledged']).optional(),
      priority: z.enum(PRIORITIES).optional(),
      fromVersion: z.string().min(1).optional(),
    })
    .default({}),
});
