// Request shapes of the HTTP API, validated at the edge; the types used inside are inferred from these.
import { z } from 'zod';
import { STATUSES, type EvidenceInput } from '../shared/escalation';
import { CASE_ID_PATTERN } from '../shared/ids';
import { PRIORITIES, URGENCIES } from '../shared/plan';

export const text = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

/** An ISO 8601 instant with its offset (`Z` or `+02:00`), stored in UTC: the workflow compares instants as text. */
export const instant = z.iso
  .datetime({
    offset: true,
    error: (issue) =>
      issue.input === undefined
        ? 'is required'
        : 'must be an ISO 8601 date-time with an offset, such as 2030-01-31T17:00:00Z',
  })
  .transform((value) => new Date(value).toISOString());

/** When the problem started: an instant that has already happened. */
export const occurredAt = instant.refine((value) => Date.parse(value) <= Date.now(), {
  message: 'must not be in the future',
});

/** True for a time zone name this runtime knows (`Europe/Berlin`, `UTC`); offsets such as `+01:00` are not zones. */
export function isTimeZone(zone: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const timeZone = z.string().trim().refine(isTimeZone, 'must be an IANA time zone such as Europe/Berlin');

/** Fields of a piece of evidence: a link, or an attachment's metadata (the file stays where `url` points). */
export const evidenceFields = {
  type: z.enum(['link', 'attachment'], { error: 'must be one of link, attachment' }),
  title: text(200),
  url: z
    .url({ protocol: /^https?$/, error: 'must be an http or https URL' })
    .max(2000, 'must be at most 2000 characters'),
  contentType: z
    .string()
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*$/,
      'must be a media type such as image/png',
    )
    .max(255, 'must be at most 255 characters')
    .optional(),
  sizeBytes: z.number().int('must be a whole number').min(0, 'must be 0 or more').optional(),
  sha256: z
    .string()
    .regex(/^[0-9A-Fa-f]{64}$/, 'must be a SHA-256 digest: 64 hexadecimal characters')
    .transform((value) => value.toLowerCase())
    .optional(),
  note: z
    .string()
    .trim()
    .max(2000, 'must be at most 2000 characters')
    .optional()
    .transform((value) => (value === '' ? undefined : value)),
};

/** The evidence as the workflow takes it: absent optional fields left out. */
export function toEvidenceInput(item: {
  type: EvidenceInput['type'];
  title: string;
  url: string;
  contentType?: string | undefined;
  sizeBytes?: number | undefined;
  sha256?: string | undefined;
  note?: string | undefined;
}): EvidenceInput {
  const { type, title, url, contentType, sizeBytes, sha256, note } = item;
  return {
    type,
    title,
    url,
    ...(contentType !== undefined ? { contentType } : {}),
    ...(sizeBytes !== undefined ? { sizeBytes } : {}),
    ...(sha256 !== undefined ? { sha256 } : {}),
    ...(note !== undefined ? { note } : {}),
  };
}

export const evidenceItem = z.strictObject(evidenceFields).transform(toEvidenceInput);

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
  reporter: z.strictObject({
    name: text(200),
    email: z.email('must be an email address'),
    /** The zone the reporter's messages show times in; UTC when absent. */
    timeZone: timeZone.optional(),
  }),
  attemptedSteps: z.array(text(1000)).max(50, 'at most 50 steps').optional(),
  /** When the problem started, if before it was raised. */
  occurredAt: occurredAt.optional(),
  evidence: z.array(evidenceItem).max(20, 'at most 20 pieces of evidence').optional(),
});
export type CreateEscalationBody = z.infer<typeof createEscalationBody>;

export const acknowledgeBody = z.strictObject({ by: text(200), note: z.string().max(5000).optional() });
export const unacknowledgeBody = z.strictObject({ by: text(200), reason: text(2000) });
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
