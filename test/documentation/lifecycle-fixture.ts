// A closed, reviewed case with the whole lifecycle on record, stored the way the workflow's activities store it: the
// row with its snapshot of the case (evidence, teams, tasks, subscribers, feedback, a reopen, the review) and the
// timeline. Evidence at creation and one piece added later; resolved, rated 2/5 and reopened, resolved again
// (forced past a blocking task), rated 5/5 and closed; reviewed with five whys and two action items.
import type { EscalationState, Review, WorkItem } from '../../src/shared/escalation';
import type { CaseSnapshot } from '../../src/shared/snapshot';
import type { CaseRecord, CaseStore, TimelineRecord } from '../../src/store/case-store';

export const LIFE_ID = 'ESC-2026-000007';
const WORKFLOW_ID = `escalation/${LIFE_ID}`;
const TITLE = 'Checkout fails for EU customers';
export const SHA = 'a3f1c2d4e5b60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9a';

const FRONTLINE = { index: 0, id: 'frontline', name: 'Frontline support' };
const LEAD = { index: 1, id: 'team-lead', name: 'Team lead' };

const day2 = (time: string) => `2026-11-02T${time}.000Z`;

type Level = { index: number; name: string } | null;
function event(seq: number, at: string, type: string, level: Level, by: string | null, note: string | null) {
  const record: TimelineRecord = {
    caseId: LIFE_ID,
    seq,
    at,
    type,
    levelIndex: level?.index ?? null,
    levelName: level?.name ?? null,
    by,
    note,
  };
  return record;
}

export const LIFE_TIMELINE: TimelineRecord[] = [
  event(1, day2('09:00:00'), 'created', null, 'Ada Lovelace', TITLE),
  event(
    2,
    day2('09:00:00'),
    'triaged',
    null,
    null,
    'rule default: high (given high), path Standard, starts at Frontline support',
  ),
  event(3, day2('09:00:00'), 'handed_off', FRONTLINE, null, 'Ana Ruiz: new case'),
  event(4, day2('09:05:00'), 'acknowledged', FRONTLINE, 'Ana Ruiz', 'Looking at the gateway'),
  event(
    5,
    day2('09:10:00'),
    'evidence_added',
    FRONTLINE,
    'Ana Ruiz',
    `E2 attachment "Gateway log": https://files.example.com/gw-0900.log (sha256 ${SHA})`,
  ),
  event(
    6,
    day2('09:20:00'),
    'escalated',
    LEAD,
    'Ana Ruiz',
    'escalated by Ana Ruiz from Frontline support: Gateway config change needs a lead',
  ),
  event(
    7,
    day2('09:20:00'),
    'handed_off',
    LEAD,
    null,
    'Chloe Martin: escalated by Ana Ruiz from Frontline support: Gateway config change needs a lead',
  ),
  event(8, day2('09:25:00'), 'acknowledged', LEAD, 'Chloe Martin', null),
  event(9, day2('09:30:00'), 'team_added', LEAD, 'Chloe Martin', 'Billing desk: Customers were charged the 502 fee'),
  event(
    10,
    day2('09:31:00'),
    'task_created',
    LEAD,
    'Chloe Martin',
    'T1 "Refund the failed-payment fees" for Billing desk, due 2026-11-02T13:30:00.000Z, blocking',
  ),
  event(
    11,
    day2('09:32:00'),
    'subscribed',
    LEAD,
    'Chloe Martin',
    'Dana Scully <dana@example.com> via email (internal)',
  ),
  event(
    12,
    day2('10:40:00'),
    'task_updated',
    LEAD,
    'Hugo Silva',
    'T1 "Refund the failed-payment fees" done: 37 refunds',
  ),
  event(
    13,
    day2('11:00:00'),
    'resolved',
    LEAD,
    'Chloe Martin',
    'Rolled back the gateway config; root cause: configuration; fix: Gateway config change reverted',
  ),
  event(
    14,
    day2('12:00:00'),
    'feedback_received',
    LEAD,
    'Ada Lovelace',
    'score 2/5 (unsatisfied: below 4): Payments work, but my fee was not refunded',
  ),
  event(
    15,
    day2('12:00:00'),
    'reopened',
    LEAD,
    'Ada Lovelace',
    'score 2/5: Payments work, but my fee was not refunded',
  ),
  event(16, day2('12:00:00'), 'handed_off', LEAD, null, 'Chloe Martin: reopened: score 2/5'),
  event(
    17,
    day2('12:15:00'),
    'task_created',
    LEAD,
    'Chloe Martin',
    'T2 "Confirm the refund with the bank" for Hugo Silva, due 2026-11-04T17:00:00.000Z, blocking',
  ),
  event(
    18,
    day2('12:30:00'),
    'resolved',
    LEAD,
    'Chloe Martin',
    'Refunded the remaining fee by hand; root cause: configuration; forced with open blocking tasks: The bank confirms on Monday',
  ),
  event(19, day2('13:00:00'), 'feedback_received', LEAD, 'Ada Lovelace', 'score 5/5 (satisfied)'),
  event(20, day2('13:00:00'), 'closed', LEAD, null, 'the reporter is satisfied (5/5)'),
  event(
    21,
    day2('13:00:00'),
    'review_opened',
    null,
    null,
    'owner Erin Walsh, due 2026-11-09T13:00:00.000Z: priority high; reopened 1 time(s)',
  ),
  event(
    22,
    '2026-11-03T10:00:00.000Z',
    'review_submitted',
    null,
    'Erin Walsh',
    'five whys: Cards were declined -> ...',
  ),
  event(
    23,
    '2026-11-04T09:00:00.000Z',
    'action_item_updated',
    null,
    'Chloe Martin',
    'A1 "Put gateway config under change review" done',
  ),
  event(
    24,
    '2026-11-05T09:00:00.000Z',
    'action_item_updated',
    null,
    'Hugo Silva',
    'A2 "Refund fees automatically" cancelled: covered by the billing roadmap',
  ),
  event(
    25,
    '2026-11-05T09:00:00.000Z',
    'review_completed',
    null,
    null,
    '1 of 2 action item(s) done, the rest cancelled',
  ),
];

