// The case lifecycle over HTTP, end to end: a real Temporal dev server, a real worker, real HTTP on a loopback port.
// Time does not skip here: every timer of the plan is hours or days away, and steps that finish in the background
// are polled for.
import type { EscalationState, Review, WorkItem } from '../../src/shared/escalation';
import { workflowIdFor } from '../../src/shared/ids';
import type { Plan } from '../../src/shared/plan';
import { HOUR, testPlan } from '../support/plan';
import { waitFor } from '../support/wait';
import { useApiServer, type Reply } from '../support/api-server';

const DAY = 24 * HOUR;

const people: Plan['people'] = {
  'grace-hopper': {
    id: 'grace-hopper',
    name: 'Grace Hopper',
    contacts: [{ channel: 'log', address: 'grace@example.com' }],
  },
  'linus-torvalds': {
    id: 'linus-torvalds',
    name: 'Linus Torvalds',
    contacts: [{ channel: 'log', address: 'linus@example.com' }],
  },
  'dana-scully': {
    id: 'dana-scully',
    name: 'Dana Scully',
    contacts: [{ channel: 'log', address: 'dana@example.com' }],
  },
  'nobody-home': { id: 'nobody-home', name: 'Nobody Home', contacts: [] },
};
const teams: Plan['teams'] = {
  payments: {
    id: 'payments',
    name: 'Payments',
    members: ['linus-torvalds'],
    contacts: [{ channel: 'log', address: 'payments@example.com' }],
  },
  tax: { id: 'tax', name: 'Tax', members: ['grace-hopper'], contacts: [] },
};

const plan = testPlan({
  version: 'lifecycle-api-1',
  people,
  teams,
  followUp: { windowMs: 7 * DAY, satisfiedAtLeast: 4 },
  // Reviewed: critical cases, and any case that was reopened.
  review: {
    when: { priorities: ['critical'], reopened: true },
    owner: 'dana-scully',
    dueWithinMs: 5 * DAY,
    remindEveryMs: DAY,
  },
  statusUpdates: { high: { everyMs: 8 * HOUR, to: ['subscribers', 'reporter'] } },
  reminders: { everyMs: DAY },
});

const api = useApiServer(() => plan);
const { call } = api;

const state = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
  call<EscalationState>(method, path, body, headers);

let counter = 0;
async function newCase(overrides: Record<string, unknown> = {}): Promise<EscalationState> {
  const input = {
    id: `LC-${++counter}-${Date.now()}`,
    title: 'Card payments fail for Maestro cards',
    category: 'payments',
    priority: 'high',
    reporter: { name: 'Ada Lovelace', email: 'ada@example.com' },
    ...overrides,
  };
  const reply = await state('POST', '/escalations', input);
  expect(reply.status).toBe(201);
  return reply.body;
}

/** Resolved and waiting for the reporter's feedback. */
async function resolvedCase(overrides: Record<string, unknown> = {}): Promise<EscalationState> {
  const created = await newCase(overrides);
  const resolved = await state('POST', `/escalations/${created.id}/resolve`, {
    by: 'Grace Hopper',
    resolution: 'Fixed',
  });
  expect(resolved.body).toMatchObject({ status: 'resolved', followUp: { round: 0 } });
  return resolved.body;
}

/** Closed with a pending review: critical cases are selected. */
async function reviewedCase(): Promise<EscalationState> {
  const resolved = await resolvedCase({ priority: 'critical' });
  const closed = await state('POST', `/escalations/${resolved.id}/feedback`, { score: 5 });
  expect(closed.body).toMatchObject({ status: 'closed', review: { status: 'pending' } });
  return closed.body;
}

const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString();
const types = (s: Pick<EscalationState, 'timeline'>) => s.timeline.map((e) => e.type);
const last = (s: Pick<EscalationState, 'timeline'>) => s.timeline.at(-1);
const finished = (id: string) => api.harness.env.client.workflow.getHandle(workflowIdFor(id)).result();

function expectProblem(reply: Reply, status: number, extra: Record<string, unknown> = {}): void {
  expect(reply.status).toBe(status);
  expect(reply.type).toContain('application/problem+json');
  expect(reply.body).toMatchObject({ status, ...extra });
}

const conflict = (reply: Reply, reason: string) =>
  expectProblem(reply, 409, { type: 'urn:escalations:problem:illegal-transition', reason });

const fields = (reply: Reply) => ((reply.body.errors ?? []) as { field: string }[]).map((e) => e.field).sort();

// ---------------------------------------------------------------- validation and unknown cases, every endpoint

const FUTURE = '2099-01-01T00:00:00Z';

