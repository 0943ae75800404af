// Request shapes of the case-lifecycle endpoints (ownership, coordination, follow-up, review), validated at the
// edge; what is legal when is the workflow's to say (409), these only check that a request is well formed (400).
import { z } from 'zod';
import { CANCEL_REASONS } from '../shared/escalation';
import { CASE_ID_PATTERN } from '../shared/ids';
import { PRIORITIES } from '../shared/plan';
import { KEBAB_CASE, KNOWN_CHANNELS } from '../matrix/values';
import { instant, text } from './schemas';

/** Channels a subscriber can be reached on: the matrix's (`email` needs SMTP configured, see src/channels). */
export const SUBSCRIBER_CHANNELS = KNOWN_CHANNELS;

const by = text(200);

/** Optional free text: blank means not given. */
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .optional()
    .transform((value) => (value === '' ? undefined : value));

const matrixId = (what: string) => z.string().regex(KEBAB_CASE, `must be ${what} id of the matrix, such as ana-lopez`);

/** A person or team id of the case's matrix, or somebody outside it by name and email. */
export const assignee = z.union(
  [
    matrixId('a person or team'),
    z.strictObject({ name: text(200), email: z.email('must be an email address').max(320) }),
  ],
  {
    error: (issue) =>
      issue.input === undefined
        ? 'is required'
        : 'must be a person or team id of the matrix (such as ana-lopez) or {name, email}',
  },
);

/** A due instant: must lie in the future when the request arrives. */
export const dueAt = instant.refine((value) => Date.parse(value) > Date.now(), { message: 'must be in the future' });

const workItemState = z.enum(['open', 'done', 'cancelled'], { error: 'must be one of open, done, cancelled' });

export const reassignBody = z.strictObject({ by, to: assignee, reason: text(5000) });

export const reprioritiseBody = z.strictObject({ by, priority: z.enum(PRIORITIES), reason: text(5000) });

export const cancelBody = z
  .strictObject({
    by,
    reason: z.enum(CANCEL_REASONS, { error: `must be one of ${CANCEL_REASONS.join(', ')}` }),
    note: text(5000),
    duplicateOf: z.string().regex(CASE_ID_PATTERN, 'is not a valid case id').optional(),
  })
  .superRefine((body, ctx) => {
    if (body.reason === 'duplicate' && body.duplicateOf === undefined) {
      ctx.addIssue({ code: 'custom', path: ['duplicateOf'], message: 'is required when the reason is duplicate' });
    }
    if (body.reason !== 'duplicate' && body.duplicateOf !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['duplicateOf'], message: 'is only for the reason duplicate' });
    }
  });

export const addTeamBody = z.strictObject({ by, team: matrixId('a team'), note: optionalText(5000) });

export const addTaskBody = z.strictObject({
  by,
  title: text(200),
  owner: assignee,
  dueAt,
  /** The case cannot be resolved while a blocking task is open (unless forced with a reason). */
  blocking: z.boolean().optional(),
});

export const updateWorkItemBody = z.strictObject({ by, state: workItemState, note: optionalText(5000) });

export const taskIdParam = z.strictObject({
  taskId: z.string().regex(/^T[1-9][0-9]{0,5}$/, 'must be a task id such as T1'),
});
export const actionItemIdParam = z.strictObject({
  itemId: z.string().regex(/^A[1-9][0-9]{0,5}$/, 'must be an action item id such as A1'),
});

/**
 * Somebody to keep informed: `{name, channel, address}` on one of the channels, or `{name, email}` for the email
 * channel. `internal` subscribers get the internal wording, `reporter` ones what a reporter may read.
 */
export const subscribeBody = z
  .strictObject({
    by,
    name: text(200),
    email: z.email('must be an email address').max(320).optional(),
    channel: z.enum(SUBSCRIBER_CHANNELS, { error: `must be one of ${SUBSCRIBER_CHANNELS.join(', ')}` }).optional(),
    address: text(2000).optional(),
    audience: z.enum(['internal', 'reporter'], { error: 'must be internal or reporter' }).default('internal'),
  })
  .superRefine((body, ctx) => {
    if (body.email !== undefined) {
      for (const field of ['channel', 'address'] as const) {
        if (body[field] !== undefined) {
          ctx.addIssue({ code: 'custom', path: [field], message: 'give either email, or channel and address' });
        }
      }
      return;
    }
    if (body.channel === undefined)
      ctx.addIssue({ code: 'custom', path: ['channel'], message: 'is required (or give email)' });
    if (body.address === undefined)
      ctx.addIssue({ code: 'custom', path: ['address'], message: 'is required (or give email)' });
  })
  .transform(({ by, name, email, channel, address, audience }) => ({
    by,
    name,
    channel: email !== undefined ? 'email' : (channel as string),
    address: email ?? (address as string),
    audience,
  }));

export const unsubscribeQuery = z.strictObject({ by });
export const subscriberAddressParam = z.strictObject({ address: text(2000) });

export const feedbackBody = z.strictObject({
  score: z
    .number({ error: 'must be a whole number from 1 to 5' })
    .int('must be a whole number from 1 to 5')
    .min(1, 'must be a whole number from 1 to 5')
    .max(5, 'must be a whole number from 1 to 5'),
  comment: optionalText(5000),
  /** Who gave it: the reporter unless somebody answers on their behalf. */
  by: text(200).default('reporter'),
});

export const reopenBody = z.strictObject({ by, reason: text(5000) });

const actionItem = z.strictObject({ by, title: text(200), owner: assignee, dueAt });

export const submitReviewBody = z.strictObject({
  by,
  whatHappened: text(10_000),
  rootCause: z.discriminatedUnion(
    'method',
    [
      z.strictObject({
        method: z.literal('five-whys'),
        whys: z.array(text(1000)).min(1, 'give at least one why').max(10, 'at most 10 whys'),
      }),
      z.strictObject({ method: z.literal('free'), analysis: text(10_000) }),
    ],
    {
      error: (issue) =>
        issue.input === undefined
          ? 'is required'
          : 'must be {method: "five-whys", whys: [...]} or {method: "free", analysis}',
    },
  ),
  /** Groups reviews in reports (`configuration`, `bug`, `third-party`, ...). */
  rootCauseCategory: text(64).optional(),
  wentWell: z.array(text(2000)).max(20, 'at most 20 entries').optional(),
  wentBadly: z.array(text(2000)).max(20, 'at most 20 entries').optional(),
  actionItems: z
    .array(actionItem.omit({ by: true }))
    .max(50, 'at most 50 action items')
    .optional(),
});

export const addActionItemBody = actionItem;
