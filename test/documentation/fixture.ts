// A realistic resolved case, written into a case store the way the workflow's activities write it: a snapshot plus
// the step's timeline events per transition, notifications claimed (and marked sent when a channel took them).
import type {
  CaseRecord,
  CaseStore,
  NotificationClaim,
  NotificationRecord,
  TimelineRecord,
} from '../../src/store/case-store';

export const CASE_ID = 'ESC-2025-000042';
const WORKFLOW_ID = `escalation/${CASE_ID}`;
const TITLE = 'Checkout returns 500';

const key = (n: number) => `${WORKFLOW_ID}/notification/${n}`;

export const HANDOFF_SUPPORT_BODY = [
  `Case ${CASE_ID} is now with Support desk.`,
  'Why: new case',
  '',
  `Case:        ${CASE_ID}`,
  `Title:       ${TITLE}`,
  'Priority:    high',
  'Category:    payments',
  'Reported by: Ada Lovelace <ada@example.com> at 2025-03-03T09:00:00.000Z',
  '',
  'Description:',
  'Every card payment fails since 08:55.',
  '',
  'Steps already attempted:',
  '- restarted the browser',
  '- tried another card',
  '',
  'Acknowledge by: 2025-03-03T09:15:00.000Z',
  'Resolve by:     2025-03-03T13:00:00.000Z',
  'Path so far: Support desk (2025-03-03T09:00:00.000Z)',
].join('\n');

export const HANDOFF_LEAD_BODY = [
  `Case ${CASE_ID} is now with Team lead.`,
  'Why: not acknowledged by Support desk within 15m (ack target)',
  '',
  `Case:        ${CASE_ID}`,
  `Title:       ${TITLE}`,
  'Priority:    high',
  'Category:    payments',
  'Reported by: Ada Lovelace <ada@example.com> at 2025-03-03T09:00:00.000Z',
  '',
  'Description:',
  'Every card payment fails since 08:55.',
  '',
  'Steps already attempted:',
  '- restarted the browser',
  '- tried another card',
  '',
  'Acknowledge by: 2025-03-03T09:45:00.250Z',
  'Resolve by:     2025-03-03T13:15:00.250Z',
  'Path so far: Support desk (2025-03-03T09:00:00.000Z) -> Team lead (2025-03-03T09:15:00.250Z)',
].join('\n');

export const RECEIPT_BODY = [
  'Hello Ada Lovelace,',
  '',
  `your case number is ${CASE_ID}. Please quote it in any follow-up.`,
  'It is with Support desk; you can expect a first response by 2025-03-03T09:15:00.000Z.',
].join('\n');

export const RESOLUTION_BODY = [
  `Case ${CASE_ID} was resolved by Linus Torvalds at 2025-03-03T10:30:00.000Z.`,
  '',
  'Resolution:',
  'Rolled back the 08:55 gateway deploy; card payments succeed again.',
].join('\n');

export const SUPPORT = { index: 0, name: 'Support desk' };
export const LEAD = { index: 1, name: 'Team lead' };

function event(
  seq: number,
  at: string,
  type: string,
  level: { index: number; name: string } | null,
  by: string | null,
  note: string | null,
): TimelineRecord {
  return {
    caseId: CASE_ID,
    seq,
    at,
    type,
    levelIndex: level?.index ?? null,
    levelName: level?.name ?? null,
    by,
    note,
  };
}