describe('every lifecycle endpoint', () => {
  const valid: [string, string, unknown][] = [
    ['POST', 'reassign', { by: 'Grace', to: 'grace-hopper', reason: 'on shift' }],
    ['POST', 'reprioritise', { by: 'Grace', priority: 'low', reason: 'workaround exists' }],
    ['POST', 'cancel', { by: 'Grace', reason: 'raised-in-error', note: 'test ticket' }],
    ['POST', 'teams', { by: 'Grace', team: 'payments' }],
    ['POST', 'tasks', { by: 'Grace', title: 'Check the gateway', owner: 'payments', dueAt: FUTURE }],
    ['PATCH', 'tasks/T1', { by: 'Grace', state: 'done' }],
    ['POST', 'subscribers', { by: 'Grace', name: 'Ops', channel: 'log', address: 'ops@example.com' }],
    ['DELETE', 'subscribers/ops%40example.com?by=Grace', undefined],
    ['POST', 'feedback', { score: 4 }],
    ['POST', 'reopen', { by: 'Ada', reason: 'still broken' }],
    ['GET', 'review', undefined],
    ['GET', 'tasks', undefined],
    ['PUT', 'review', { by: 'Dana', whatHappened: 'x', rootCause: { method: 'free', analysis: 'y' } }],
    ['POST', 'review/action-items', { by: 'Dana', title: 'Alerting', owner: 'payments', dueAt: FUTURE }],
    ['PATCH', 'review/action-items/A1', { by: 'Dana', state: 'done' }],
  ];

  it.each(valid)('%s /escalations/:id/%s answers 404 for an unknown case', async (method, path, body) => {
    const reply = await call(method, `/escalations/NO-SUCH-CASE/${path}`, body);
    expectProblem(reply, 404, { type: 'urn:escalations:problem:case-not-found' });
  });

  const invalid: [string, string, unknown, string[]][] = [
    ['POST', 'reassign', { by: 'Grace', to: 'Grace Hopper', reason: 'x' }, ['to']],
    ['POST', 'reassign', { by: 'Grace', reason: 'x' }, ['to']],
    ['POST', 'reassign', { by: 'Grace', to: { name: 'Eve' }, reason: 'x' }, ['to']],
    ['POST', 'reprioritise', { by: 'Grace', priority: 'urgent', reason: 'x' }, ['priority']],
    ['POST', 'cancel', { by: 'Grace', reason: 'duplicate', note: 'x' }, ['duplicateOf']],
    ['POST', 'cancel', { by: 'Grace', reason: 'raised-in-error', note: 'x', duplicateOf: 'LC-1' }, ['duplicateOf']],
    ['POST', 'cancel', { by: 'Grace', reason: 'spam', note: 'x' }, ['reason']],
    ['POST', 'teams', { by: 'Grace' }, ['team']],
    ['POST', 'tasks', { by: 'G', title: 'T', owner: 'payments', dueAt: '2020-01-01T00:00:00Z' }, ['dueAt']],
    ['POST', 'tasks', { by: 'G', title: 'T', owner: 'payments', dueAt: '2099-01-01T00:00:00' }, ['dueAt']],
    ['POST', 'tasks', { by: 'G', title: 'T', owner: { name: 'Eve', email: 'nope' }, dueAt: FUTURE }, ['owner.email']],
    ['POST', 'tasks', { by: 'G', title: '', owner: 'payments', dueAt: FUTURE, blocking: 'yes' }, ['blocking', 'title']],
    ['PATCH', 'tasks/T1', { by: 'Grace', state: 'finished' }, ['state']],
    ['PATCH', 'tasks/X1', { by: 'Grace', state: 'done' }, ['taskId']],
    ['POST', 'subscribers', { by: 'Grace', name: 'Ops' }, ['address', 'channel']],
    ['POST', 'subscribers', { by: 'G', name: 'Ops', email: 'ops@example.com', channel: 'log' }, ['channel']],
    [
      'POST',
      'subscribers',
      { by: 'G', name: 'Ops', channel: 'pager', address: 'x', audience: 'all' },
      ['audience', 'channel'],
    ],
    ['DELETE', 'subscribers/ops%40example.com', undefined, ['by']],
    ['POST', 'feedback', { score: 6 }, ['score']],
    ['POST', 'feedback', { score: 3.5, mood: 'meh' }, ['mood', 'score']],
    ['POST', 'reopen', { by: 'Ada' }, ['reason']],
    ['PUT', 'review', { by: 'D', whatHappened: 'x', rootCause: { method: 'five-whys', whys: [] } }, ['rootCause.whys']],
    ['PUT', 'review', { by: 'D', whatHappened: 'x', rootCause: { method: 'guess' } }, ['rootCause.method']],
    [
      'PUT',
      'review',
      {
        by: 'D',
        whatHappened: 'x',
        rootCause: { method: 'free', analysis: 'y' },
        actionItems: [{ title: 'A', owner: 'payments', dueAt: 'tomorrow' }],
      },
      ['actionItems.0.dueAt'],
    ],
    ['POST', 'review/action-items', { by: 'Dana', title: 'Alerting', owner: 'payments' }, ['dueAt']],
    ['PATCH', 'review/action-items/A1', { state: 'done' }, ['by']],
    ['PATCH', 'review/action-items/T1', { by: 'Dana', state: 'done' }, ['itemId']],
    ['POST', 'resolve', { by: 'Grace', resolution: 'Fixed', force: {} }, ['force.reason']],
  ];

  it.each(invalid)('%s /escalations/:id/%s answers 400 naming the field: %j', async (method, path, body, expected) => {
    const reply = await call(method, `/escalations/NO-SUCH-CASE/${path}`, body);
    expectProblem(reply, 400, { type: 'urn:escalations:problem:validation-error' });
    expect(fields(reply)).toEqual(expected);
  });
});

// ---------------------------------------------------------------- ownership

