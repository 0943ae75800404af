// Fixed notices for the template tests: one case (reported from Berlin, escalated from frontline to the team lead,
// a team and a task added, later resolved or cancelled), and every notice the workflow can send about it, built by
// the real notice functions so the models have exactly the shape the workflow sends.
import type { EscalationState, Review, WorkItem } from '../../src/shared/escalation';
import {
  actionItemNotice,
  assignedNotice,
  cancelledNotice,
  feedbackRequestNotice,
  reporterCancelledNotice,
  reporterStatusNotice,
  reprioritisedNotice,
  reviewReminderNotice,
  reviewRequestedNotice,
  statusUpdateNotice,
  subscribedNotice,
  taskAssignedNotice,
  taskReminderNotice,
  teamAddedNotice,
} from '../../src/workflows/lifecycle-notices';
import type { NoticeModel } from '../../src/workflows/notice-model';
import {
  breachWarningNotice,
  deliveryFailedNotice,
  handoffNotice,
  repeatNotice,
  reporterReceipt,
  reporterResolutionNotice,
  resolutionNotice,
  resolveBreachNotice,
  unownedNotice,
  type Notice,
} from '../../src/workflows/notices';
import { TEST_LEVELS } from '../support/plan';

export const [FRONTLINE, TEAM_LEAD, MANAGER, LEADERSHIP] = TEST_LEVELS as [
  (typeof TEST_LEVELS)[0],
  (typeof TEST_LEVELS)[0],
  (typeof TEST_LEVELS)[0],
  (typeof TEST_LEVELS)[0],
];

/** Names a reporter must never read: levels, teams and people of the organisation. */
export const INTERNAL_NAMES = [
  'Frontline support',
  'Team lead',
  'Manager',
  'Senior leadership',
  'Payments team',
  'Grace Hopper',
  'Linus Torvalds',
];

export const WHY = 'not acknowledged by Frontline support within 30m (ack target)';

const task: WorkItem = {
  id: 'T1',
  title: 'Check the payment provider status',
  owner: { kind: 'team', id: 'payments', name: 'Payments team' },
  recipients: [{ name: 'Payments team', channel: 'log', address: 'payments@example.com' }],
  dueAt: '2026-03-02T12:00:00.000Z',
  blocking: true,
  state: 'open',
  createdAt: '2026-03-02T09:50:00.000Z',
  createdBy: 'Grace Hopper',
  remindAt: '2026-03-02T12:00:00.000Z',
  remindersSent: 1,
};