const chloe = { kind: 'person' as const, id: 'chloe-martin', name: 'Chloe Martin' };
const hugo = { kind: 'person' as const, id: 'hugo-silva', name: 'Hugo Silva' };
const billing = { kind: 'team' as const, id: 'billing-desk', name: 'Billing desk' };

function item(fields: Partial<WorkItem> & Pick<WorkItem, 'id' | 'title' | 'owner' | 'dueAt' | 'createdAt'>): WorkItem {
  return {
    recipients: [],
    blocking: false,
    state: 'open',
    createdBy: 'Chloe Martin',
    remindAt: null,
    remindersSent: 0,
    ...fields,
  };
}

const review: Review = {
  reasons: ['priority high', 'reopened 1 time(s)'],
  owner: { kind: 'person', id: 'erin-walsh', name: 'Erin Walsh' },
  recipients: [],
  openedAt: day2('13:00:00'),
  dueAt: '2026-11-09T13:00:00.000Z',
  status: 'complete',
  whatHappened: 'A gateway config change declined EU cards for 2 hours;\nfees were charged on failed payments.',
  rootCause: {
    method: 'five-whys',
    whys: [
      'Cards were declined',
      'The gateway used a wrong acquirer id',
      'The config change was not reviewed',
      'Gateway config is outside the change process',
    ],
  },
  rootCauseCategory: 'configuration',
  wentWell: ['Escalated to the lead within 20 minutes'],
  wentBadly: ['The fee refund was missed at first', 'Feedback | took an hour'],
  submittedAt: '2026-11-03T10:00:00.000Z',
  submittedBy: 'Erin Walsh',
  completedAt: '2026-11-05T09:00:00.000Z',
  actionItems: [
    item({
      id: 'A1',
      title: 'Put gateway config under change review',
      owner: chloe,
      dueAt: '2026-12-15T17:00:00.000Z',
      createdAt: '2026-11-03T10:00:00.000Z',
      createdBy: 'Erin Walsh',
      state: 'done',
      closedAt: '2026-11-04T09:00:00.000Z',
      closedBy: 'Chloe Martin',
    }),
    item({
      id: 'A2',
      title: 'Refund fees automatically',
      owner: billing,
      dueAt: '2026-12-31T17:00:00.000Z',
      createdAt: '2026-11-03T10:00:00.000Z',
      createdBy: 'Erin Walsh',
      state: 'cancelled',
      closedAt: '2026-11-05T09:00:00.000Z',
      closedBy: 'Hugo Silva',
      note: 'covered by the billing roadmap',
    }),
  ],
  remindAt: null,
  remindersSent: 0,
};