describe('POST /escalations/:id/reassign', () => {
  it('hands the case to a person of the matrix or an outside contact, and refuses unknown or unreachable people', async () => {
    const created = await newCase();
    const reply = await state('POST', `/escalations/${created.id}/reassign`, {
      by: 'Team lead',
      to: 'grace-hopper',
      reason: 'she knows the gateway',
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      status: 'open',
      owner: 'Grace Hopper',
      unowned: false,
      assignee: { kind: 'person', id: 'grace-hopper', name: 'Grace Hopper' },
      assignees: ['grace-hopper', 'Grace Hopper'],
      levelRecipients: [{ name: 'Grace Hopper', channel: 'log', address: 'grace@example.com' }],
    });
    // The new assignee gets a full ack window (30 minutes) from the handover; the resolve target does not move.
    const handover = last(reply.body);
    const graceDue = new Date(Date.parse(handover?.at ?? '') + 30 * 60_000).toISOString();
    expect(reply.body.sla).toMatchObject({ ackDueAt: graceDue, resolveDueAt: created.sla.resolveDueAt });
    expect(handover).toMatchObject({
      type: 'reassigned',
      by: 'Team lead',
      note: `Frontline support -> Grace Hopper: she knows the gateway; ack due ${created.sla.ackDueAt} -> ${graceDue}`,
      details: { due: { ack: { from: created.sla.ackDueAt, to: graceDue } } },
    });

    const contact = await state('POST', `/escalations/${created.id}/reassign`, {
      by: 'Grace',
      to: { name: 'Eve Vendor', email: 'eve@vendor.example' },
      reason: 'vendor bug',
    });
    expect(contact.body.assignee).toEqual({ kind: 'contact', id: 'eve@vendor.example', name: 'Eve Vendor' });

    conflict(
      await call('POST', `/escalations/${created.id}/reassign`, { by: 'G', to: 'alan-turing', reason: 'x' }),
      'UnknownAssignee',
    );
    conflict(
      await call('POST', `/escalations/${created.id}/reassign`, { by: 'G', to: 'nobody-home', reason: 'x' }),
      'UnknownAssignee',
    );
    conflict(
      await call('POST', `/escalations/${created.id}/reassign`, {
        by: 'G',
        to: { name: 'Eve Vendor', email: 'eve@vendor.example' },
        reason: 'again',
      }),
      'AlreadyAssigned',
    );
  });
});

describe('POST /escalations/:id/unacknowledge', () => {
  it('withdraws an acknowledgement with a reason; refuses a case not acknowledged and a missing reason', async () => {
    const created = await newCase();
    conflict(
      await call('POST', `/escalations/${created.id}/unacknowledge`, { by: 'Grace', reason: 'x' }),
      'NotAcknowledged',
    );
    await state('POST', `/escalations/${created.id}/acknowledge`, { by: 'Grace Hopper' });
    const missing = await call('POST', `/escalations/${created.id}/unacknowledge`, { by: 'Grace Hopper' });
    expectProblem(missing, 400);
    expect(fields(missing)).toEqual(['reason']);

    const reply = await state('POST', `/escalations/${created.id}/unacknowledge`, {
      by: 'Grace Hopper',
      reason: 'off shift',
    });
    expect(reply.status).toBe(200);
    const withdrawn = last(reply.body);
    expect(withdrawn).toMatchObject({ type: 'unacknowledged', by: 'Grace Hopper' });
    const due = new Date(Date.parse(withdrawn?.at ?? '') + 30 * 60_000).toISOString();
    expect(reply.body).toMatchObject({
      status: 'open',
      owner: 'Frontline support',
      ackWindowFrom: withdrawn?.at,
      sla: { ackDueAt: due, resolveDueAt: created.sla.resolveDueAt },
    });
    expect(reply.body).not.toHaveProperty('acknowledgedAt');
  });
});

describe('POST /escalations/:id/reprioritise', () => {
  it("re-runs the level's targets for the new priority from the level's entry", async () => {
    const created = await newCase();
    const reply = await state('POST', `/escalations/${created.id}/reprioritise`, {
      by: 'Grace',
      priority: 'critical',
      reason: 'all Maestro payments fail',
    });
    expect(reply.status).toBe(200);
    const entered = Date.parse(created.levelEnteredAt);
    expect(reply.body).toMatchObject({
      priority: 'critical',
      level: { index: 0, name: 'Frontline support' },
      sla: {
        ackDueAt: new Date(entered + 15 * 60_000).toISOString(),
        resolveDueAt: new Date(entered + 4 * HOUR).toISOString(),
      },
    });
    expect(last(reply.body)).toMatchObject({ type: 'reprioritised', by: 'Grace' });
    expect(last(reply.body)?.note).toMatch(/^high -> critical: all Maestro payments fail; ack due /);
    conflict(
      await call('POST', `/escalations/${created.id}/reprioritise`, { by: 'G', priority: 'critical', reason: 'x' }),
      'SamePriority',
    );
  });
});