/** Open at the team lead, not acknowledged yet: escalated from frontline at 09:30 UTC. */
export const OPEN: EscalationState = {
  id: 'ESC-2026-000042',
  title: 'Checkout fails for EU customers',
  description: 'Card payments are declined with error 502 since 09:00.',
  status: 'open',
  priority: 'high',
  category: 'technical',
  tags: ['payments'],
  triage: { rule: 'default', path: 'general', priority: 'high' },
  level: { index: 1, id: 'team-lead', name: 'Team lead' },
  owner: 'Team lead',
  unowned: false,
  sla: {
    ackDueAt: '2026-03-02T10:00:00.000Z',
    resolveDueAt: '2026-03-03T09:30:00.000Z',
    ackBasis: 'calendar',
    resolveBasis: 'calendar',
  },
  warned: { ack: false, resolve: false },
  paused: null,
  pauses: [],
  next: null,
  matrixVersion: 'test-plan-1',
  reporter: { name: 'Ada Lovelace', email: 'ada@example.com', timeZone: 'Europe/Berlin' },
  attemptedSteps: ['Restarted the payment pod', 'Checked the status page'],
  createdAt: '2026-03-02T09:00:00.000Z',
  occurredAt: '2026-03-02T08:40:00.000Z',
  levelEnteredAt: '2026-03-02T09:30:00.000Z',
  repeatsSent: 0,
  levelRecipients: [{ name: 'Team lead queue', channel: 'log', address: 'leads@example.com' }],
  handedTo: [
    { name: 'Frontline support queue', channel: 'log', address: 'frontline@example.com' },
    { name: 'Team lead queue', channel: 'log', address: 'leads@example.com' },
  ],
  notificationsSent: 4,
  timeline: [
    { seq: 1, at: '2026-03-02T09:00:00.000Z', type: 'created', by: 'Ada Lovelace', note: 'Checkout fails' },
    { seq: 2, at: '2026-03-02T09:00:00.000Z', type: 'triaged', note: 'rule default: high' },
    {
      seq: 3,
      at: '2026-03-02T09:00:00.000Z',
      type: 'handed_off',
      level: { index: 0, id: 'frontline', name: 'Frontline support' },
      note: 'Frontline support queue: new case',
    },
    { seq: 4, at: '2026-03-02T09:00:00.000Z', type: 'reporter_notified', note: 'case number ESC-2026-000042' },
    { seq: 5, at: '2026-03-02T09:30:00.000Z', type: 'escalated', level: { index: 1, name: 'Team lead' }, note: WHY },
    {
      seq: 6,
      at: '2026-03-02T09:30:00.000Z',
      type: 'handed_off',
      level: { index: 1, id: 'team-lead', name: 'Team lead' },
      note: `Team lead queue: ${WHY}`,
    },
    {
      seq: 7,
      at: '2026-03-02T09:45:00.000Z',
      type: 'team_added',
      level: { index: 1, name: 'Team lead' },
      by: 'Grace Hopper',
      note: 'Payments team: card declines',
    },
    {
      seq: 8,
      at: '2026-03-02T09:50:00.000Z',
      type: 'task_created',
      level: { index: 1, name: 'Team lead' },
      by: 'Grace Hopper',
      note: 'T1 "Check the payment provider status" for Payments team',
    },
  ],
  assignees: ['team-lead', 'payments'],
  teams: [
    {
      id: 'payments',
      name: 'Payments team',
      addedBy: 'Grace Hopper',
      addedAt: '2026-03-02T09:45:00.000Z',
      note: 'card declines',
      recipients: [{ name: 'Payments team', channel: 'log', address: 'payments@example.com' }],
    },
  ],
  tasks: [task],
  subscribers: [],
  breaches: 1,
  feedback: [],
  reopenCount: 0,
  evidence: [
    {
      id: 'E1',
      type: 'link',
      title: 'Error log search',
      url: 'https://logs.example.com/search?q=502',
      addedBy: 'Ada Lovelace',
      addedAt: '2026-03-02T09:00:00.000Z',
    },
  ],
  eventsRecorded: 8,
  runs: 1,
};

/** Acknowledged by Grace Hopper and reassigned to her. */
const ASSIGNED: EscalationState = {
  ...OPEN,
  status: 'acknowledged',
  owner: 'Grace Hopper',
  acknowledgedAt: '2026-03-02T09:55:00.000Z',
  assignee: { kind: 'person', id: 'grace', name: 'Grace Hopper' },
};

/** Handed to the last level after the manager. */
const AT_THE_TOP: EscalationState = {
  ...OPEN,
  level: { index: 3, id: 'senior-leadership', name: 'Senior leadership' },
  owner: 'Senior leadership',
  levelEnteredAt: '2026-03-02T10:30:00.000Z',
  sla: { ackDueAt: '2026-03-02T11:00:00.000Z', resolveDueAt: '2026-03-03T10:30:00.000Z' },
  breaches: 3,
  timeline: [
    ...OPEN.timeline,
    {
      seq: 9,
      at: '2026-03-02T10:00:00.000Z',
      type: 'handed_off',
      level: { index: 2, id: 'manager', name: 'Manager' },
      note: 'Manager queue: not acknowledged by Team lead within 30m (ack target)',
    },
    {
      seq: 10,
      at: '2026-03-02T10:30:00.000Z',
      type: 'handed_off',
      level: { index: 3, id: 'senior-leadership', name: 'Senior leadership' },
      note: 'Senior leadership queue: not acknowledged by Manager within 30m (ack target)',
    },
  ],
};

const RESOLVED: EscalationState = {
  ...ASSIGNED,
  status: 'resolved',
  tasks: [{ ...task, state: 'done', closedAt: '2026-03-02T11:00:00.000Z', closedBy: 'Linus Torvalds' }],
  resolvedAt: '2026-03-02T11:30:00.000Z',
  resolution: {
    by: 'Grace Hopper',
    summary: 'Rotated the expired certificate of the payment gateway; card payments go through again.',
    rootCause: 'The gateway certificate expired at 08:40 UTC.',
    fix: 'Certificate rotation is now automated.',
    at: '2026-03-02T11:30:00.000Z',
    level: { index: 1, id: 'team-lead', name: 'Team lead' },
  },
  followUp: { round: 0, requestedAt: '2026-03-02T11:30:00.000Z', closesAt: '2026-03-09T11:30:00.000Z' },
};