export const TIMELINE: TimelineRecord[] = [
  event(1, '2025-03-03T09:00:00.000Z', 'created', null, 'Ada Lovelace', TITLE),
  event(
    2,
    '2025-03-03T09:00:00.000Z',
    'triaged',
    null,
    null,
    'rule payments-high: high (given high), path Payments, starts at Support desk',
  ),
  event(3, '2025-03-03T09:00:00.000Z', 'handed_off', SUPPORT, null, 'Grace Hopper, Alan Turing: new case'),
  event(
    4,
    '2025-03-03T09:00:00.000Z',
    'reporter_notified',
    null,
    null,
    `case number ${CASE_ID}; first response by 2025-03-03T09:15:00.000Z`,
  ),
  event(
    5,
    '2025-03-03T09:00:03.000Z',
    'notification_failed',
    SUPPORT,
    null,
    'Alan Turing <U024BE7LH> via slack: channel_not_found',
  ),
  event(
    6,
    '2025-03-03T09:15:00.000Z',
    'escalated',
    LEAD,
    null,
    'not acknowledged by Support desk within 15m (ack target)',
  ),
  event(
    7,
    '2025-03-03T09:15:00.250Z',
    'handed_off',
    LEAD,
    null,
    'Linus Torvalds: not acknowledged by Support desk within 15m (ack target)',
  ),
  event(8, '2025-03-03T09:22:30.000Z', 'acknowledged', LEAD, 'Linus Torvalds', 'looking at the gateway logs'),
  event(
    9,
    '2025-03-03T09:40:00.000Z',
    'comment',
    LEAD,
    'Linus Torvalds',
    'Gateway answers 502 | since the 08:55 deploy\nrolling back',
  ),
  event(10, '2025-03-03T09:45:00.000Z', 'paused', LEAD, 'Linus Torvalds', 'waiting-on-customer: SLA clocks stopped'),
  event(
    11,
    '2025-03-03T10:15:00.000Z',
    'resumed',
    LEAD,
    'Linus Torvalds',
    'paused 30m (waiting-on-customer); resolve due 2025-03-03T13:15:00.250Z -> 2025-03-03T13:45:00.250Z; customer confirmed',
  ),
  event(
    12,
    '2025-03-03T10:30:00.000Z',
    'resolved',
    LEAD,
    'Linus Torvalds',
    'Rolled back the 08:55 gateway deploy; card payments succeed again.',
  ),
];

type Claim = NotificationClaim;

function notice(
  n: number,
  requestedAt: string,
  audience: NotificationRecord['audience'],
  channel: string,
  recipient: string,
  subject: string,
  body: string,
): Claim {
  return { idempotencyKey: key(n), caseId: CASE_ID, channel, recipient, audience, subject, body, requestedAt };
}

const RESOLVED_SUBJECT = `[${CASE_ID}][high] Resolved: ${TITLE}`;

/** Notifications in issue order, each with when a channel took it (null: never delivered). */
export const NOTIFICATIONS: { claim: Claim; sentAt: string | null }[] = [
  {
    claim: notice(
      1,
      '2025-03-03T09:00:00.000Z',
      'assignee',
      'email',
      'grace@example.com',
      `[${CASE_ID}][high] Handoff to Support desk: ${TITLE}`,
      HANDOFF_SUPPORT_BODY,
    ),
    sentAt: '2025-03-03T09:00:01.000Z',
  },
  {
    claim: notice(
      2,
      '2025-03-03T09:00:00.000Z',
      'assignee',
      'slack',
      'U024BE7LH',
      `[${CASE_ID}][high] Handoff to Support desk: ${TITLE}`,
      HANDOFF_SUPPORT_BODY,
    ),
    sentAt: null,
  },
  {
    claim: notice(
      3,
      '2025-03-03T09:00:00.000Z',
      'reporter',
      'email',
      'ada@example.com',
      `[${CASE_ID}][high] We have your case: ${TITLE}`,
      RECEIPT_BODY,
    ),
    sentAt: '2025-03-03T09:00:01.500Z',
  },
  {
    claim: notice(
      4,
      '2025-03-03T09:15:00.250Z',
      'assignee',
      'email',
      'linus@example.com',
      `[${CASE_ID}][high] Handoff to Team lead: ${TITLE}`,
      HANDOFF_LEAD_BODY,
    ),
    sentAt: '2025-03-03T09:15:01.000Z',
  },
  {
    claim: notice(
      5,
      '2025-03-03T10:30:00.000Z',
      'stakeholder',
      'email',
      'grace@example.com',
      RESOLVED_SUBJECT,
      RESOLUTION_BODY,
    ),
    sentAt: '2025-03-03T10:30:01.000Z',
  },
  {
    claim: notice(
      6,
      '2025-03-03T10:30:00.000Z',
      'stakeholder',
      'slack',
      'U024BE7LH',
      RESOLVED_SUBJECT,
      RESOLUTION_BODY,
    ),
    sentAt: null,
  },
  {
    claim: notice(
      7,
      '2025-03-03T10:30:00.000Z',
      'stakeholder',
      'email',
      'linus@example.com',
      RESOLVED_SUBJECT,
      RESOLUTION_BODY,
    ),
    sentAt: '2025-03-03T10:30:01.200Z',
  },
  {
    claim: notice(
      8,
      '2025-03-03T10:30:00.000Z',
      'reporter',
      'email',
      'ada@example.com',
      RESOLVED_SUBJECT,
      RESOLUTION_BODY,
    ),
    sentAt: '2025-03-03T10:30:01.400Z',
  },
];