describe('POST /escalations/:id/cancel', () => {
  it('cancels a duplicate of another case; the case is final and every command on it is refused', async () => {
    const original = await newCase();
    const duplicate = await newCase();
    const reply = await state('POST', `/escalations/${duplicate.id}/cancel`, {
      by: 'Grace',
      reason: 'duplicate',
      note: 'same outage',
      duplicateOf: original.id,
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      status: 'cancelled',
      next: null,
      paused: null,
      cancellation: { by: 'Grace', reason: 'duplicate', note: 'same outage', duplicateOf: original.id },
    });
    expect(reply.body.closedAt).toBe(reply.body.cancellation?.at);
    expect(last(reply.body)).toMatchObject({ type: 'cancelled', note: `duplicate of ${original.id}: same outage` });

    // The run ends with the cancellation: the refusal now comes from the stored status.
    await finished(duplicate.id);
    conflict(
      await call('POST', `/escalations/${duplicate.id}/cancel`, { by: 'G', reason: 'raised-in-error', note: 'x' }),
      'CaseClosed',
    );
    conflict(await call('POST', `/escalations/${duplicate.id}/acknowledge`, { by: 'Grace' }), 'CaseClosed');
    conflict(await call('POST', `/escalations/${duplicate.id}/teams`, { by: 'Grace', team: 'tax' }), 'CaseClosed');
    const comment = await call('POST', `/escalations/${duplicate.id}/comments`, { by: 'Grace', note: 'late' });
    conflict(comment, 'CaseClosed');
    expect((await state('GET', `/escalations/${duplicate.id}`)).body.status).toBe('cancelled');
    const listed = await waitFor(
      () => call<{ items: { id: string }[] }>('GET', '/escalations?status=cancelled&limit=1000'),
      (r) => r.body.items.some((item) => item.id === duplicate.id),
    );
    expect(listed.status).toBe(200);
  });

  it('refuses a duplicate of itself or of an unknown case (400), and commands on a cancelled live run (409)', async () => {
    const created = await newCase();
    const self = await call('POST', `/escalations/${created.id}/cancel`, {
      by: 'G',
      reason: 'duplicate',
      note: 'x',
      duplicateOf: created.id,
    });
    expectProblem(self, 400);
    expect(fields(self)).toEqual(['duplicateOf']);
    const unknown = await call('POST', `/escalations/${created.id}/cancel`, {
      by: 'G',
      reason: 'duplicate',
      note: 'x',
      duplicateOf: 'NO-SUCH-CASE',
    });
    expectProblem(unknown, 400);
    expect(fields(unknown)).toEqual(['duplicateOf']);

    const cancelled = await state('POST', `/escalations/${created.id}/cancel`, {
      by: 'Grace',
      reason: 'raised-in-error',
      note: 'a test from the monitoring team',
    });
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancellation: { reason: 'raised-in-error' } });
    expect(cancelled.body.cancellation).not.toHaveProperty('duplicateOf');
    conflict(await call('POST', `/escalations/${created.id}/reopen`, { by: 'Ada', reason: 'x' }), 'CaseClosed');
  });
});

// ---------------------------------------------------------------- coordination

describe('POST /escalations/:id/teams', () => {
  it('brings a team onto the case (201), once; a retried request with the same Request-Id applies once', async () => {
    const created = await newCase();
    const headers = { 'Request-Id': `team-${created.id}` };
    const body = { by: 'Grace', team: 'payments', note: 'gateway config' };
    const reply = await state('POST', `/escalations/${created.id}/teams`, body, headers);
    expect(reply.status).toBe(201);
    expect(reply.body.teams).toEqual([
      {
        id: 'payments',
        name: 'Payments',
        addedBy: 'Grace',
        addedAt: expect.any(String),
        note: 'gateway config',
        recipients: [{ name: 'Payments', channel: 'log', address: 'payments@example.com' }],
      },
    ]);
    expect(last(reply.body)).toMatchObject({ type: 'team_added', by: 'Grace', note: 'Payments: gateway config' });
    const retry = await state('POST', `/escalations/${created.id}/teams`, body, headers);
    expect(retry.status).toBe(201);
    expect(retry.body.timeline.filter((e) => e.type === 'team_added')).toHaveLength(1);

    // Without shared contacts a team is reached through its members.
    const tax = await state('POST', `/escalations/${created.id}/teams`, { by: 'Grace', team: 'tax' });
    expect(tax.body.teams[1]).toMatchObject({
      id: 'tax',
      recipients: [{ name: 'Grace Hopper', channel: 'log', address: 'grace@example.com' }],
    });
    expect(tax.body.teams[1]).not.toHaveProperty('note');

    conflict(
      await call('POST', `/escalations/${created.id}/teams`, { by: 'Grace', team: 'payments' }),
      'TeamAlreadyAdded',
    );
    conflict(await call('POST', `/escalations/${created.id}/teams`, { by: 'Grace', team: 'legal' }), 'UnknownAssignee');
  });
});