const review: Review = {
  reasons: ['priority high', 'missed 1 SLA target'],
  owner: { kind: 'person', id: 'grace', name: 'Grace Hopper' },
  recipients: [{ name: 'Grace Hopper', channel: 'log', address: 'grace@example.com' }],
  openedAt: '2026-03-09T11:30:00.000Z',
  dueAt: '2026-03-16T11:30:00.000Z',
  status: 'pending',
  wentWell: [],
  wentBadly: [],
  actionItems: [],
  remindAt: '2026-03-16T11:30:00.000Z',
  remindersSent: 2,
};

const actionItem: WorkItem = {
  ...task,
  id: 'A1',
  title: 'Alert 14 days before a certificate expires',
  owner: { kind: 'person', id: 'linus', name: 'Linus Torvalds' },
  recipients: [{ name: 'Linus Torvalds', channel: 'log', address: 'linus@example.com' }],
  dueAt: '2026-03-31T16:00:00.000Z',
  blocking: false,
  createdAt: '2026-03-10T10:00:00.000Z',
};

const CANCELLED: EscalationState = {
  ...OPEN,
  status: 'cancelled',
  cancellation: {
    by: 'Grace Hopper',
    reason: 'duplicate',
    note: 'Same outage as the earlier report.',
    duplicateOf: 'ESC-2026-000040',
    at: '2026-03-02T09:40:00.000Z',
  },
  closedAt: '2026-03-02T09:40:00.000Z',
};

/** Every notice, as the workflow builds it, by the template it names. */
export const NOTICES: Notice[] = [
  reporterReceipt(OPEN),
  reporterResolutionNotice(RESOLVED),
  feedbackRequestNotice(RESOLVED),
  reporterStatusNotice(OPEN),
  reporterCancelledNotice(CANCELLED),
  subscribedNotice(OPEN, 'Grace Hopper', 'reporter'),
  handoffNotice(OPEN, TEAM_LEAD, WHY),
  breachWarningNotice(OPEN, TEAM_LEAD, 'ack', '2026-03-02T10:00:00.000Z'),
  repeatNotice({ ...AT_THE_TOP, repeatsSent: 2 }, LEADERSHIP, 2, 3),
  unownedNotice({ ...AT_THE_TOP, owner: null, unowned: true, repeatsSent: 3 }, LEADERSHIP),
  resolveBreachNotice(ASSIGNED, TEAM_LEAD),
  assignedNotice(ASSIGNED, 'Linus Torvalds', 'Grace knows the payment gateway'),
  taskAssignedNotice(OPEN, task),
  taskReminderNotice(OPEN, task),
  reviewRequestedNotice({ ...RESOLVED, status: 'closed', review }, review),
  reviewReminderNotice({ ...RESOLVED, status: 'closed', review }, review),
  actionItemNotice(RESOLVED, actionItem),
  actionItemNotice(RESOLVED, { ...actionItem, remindersSent: 1 }, true),
  deliveryFailedNotice(OPEN, ['Payments team <payments@example.com> via email: 550 mailbox unavailable']),
  teamAddedNotice(OPEN, 'Payments team', 'Grace Hopper', 'card declines'),
  reprioritisedNotice({ ...OPEN, priority: 'critical' }, 'high', 'Grace Hopper', 'all EU card payments fail'),
  handoffNotice(AT_THE_TOP, LEADERSHIP, 'not acknowledged by Manager within 30m (ack target)', true),
  statusUpdateNotice(ASSIGNED),
  resolutionNotice(RESOLVED),
  cancelledNotice(CANCELLED),
  breachWarningNotice(OPEN, TEAM_LEAD, 'ack', '2026-03-02T10:00:00.000Z', MANAGER),
  subscribedNotice(OPEN, 'Grace Hopper'),
];

/** The fixture notice of one template, with its model. */
export function noticeFor(template: string): Notice & { template: string; model: NoticeModel } {
  const notice = NOTICES.find((candidate) => candidate.template === template);
  if (!notice?.template || !notice.model) throw new Error(`no fixture notice renders ${template}`);
  return notice as Notice & { template: string; model: NoticeModel };
}