export const LIFE_STATE: Omit<EscalationState, 'timeline' | 'handedTo'> = {
  id: LIFE_ID,
  title: TITLE,
  description: 'Card payments are declined with error 502 since 08:40.',
  status: 'closed',
  priority: 'high',
  category: 'technical',
  tags: ['payments'],
  triage: { rule: 'default', path: 'standard', priority: 'high' },
  level: LEAD,
  owner: 'Chloe Martin',
  unowned: false,
  sla: {},
  warned: { ack: false, resolve: false },
  paused: null,
  pauses: [],
  next: null,
  matrixVersion: 'sha256:77aa01',
  reporter: { name: 'Ada Lovelace', email: 'ada@example.com', timeZone: 'Europe/Berlin' },
  attemptedSteps: ['Restarted the payment pod'],
  createdAt: day2('09:00:00'),
  levelEnteredAt: day2('12:00:00'),
  acknowledgedAt: day2('12:10:00'),
  repeatsSent: 0,
  resolvedAt: day2('12:30:00'),
  resolution: {
    by: 'Chloe Martin',
    summary: 'Refunded the remaining fee by hand',
    rootCause: 'configuration',
    at: day2('12:30:00'),
    level: LEAD,
    forced: 'The bank confirms on Monday',
  },
  assignees: ['team-lead'],
  teams: [
    {
      id: 'billing-desk',
      name: 'Billing desk',
      addedBy: 'Chloe Martin',
      addedAt: day2('09:30:00'),
      note: 'Customers were charged the 502 fee',
      recipients: [],
    },
  ],
  tasks: [
    item({
      id: 'T1',
      title: 'Refund the failed-payment fees',
      owner: billing,
      dueAt: day2('13:30:00'),
      blocking: true,
      createdAt: day2('09:31:00'),
      state: 'done',
      closedAt: day2('10:40:00'),
      closedBy: 'Hugo Silva',
      note: '37 refunds',
    }),
    item({
      id: 'T2',
      title: 'Confirm the refund with the bank',
      owner: hugo,
      dueAt: '2026-11-04T17:00:00.000Z',
      blocking: true,
      createdAt: day2('12:15:00'),
      remindAt: '2026-11-04T17:00:00.000Z',
    }),
  ],
  subscribers: [
    {
      name: 'Dana Scully',
      channel: 'email',
      address: 'dana@example.com',
      audience: 'internal',
      addedBy: 'Chloe Martin',
      addedAt: day2('09:32:00'),
    },
  ],
  breaches: 0,
  feedback: [
    {
      score: 2,
      comment: 'Payments work, but my fee was not refunded',
      by: 'Ada Lovelace',
      at: day2('12:00:00'),
      round: 0,
      satisfied: false,
    },
    { score: 5, by: 'Ada Lovelace', at: day2('13:00:00'), round: 1, satisfied: true },
  ],
  reopenCount: 1,
  closedAt: day2('13:00:00'),
  review,
  occurredAt: day2('08:40:00'),
  evidence: [
    {
      id: 'E1',
      type: 'link',
      title: 'Error rate dashboard',
      url: 'https://grafana.example.com/d/payments?from=now-1h',
      addedBy: 'Ada Lovelace',
      addedAt: day2('09:00:00'),
    },
    {
      id: 'E2',
      type: 'attachment',
      title: 'Gateway log',
      url: 'https://files.example.com/gw-0900.log',
      contentType: 'text/plain',
      sizeBytes: 48213,
      sha256: SHA,
      note: 'From the EU gateway, 08:30-09:05',
      addedBy: 'Ana Ruiz',
      addedAt: day2('09:10:00'),
    },
  ],
  eventsRecorded: LIFE_TIMELINE.length,
  runs: 1,
  levelRecipients: [],
  notificationsSent: 0,
};

export const LIFE_RECORD: CaseRecord = {
  id: LIFE_ID,
  workflowId: WORKFLOW_ID,
  title: TITLE,
  description: LIFE_STATE.description ?? null,
  category: 'technical',
  priority: 'high',
  status: 'closed',
  levelIndex: 1,
  levelName: 'Team lead',
  owner: 'Chloe Martin',
  unowned: false,
  reporterName: 'Ada Lovelace',
  reporterEmail: 'ada@example.com',
  attemptedSteps: ['Restarted the payment pod'],
  matrixVersion: 'sha256:77aa01',
  ackDueAt: null,
  resolveDueAt: null,
  nextAction: null,
  nextAt: null,
  createdAt: day2('09:00:00'),
  updatedAt: '2026-11-05T09:00:00.000Z',
  resolvedAt: day2('12:30:00'),
  resolution: 'Refunded the remaining fee by hand',
  revision: LIFE_TIMELINE.length,
  assignees: ['team-lead'],
  slaDueAt: null,
  paused: false,
  snapshot: { ...LIFE_STATE, workflowId: WORKFLOW_ID, revision: LIFE_TIMELINE.length } satisfies CaseSnapshot,
};

export async function writeLifecycleCase(store: CaseStore): Promise<void> {
  await store.recordTransition(LIFE_RECORD, LIFE_TIMELINE);
}