describe('tasks', () => {
  it('adds (201), lists, closes and reopens tasks; unknown ids and owners are refused', async () => {
    const created = await newCase();
    const added = await state('POST', `/escalations/${created.id}/tasks`, {
      by: 'Grace',
      title: 'Check the gateway logs',
      owner: 'payments',
      dueAt: '2099-06-01T12:00:00+02:00',
      blocking: true,
    });
    expect(added.status).toBe(201);
    const task: WorkItem = {
      id: 'T1',
      title: 'Check the gateway logs',
      owner: { kind: 'team', id: 'payments', name: 'Payments' },
      recipients: [{ name: 'Payments', channel: 'log', address: 'payments@example.com' }],
      // Normalised to UTC.
      dueAt: '2099-06-01T10:00:00.000Z',
      blocking: true,
      state: 'open',
      createdAt: expect.any(String) as string,
      createdBy: 'Grace',
      remindAt: '2099-06-01T10:00:00.000Z',
      remindersSent: 0,
    };
    expect(added.body.tasks).toEqual([task]);
    expect(last(added.body)).toMatchObject({
      type: 'task_created',
      note: 'T1 "Check the gateway logs" for Payments, due 2099-06-01T10:00:00.000Z, blocking',
    });

    const second = await state('POST', `/escalations/${created.id}/tasks`, {
      by: 'Grace',
      title: 'Call the vendor',
      owner: { name: 'Eve Vendor', email: 'eve@vendor.example' },
      dueAt: inDays(2),
    });
    expect(second.body.tasks[1]).toMatchObject({
      id: 'T2',
      owner: { kind: 'contact', id: 'eve@vendor.example', name: 'Eve Vendor' },
      blocking: false,
    });

    const listed = await call<{ items: WorkItem[]; count: number }>('GET', `/escalations/${created.id}/tasks`);
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((t) => t.id)).toEqual(['T1', 'T2']);
    expect(listed.body.count).toBe(2);

    const done = await state('PATCH', `/escalations/${created.id}/tasks/T1`, {
      by: 'Linus',
      state: 'done',
      note: 'config rolled back',
    });
    expect(done.status).toBe(200);
    expect(done.body.tasks[0]).toEqual({
      ...task,
      state: 'done',
      closedAt: expect.any(String),
      closedBy: 'Linus',
      note: 'config rolled back',
      remindAt: null,
    });
    expect(last(done.body)).toMatchObject({
      type: 'task_updated',
      note: 'T1 "Check the gateway logs" done: config rolled back',
    });

    conflict(await call('PATCH', `/escalations/${created.id}/tasks/T1`, { by: 'Linus', state: 'done' }), 'TaskClosed');
    conflict(await call('PATCH', `/escalations/${created.id}/tasks/T9`, { by: 'Linus', state: 'done' }), 'UnknownTask');
    const reopened = await state('PATCH', `/escalations/${created.id}/tasks/T1`, { by: 'Linus', state: 'open' });
    expect(reopened.body.tasks[0]).toMatchObject({ state: 'open', remindAt: '2099-06-01T10:00:00.000Z' });
    expect(reopened.body.tasks[0]).not.toHaveProperty('closedAt');

    conflict(
      await call('POST', `/escalations/${created.id}/tasks`, {
        by: 'G',
        title: 'x',
        owner: 'alan-turing',
        dueAt: FUTURE,
      }),
      'UnknownAssignee',
    );
  });
});

describe('subscribers', () => {
  it('subscribes on a channel or by email (201), unsubscribes by address, and refuses twice or unknown', async () => {
    const created = await newCase();
    const reply = await state('POST', `/escalations/${created.id}/subscribers`, {
      by: 'Grace',
      name: 'Ops room',
      channel: 'log',
      address: 'ops@example.com',
    });
    expect(reply.status).toBe(201);
    expect(reply.body.subscribers).toEqual([
      {
        name: 'Ops room',
        channel: 'log',
        address: 'ops@example.com',
        audience: 'internal',
        addedBy: 'Grace',
        addedAt: expect.any(String),
      },
    ]);
    expect(last(reply.body)).toMatchObject({
      type: 'subscribed',
      note: 'Ops room <ops@example.com> via log (internal updates)',
    });

    const byEmail = await state('POST', `/escalations/${created.id}/subscribers`, {
      by: 'Ada',
      name: 'Ada’s manager',
      email: 'boss@example.com',
      audience: 'reporter',
    });
    expect(byEmail.body.subscribers[1]).toMatchObject({
      channel: 'email',
      address: 'boss@example.com',
      audience: 'reporter',
    });
    // The test worker has no email channel: the welcome notice fails for good, is recorded, and the case goes on.
    const failed = await waitFor(
      () => state('GET', `/escalations/${created.id}`),
      (r) => r.body.timeline.some((e) => e.type === 'notification_failed'),
    );
    expect(failed.body.timeline.find((e) => e.type === 'notification_failed')?.note).toContain(
      'boss@example.com> via email: UnknownChannel',
    );

    conflict(
      await call('POST', `/escalations/${created.id}/subscribers`, {
        by: 'Grace',
        name: 'Ops again',
        channel: 'log',
        address: 'ops@example.com',
      }),
      'AlreadySubscribed',
    );

    const gone = await state(
      'DELETE',
      `/escalations/${created.id}/subscribers/${encodeURIComponent('ops@example.com')}?by=Grace`,
    );
    expect(gone.status).toBe(200);
    expect(gone.body.subscribers.map((s) => s.address)).toEqual(['boss@example.com']);
    expect(last(gone.body)).toMatchObject({ type: 'unsubscribed', by: 'Grace', note: 'Ops room <ops@example.com>' });
    conflict(
      await call('DELETE', `/escalations/${created.id}/subscribers/${encodeURIComponent('ops@example.com')}?by=Grace`),
      'NotSubscribed',
    );
  });
});

// ---------------------------------------------------------------- resolution and follow-up