function snapshot(overrides: Partial<CaseRecord>): CaseRecord {
  return {
    id: CASE_ID,
    workflowId: WORKFLOW_ID,
    title: TITLE,
    description: 'Every card payment fails since 08:55.',
    category: 'payments',
    priority: 'high',
    status: 'open',
    levelIndex: 0,
    levelName: 'Support desk',
    owner: 'Support desk',
    unowned: false,
    reporterName: 'Ada Lovelace',
    reporterEmail: 'ada@example.com',
    attemptedSteps: ['restarted the browser', 'tried another card'],
    matrixVersion: 'sha256:3f2a9c',
    ackDueAt: '2025-03-03T09:15:00.000Z',
    resolveDueAt: '2025-03-03T13:00:00.000Z',
    nextAction: 'escalate',
    nextAt: '2025-03-03T09:15:00.000Z',
    createdAt: '2025-03-03T09:00:00.000Z',
    updatedAt: '2025-03-03T09:00:00.000Z',
    resolvedAt: null,
    resolution: null,
    revision: 4,
    assignees: ['Support desk'],
    slaDueAt: null,
    paused: false,
    snapshot: null,
    ...overrides,
  };
}

const onLead = {
  levelIndex: 1,
  levelName: 'Team lead',
  ackDueAt: '2025-03-03T09:45:00.250Z',
  resolveDueAt: '2025-03-03T13:15:00.250Z',
};

/** The case's final row as the store holds it after resolution. */
export const FINAL_RECORD = snapshot({
  ...onLead,
  status: 'resolved',
  owner: 'Linus Torvalds',
  resolveDueAt: '2025-03-03T13:45:00.250Z',
  nextAction: null,
  nextAt: null,
  updatedAt: '2025-03-03T10:30:00.000Z',
  resolvedAt: '2025-03-03T10:30:00.000Z',
  resolution: 'Rolled back the 08:55 gateway deploy; card payments succeed again.',
  revision: 12,
});

/** Writes the case transition by transition, as the workflow's `document` and `notify` activities do. */
export async function writeCase(store: CaseStore): Promise<void> {
  const steps: { events: number[]; snapshot: CaseRecord; notifications: number[] }[] = [
    { events: [1, 2, 3, 4], snapshot: snapshot({}), notifications: [1, 2, 3] },
    { events: [5], snapshot: snapshot({ updatedAt: '2025-03-03T09:00:03.000Z', revision: 5 }), notifications: [] },
    {
      events: [6, 7],
      snapshot: snapshot({
        ...onLead,
        owner: 'Team lead',
        nextAt: '2025-03-03T09:45:00.250Z',
        updatedAt: '2025-03-03T09:15:00.250Z',
        revision: 7,
      }),
      notifications: [4],
    },
    {
      events: [8],
      snapshot: snapshot({
        ...onLead,
        status: 'acknowledged',
        owner: 'Linus Torvalds',
        nextAction: null,
        nextAt: null,
        updatedAt: '2025-03-03T09:22:30.000Z',
        revision: 8,
      }),
      notifications: [],
    },
    {
      events: [9, 10, 11],
      snapshot: snapshot({
        ...onLead,
        status: 'acknowledged',
        owner: 'Linus Torvalds',
        resolveDueAt: '2025-03-03T13:45:00.250Z',
        nextAction: null,
        nextAt: null,
        updatedAt: '2025-03-03T10:15:00.000Z',
        revision: 11,
      }),
      notifications: [],
    },
    { events: [12], snapshot: FINAL_RECORD, notifications: [5, 6, 7, 8] },
  ];
  for (const step of steps) {
    await store.recordTransition(
      step.snapshot,
      TIMELINE.filter((e) => step.events.includes(e.seq)),
    );
    for (const n of step.notifications) {
      const { claim, sentAt } = NOTIFICATIONS[n - 1]!;
      await store.claimNotification(claim);
      if (sentAt !== null) await store.markNotificationSent(claim.idempotencyKey, sentAt);
    }
  }
}