describe('POST /escalations/:id/resolve with tasks, root cause and fix', () => {
  it('refuses while a blocking task is open, unless forced with a reason', async () => {
    const created = await newCase();
    await call('POST', `/escalations/${created.id}/tasks`, {
      by: 'Grace',
      title: 'Confirm with the processor',
      owner: 'linus-torvalds',
      dueAt: inDays(1),
      blocking: true,
    });
    const blocked = await call('POST', `/escalations/${created.id}/resolve`, { by: 'Grace', resolution: 'Fixed' });
    conflict(blocked, 'BlockingTasksOpen');
    expect(blocked.body.detail).toContain('T1 Confirm with the processor (Linus Torvalds)');

    const forced = await state('POST', `/escalations/${created.id}/resolve`, {
      by: 'Grace',
      resolution: 'Rolled back the gateway config',
      rootCause: 'configuration',
      fix: 'Restored the Maestro BIN ranges',
      force: { reason: 'the processor confirmed by phone' },
    });
    expect(forced.status).toBe(200);
    expect(forced.body).toMatchObject({
      status: 'resolved',
      resolution: {
        by: 'Grace',
        summary: 'Rolled back the gateway config',
        rootCause: 'configuration',
        fix: 'Restored the Maestro BIN ranges',
        forced: 'the processor confirmed by phone',
        level: { index: 0, name: 'Frontline support' },
      },
      followUp: { round: 0 },
    });
    expect(forced.body.followUp?.closesAt).toBe(
      new Date(Date.parse(forced.body.followUp?.requestedAt ?? '') + 7 * DAY).toISOString(),
    );
    expect(types(forced.body).slice(-2)).toEqual(['resolved', 'feedback_requested']);
    // Open tasks of a resolved case can still be closed while it waits for feedback.
    const done = await state('PATCH', `/escalations/${created.id}/tasks/T1`, { by: 'Linus', state: 'done' });
    expect(done.body.tasks[0]?.state).toBe('done');
  });
});

describe('POST /escalations/:id/feedback', () => {
  it('closes the case on a satisfied score (by defaults to the reporter), refuses it on an open case', async () => {
    const open = await newCase();
    conflict(await call('POST', `/escalations/${open.id}/feedback`, { score: 5 }), 'NotResolved');

    const resolved = await resolvedCase();
    const reply = await state('POST', `/escalations/${resolved.id}/feedback`, { score: 4, comment: 'Works again' });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      status: 'closed',
      feedback: [{ score: 4, comment: 'Works again', by: 'reporter', round: 0, satisfied: true }],
    });
    expect(reply.body).not.toHaveProperty('followUp');
    expect(reply.body).not.toHaveProperty('review'); // high, never reopened: not selected
    expect(reply.body.closedAt).toBe(reply.body.feedback[0]?.at);
    expect(types(reply.body).slice(-2)).toEqual(['feedback_received', 'closed']);

    // Not selected for review: the run ends; the case stays readable and refuses commands.
    await finished(resolved.id);
    conflict(await call('POST', `/escalations/${resolved.id}/feedback`, { score: 1 }), 'CaseClosed');
    const review = await call('GET', `/escalations/${resolved.id}/review`);
    expectProblem(review, 404, { type: 'urn:escalations:problem:review-not-found' });
    expect(review.body.detail).toBe(
      `case ${resolved.id} has no review: its matrix did not select it for a post-escalation review`,
    );
    const listed = await waitFor(
      () => call<{ items: { id: string; status: string }[] }>('GET', '/escalations?status=closed&limit=1000'),
      (r) => r.body.items.some((item) => item.id === resolved.id),
    );
    expect(listed.body.items.find((item) => item.id === resolved.id)?.status).toBe('closed');
  });
});

describe('POST /escalations/:id/reopen', () => {
  it('reopens a resolved case at the level that resolved it; refuses an open case', async () => {
    const open = await newCase();
    conflict(await call('POST', `/escalations/${open.id}/reopen`, { by: 'Ada', reason: 'x' }), 'NotResolved');

    const created = await newCase();
    await call('POST', `/escalations/${created.id}/escalate`, { by: 'Grace', reason: 'needs a lead' });
    const resolved = await state('POST', `/escalations/${created.id}/resolve`, { by: 'Linus', resolution: 'Fixed' });
    expect(resolved.body.level).toMatchObject({ index: 1, name: 'Team lead' });
    const reply = await state('POST', `/escalations/${created.id}/reopen`, {
      by: 'Ada',
      reason: 'fails again since 9:00',
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ status: 'open', reopenCount: 1, level: { index: 1, name: 'Team lead' } });
    expect(reply.body).not.toHaveProperty('followUp');
    expect(reply.body).not.toHaveProperty('resolvedAt');
    expect(types(reply.body)).toContain('reopened');
    expect(reply.body.timeline.find((e) => e.type === 'reopened')).toMatchObject({
      by: 'Ada',
      note: 'by Ada: fails again since 9:00',
    });
  });
});

// ---------------------------------------------------------------- review

describe('the review', () => {
  it('is 404 with the reason while the case has none, and refuses review commands (NoReview)', async () => {
    const created = await newCase();
    const review = await call('GET', `/escalations/${created.id}/review`);
    expectProblem(review, 404, { type: 'urn:escalations:problem:review-not-found' });
    expect(review.body.detail).toBe(
      `case ${created.id} has no review: it is open: a review opens when a case the matrix selects is closed`,
    );
    conflict(
      await call('POST', `/escalations/${created.id}/review/action-items`, {
        by: 'Dana',
        title: 'Alerting',
        owner: 'payments',
        dueAt: FUTURE,
      }),
      'NoReview',
    );
    conflict(
      await call('PUT', `/escalations/${created.id}/review`, {
        by: 'Dana',
        whatHappened: 'x',
        rootCause: { method: 'free', analysis: 'y' },
      }),
      'NoReview',
    );
  });

  it('is submitted once, takes action items (201) and completes when every item is closed', async () => {
    const closed = await reviewedCase();
    const pending = await call<Review>('GET', `/escalations/${closed.id}/review`);
    expect(pending.status).toBe(200);
    expect(pending.body).toMatchObject({
      reasons: ['priority critical'],
      owner: { kind: 'person', id: 'dana-scully', name: 'Dana Scully' },
      recipients: [{ name: 'Dana Scully', channel: 'log', address: 'dana@example.com' }],
      status: 'pending',
      wentWell: [],
      wentBadly: [],
      actionItems: [],
      remindersSent: 0,
    });
    expect(pending.body.dueAt).toBe(new Date(Date.parse(pending.body.openedAt) + 5 * DAY).toISOString());

    const submitted = await state('PUT', `/escalations/${closed.id}/review`, {
      by: 'Dana',
      whatHappened: 'A config push removed the Maestro BIN ranges',
      rootCause: { method: 'free', analysis: 'No review step for gateway config pushes' },
      rootCauseCategory: 'configuration',
      wentWell: ['Fast rollback'],
    });
    expect(submitted.status).toBe(200);
    // Without action items the review is complete at once.
    expect(submitted.body.review).toMatchObject({
      status: 'complete',
      whatHappened: 'A config push removed the Maestro BIN ranges',
      rootCause: { method: 'free', analysis: 'No review step for gateway config pushes' },
      rootCauseCategory: 'configuration',
      wentWell: ['Fast rollback'],
      wentBadly: [],
      submittedBy: 'Dana',
      remindAt: null,
    });
    // Nothing is outstanding: the run ends, and the stored status answers.
    await finished(closed.id);
    conflict(
      await call('PUT', `/escalations/${closed.id}/review`, {
        by: 'Dana',
        whatHappened: 'x',
        rootCause: { method: 'free', analysis: 'y' },
      }),
      'CaseClosed',
    );
    expect((await call<Review>('GET', `/escalations/${closed.id}/review`)).body.status).toBe('complete');
  });

  it('answers ReviewSubmitted for a second submission and UnknownActionItem for an unknown item', async () => {
    const closed = await reviewedCase();
    const body = {
      by: 'Dana',
      whatHappened: 'x',
      rootCause: { method: 'five-whys', whys: ['payments failed', 'BIN ranges missing'] },
      actionItems: [{ title: 'Review step for config pushes', owner: 'payments', dueAt: inDays(14) }],
    };
    expect((await call('PUT', `/escalations/${closed.id}/review`, body)).status).toBe(200);
    conflict(await call('PUT', `/escalations/${closed.id}/review`, body), 'ReviewSubmitted');
    conflict(
      await call('PATCH', `/escalations/${closed.id}/review/action-items/A7`, { by: 'Dana', state: 'done' }),
      'UnknownActionItem',
    );
    conflict(
      await call('POST', `/escalations/${closed.id}/review/action-items`, {
        by: 'Dana',
        title: 'x',
        owner: 'alan-turing',
        dueAt: FUTURE,
      }),
      'UnknownAssignee',
    );
    const added = await state('POST', `/escalations/${closed.id}/review/action-items`, {
      by: 'Dana',
      title: 'Alert on card decline spikes',
      owner: 'grace-hopper',
      dueAt: '2099-02-01T09:00:00Z',
    });
    expect(added.status).toBe(201);
    expect(added.body.review?.actionItems[1]).toEqual({
      id: 'A2',
      title: 'Alert on card decline spikes',
      owner: { kind: 'person', id: 'grace-hopper', name: 'Grace Hopper' },
      recipients: [{ name: 'Grace Hopper', channel: 'log', address: 'grace@example.com' }],
      dueAt: '2099-02-01T09:00:00.000Z',
      blocking: false,
      state: 'open',
      createdAt: expect.any(String),
      createdBy: 'Dana',
      remindAt: '2099-02-01T09:00:00.000Z',
      remindersSent: 0,
    });
    expect(last(added.body)).toMatchObject({ type: 'action_item_created', by: 'Dana' });
  });
});

// ---------------------------------------------------------------- the whole life of a case

describe('a case from raise to complete review, over HTTP', () => {
  it('escalates, coordinates, resolves, is reopened by feedback, closes and is reviewed', async () => {
    const created = await newCase();
    const id = created.id;
    const path = `/escalations/${id}`;

    const escalated = await state('POST', `${path}/escalate`, { by: 'Grace', reason: 'needs the payments lead' });
    expect(escalated.body.level).toMatchObject({ index: 1, name: 'Team lead' });

    expect((await state('POST', `${path}/teams`, { by: 'Team lead', team: 'payments' })).status).toBe(201);
    const withTask = await state('POST', `${path}/tasks`, {
      by: 'Team lead',
      title: 'Restore the BIN ranges',
      owner: 'payments',
      dueAt: inDays(1),
      blocking: true,
    });
    expect(withTask.status).toBe(201);
    expect(withTask.body.tasks).toMatchObject([{ id: 'T1', owner: { kind: 'team', id: 'payments' }, blocking: true }]);

    conflict(await call('POST', `${path}/resolve`, { by: 'Team lead', resolution: 'Fixed' }), 'BlockingTasksOpen');
    expect((await state('PATCH', `${path}/tasks/T1`, { by: 'Linus', state: 'done' })).body.tasks[0]?.state).toBe(
      'done',
    );

    const resolved = await state('POST', `${path}/resolve`, {
      by: 'Team lead',
      resolution: 'Restored the BIN ranges',
      rootCause: 'configuration',
      fix: 'Config pushes need a second pair of eyes',
    });
    expect(resolved.body).toMatchObject({
      status: 'resolved',
      resolution: { rootCause: 'configuration', fix: 'Config pushes need a second pair of eyes', level: { index: 1 } },
      followUp: { round: 0 },
    });

    // Unsatisfied: reopened at the level that resolved it.
    const reopened = await state('POST', `${path}/feedback`, { score: 2, comment: 'Still fails for some cards' });
    expect(reopened.status).toBe(200);
    expect(reopened.body).toMatchObject({
      status: 'open',
      reopenCount: 1,
      level: { index: 1, name: 'Team lead' },
      feedback: [{ score: 2, comment: 'Still fails for some cards', by: 'reporter', round: 0, satisfied: false }],
    });
    expect(reopened.body).not.toHaveProperty('review');

    const again = await state('POST', `${path}/resolve`, {
      by: 'Team lead',
      resolution: 'Added the missing ranges too',
    });
    expect(again.body).toMatchObject({ status: 'resolved', followUp: { round: 1 } });
    const closed = await state('POST', `${path}/feedback`, { score: 5 });
    expect(closed.body).toMatchObject({
      status: 'closed',
      feedback: [{ score: 2 }, { score: 5, round: 1, satisfied: true }],
      review: { reasons: ['reopened 1 time(s)'], status: 'pending', owner: { id: 'dana-scully' } },
    });

    const submitted = await state('PUT', `${path}/review`, {
      by: 'Dana',
      whatHappened: 'A config push removed Maestro BIN ranges; the first fix missed some',
      rootCause: {
        method: 'five-whys',
        whys: ['payments failed', 'BIN ranges were missing', 'a config push removed them', 'nobody reviewed the push'],
      },
      rootCauseCategory: 'configuration',
      wentBadly: ['The first fix was incomplete'],
      actionItems: [
        { title: 'Review step for config pushes', owner: 'payments', dueAt: inDays(14) },
        { title: 'Synthetic Maestro payment check', owner: 'grace-hopper', dueAt: inDays(7) },
      ],
    });
    expect(submitted.status).toBe(200);
    expect(submitted.body.review).toMatchObject({
      status: 'submitted',
      submittedBy: 'Dana',
      actionItems: [
        { id: 'A1', state: 'open', owner: { kind: 'team', id: 'payments' } },
        { id: 'A2', state: 'open', owner: { kind: 'person', id: 'grace-hopper' } },
      ],
    });

    const first = await state('PATCH', `${path}/review/action-items/A1`, { by: 'Linus', state: 'done' });
    expect(first.body.review).toMatchObject({
      status: 'submitted',
      actionItems: [{ state: 'done' }, { state: 'open' }],
    });
    const second = await state('PATCH', `${path}/review/action-items/A2`, { by: 'Grace', state: 'done', note: 'live' });
    expect(second.body.review?.status).toBe('complete');

    const review = await call<Review>('GET', `${path}/review`);
    expect(review.status).toBe(200);
    expect(review.body).toMatchObject({ status: 'complete', actionItems: [{ state: 'done' }, { state: 'done' }] });
    expect(review.body.completedAt).toEqual(expect.any(String));

    await finished(id);
    const final = await state('GET', path);
    expect(final.body).toMatchObject({ status: 'closed', reopenCount: 1, review: { status: 'complete' } });
    expect(
      types(final.body).filter((type) =>
        [
          'escalated',
          'team_added',
          'task_created',
          'task_updated',
          'resolved',
          'feedback_requested',
          'feedback_received',
          'reopened',
          'closed',
          'review_opened',
          'review_submitted',
          'action_item_created',
          'action_item_updated',
          'review_completed',
        ].includes(type),
      ),
    ).toEqual([
      'escalated',
      'team_added',
      'task_created',
      'task_updated',
      'resolved',
      'feedback_requested',
      'feedback_received',
      'reopened',
      'resolved',
      'feedback_requested',
      'feedback_received',
      'closed',
      'review_opened',
      'review_submitted',
      'action_item_created',
      'action_item_created',
      'action_item_updated',
      'action_item_updated',
      'review_completed',
    ]);
    // The run is over: commands meet the stored status.
    conflict(await call('POST', `${path}/reopen`, { by: 'Ada', reason: 'x' }), 'CaseClosed');
    const tasks = await call<{ items: WorkItem[] }>('GET', `${path}/tasks`);
    expect(tasks.body.items).toMatchObject([{ id: 'T1', state: 'done' }]);
  });
});
