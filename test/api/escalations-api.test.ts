// The HTTP API end to end: a real Temporal dev server, a real worker, real HTTP on a loopback port.
import { REVIEW_SCHEDULE_ID, syncReviewSchedule } from '../../src/temporal/review-schedule';
import type { EscalationState } from '../../src/shared/escalation';
import { workflowIdFor } from '../../src/shared/ids';
import { EscalationLevel, EscalationPriority, EscalationStatus } from '../../src/shared/search-attributes';
import { HOUR, MINUTE, TEST_LEVELS, everyPriority, testPlan } from '../support/plan';
import { waitFor } from '../support/wait';
import { useApiServer } from '../support/api-server';

let plan = testPlan();
const api = useApiServer(() => plan);
const { call } = api;

let counter = 0;
const newCase = (overrides: Record<string, unknown> = {}) => ({
  id: `API-${++counter}-${Date.now()}`,
  title: 'Invoice shows the wrong VAT rate',
  description: 'German customers are charged 21% instead of 19%.',
  category: 'billing',
  priority: 'high',
  reporter: { name: 'Ada Lovelace', email: 'ada@example.com' },
  attemptedSteps: ['Re-issued the invoice'],
  ...overrides,
});

describe('POST /escalations', () => {
  it('creates a case and answers 201 with its state', async () => {
    const input = newCase();
    const reply = await call<EscalationState>('POST', '/escalations', input);
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({
      id: input.id,
      title: input.title,
      status: 'open',
      priority: 'high',
      category: 'billing',
      level: { index: 0, name: 'Frontline support' },
      owner: 'Frontline support',
      matrixVersion: plan.version,
      reporter: input.reporter,
    });
    const createdAt = Date.parse(reply.body.createdAt);
    expect(reply.body.sla.ackDueAt).toBe(new Date(createdAt + 30 * MINUTE).toISOString());
    expect(reply.body.next).toEqual({
      action: 'escalate',
      at: reply.body.sla.ackDueAt,
      level: { index: 1, id: 'team-lead', name: 'Team lead' },
      reason: 'ack',
    });
  });

  it('returns the existing case with 200 when the same id is posted again, without a second workflow', async () => {
    const input = newCase();
    const first = await call<EscalationState>('POST', '/escalations', input);
    const again = await call<EscalationState>('POST', '/escalations', { ...input, title: 'A different title' });
    expect(again.status).toBe(200);
    expect(again.body.title).toBe(input.title);
    expect(again.body.createdAt).toBe(first.body.createdAt);
    const runs = api.harness.env.client.workflow.list({ query: `WorkflowId = '${workflowIdFor(input.id)}'` });
    let count = 0;
    for await (const _ of runs) count++;
    expect(count).toBe(1);
  });

  it('generates a case number ESC-<year>-<sequence> when no id is given', async () => {
    const { id: _id, ...withoutId } = newCase();
    const reply = await call<EscalationState>('POST', '/escalations', withoutId);
    expect(reply.status).toBe(201);
    expect(reply.body.id).toMatch(new RegExp(`^ESC-${new Date().getUTCFullYear()}-\\d{6}$`));
  });

  it('indexes the run with search attributes operators can filter on', async () => {
    const input = newCase({ priority: 'critical' });
    await call('POST', '/escalations', input);
    const description = await api.harness.env.client.workflow.getHandle(workflowIdFor(input.id)).describe();
    expect(description.typedSearchAttributes.get(EscalationStatus)).toBe('open');
    expect(description.typedSearchAttributes.get(EscalationPriority)).toBe('critical');
    expect(description.typedSearchAttributes.get(EscalationLevel)).toBe('Team lead');
    expect(await description.staticSummary()).toBe(`${input.id}: ${input.title}`);
  });

  it('answers 400 with every field error, as problem+json', async () => {
    const reply = await call('POST', '/escalations', {
      title: '',
      category: 'billing',
      priority: 'urgent',
      reporter: { name: 'Ada', email: 'not-an-email' },
      colour: 'red',
    });
    expect(reply.status).toBe(400);
    expect(reply.type).toContain('application/problem+json');
    expect(reply.body).toMatchObject({ type: 'urn:escalations:problem:validation-error', status: 400 });
    const fields = (reply.body.errors as { field: string }[]).map((e) => e.field).sort();
    expect(fields).toEqual(['colour', 'priority', 'reporter.email', 'title']);
  });

  it('answers 400 for malformed JSON and 413 for a body over the limit', async () => {
    expect((await call('POST', '/escalations', '{"title": ')).status).toBe(400);
    const huge = newCase({ description: 'x'.repeat(70_000) });
    const reply = await call('POST', '/escalations', huge);
    expect(reply.status).toBe(413);
    expect(reply.type).toContain('application/problem+json');
  });
});

describe('GET /escalations/:id', () => {
  it('returns the live state, and 404 as problem+json for an unknown case', async () => {
    const input = newCase();
    await call('POST', '/escalations', input);
    const found = await call<EscalationState>('GET', `/escalations/${input.id}`);
    expect(found.status).toBe(200);
    expect(found.body.timeline.map((e) => e.type)).toEqual(['created', 'triaged', 'handed_off', 'reporter_notified']);
    const missing = await call('GET', '/escalations/NO-SUCH-CASE');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ type: 'urn:escalations:problem:case-not-found', status: 404 });
  });
});

describe('commands', () => {
  it('acknowledges, escalates with a reason, comments and resolves a case', async () => {
    const input = newCase();
    await call('POST', '/escalations', input);
    const acknowledged = await call<EscalationState>('POST', `/escalations/${input.id}/acknowledge`, {
      by: 'Grace Hopper',
      note: 'Looking into it',
    });
    expect(acknowledged.status).toBe(200);
    expect(acknowledged.body).toMatchObject({ status: 'acknowledged', owner: 'Grace Hopper' });

    const escalated = await call<EscalationState>('POST', `/escalations/${input.id}/escalate`, {
      by: 'Grace Hopper',
      reason: 'Needs a refund above my limit',
    });
    expect(escalated.status).toBe(200);
    expect(escalated.body).toMatchObject({ status: 'open', level: { index: 1, name: 'Team lead' } });

    const comment = await call('POST', `/escalations/${input.id}/comments`, { by: 'Linus', note: 'Refund approved' });
    expect(comment.status).toBe(202);

    const resolved = await call<EscalationState>('POST', `/escalations/${input.id}/resolve`, {
      by: 'Linus',
      resolution: 'Refunded the VAT difference and fixed the tax table',
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body.status).toBe('resolved');
    expect(resolved.body.timeline.map((e) => e.type)).toEqual([
      'created',
      'triaged',
      'handed_off',
      'reporter_notified',
      'acknowledged',
      'escalated',
      'handed_off',
      'comment',
      'resolved',
    ]);
    const after = await call<EscalationState>('GET', `/escalations/${input.id}`);
    expect(after.body.status).toBe('resolved');

    // The audit record, from what the workflow documented in the store.
    await waitFor(
      () => api.harness.store.getCase(input.id),
      (record) => record?.status === 'resolved',
    );
    const exported = await fetch(`${api.base}/escalations/${input.id}/export.md`);
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toContain('text/markdown');
    const markdown = await exported.text();
    expect(markdown).toContain(`# Escalation ${input.id}: ${input.title}`);
    expect(markdown).toContain('Handoff to Team lead');
    expect(markdown).toContain('Refunded the VAT difference and fixed the tax table');
    const handoffs = await call<{ items: { subject: string }[] }>('GET', `/escalations/${input.id}/handoffs`);
    expect(handoffs.body.items.map((h) => h.subject)).toEqual([
      `[${input.id}][high] Handoff to Frontline support: ${input.title}`,
      `[${input.id}][high] Handoff to Team lead: ${input.title}`,
    ]);
  });

  it('applies a retried command with the same Request-Id once', async () => {
    const input = newCase();
    await call('POST', '/escalations', input);
    const headers = { 'Request-Id': `ack-${input.id}` };
    const first = await call<EscalationState>('POST', `/escalations/${input.id}/acknowledge`, { by: 'Grace' }, headers);
    const retry = await call<EscalationState>('POST', `/escalations/${input.id}/acknowledge`, { by: 'Grace' }, headers);
    expect(first.status).toBe(200);
    expect(retry.status).toBe(200);
    expect(retry.body.timeline.filter((e) => e.type === 'acknowledged')).toHaveLength(1);
  });

  it('answers 409 with the reason for an illegal transition', async () => {
    const input = newCase();
    await call('POST', '/escalations', input);
    await call('POST', `/escalations/${input.id}/acknowledge`, { by: 'Grace' });
    const twice = await call('POST', `/escalations/${input.id}/acknowledge`, { by: 'Linus' });
    expect(twice.status).toBe(409);
    expect(twice.type).toContain('application/problem+json');
    expect(twice.body).toMatchObject({
      type: 'urn:escalations:problem:illegal-transition',
      reason: 'AlreadyAcknowledged',
    });

    await call('POST', `/escalations/${input.id}/resolve`, { by: 'Grace', resolution: 'Fixed' });
    const resolveAgain = await call('POST', `/escalations/${input.id}/resolve`, { by: 'Grace', resolution: 'Again' });
    expect(resolveAgain.status).toBe(409);
    expect(resolveAgain.body).toMatchObject({ reason: 'CaseResolved' });
    const ackResolved = await call('POST', `/escalations/${input.id}/acknowledge`, { by: 'Grace' });
    expect(ackResolved.status).toBe(409);
    expect(ackResolved.body).toMatchObject({ reason: 'CaseResolved' });
    const commentResolved = await call('POST', `/escalations/${input.id}/comments`, { by: 'Grace', note: 'late' });
    expect(commentResolved.status).toBe(409);
  });

  it('answers 404 for a command on an unknown case and 400 for a command without its fields', async () => {
    expect((await call('POST', '/escalations/NOPE-1/acknowledge', { by: 'Grace' })).status).toBe(404);
    const input = newCase();
    await call('POST', '/escalations', input);
    const reply = await call('POST', `/escalations/${input.id}/escalate`, { by: 'Grace' });
    expect(reply.status).toBe(400);
    expect(reply.body.errors).toEqual([{ field: 'reason', message: expect.any(String) }]);
  });
});

describe('matrix policy over HTTP', () => {
  it('takes tags, impact and urgency, and answers 409 for a pause reason or jump the matrix does not allow', async () => {
    const input = newCase({
      tags: ['vat', 'invoices'],
      impact: { usersAffected: 40, legalThreat: false },
      urgency: 'high',
    });
    const created = await call<EscalationState>('POST', '/escalations', input);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ tags: ['vat', 'invoices'], triage: { rule: 'default', path: 'general' } });

    const pause = await call('POST', `/escalations/${input.id}/pause`, { by: 'Grace', reason: 'lunch' });
    expect(pause.status).toBe(409);
    expect(pause.body).toMatchObject({ reason: 'PauseReasonNotAllowed' });
    const resume = await call('POST', `/escalations/${input.id}/resume`, { by: 'Grace' });
    expect(resume.body).toMatchObject({ reason: 'NotPaused' });
    const jump = await call('POST', `/escalations/${input.id}/escalate`, {
      by: 'Grace',
      reason: 'urgent',
      to: 'manager',
    });
    expect(jump.status).toBe(409);
    expect(jump.body).toMatchObject({ reason: 'JumpNotAllowed' });
    const unknown = await call('POST', `/escalations/${input.id}/escalate`, {
      by: 'Grace',
      reason: 'urgent',
      to: 'board',
    });
    expect(unknown.body).toMatchObject({ reason: 'UnknownLevel' });
  });
});

describe('POST /escalations/migrate', () => {
  it('moves open cases onto the matrix new cases start on, recorded, and leaves the others alone', async () => {
    const before = plan;
    const tag = `M${Date.now()}`;
    const open = newCase({ id: `${tag}-open` });
    const done = newCase({ id: `${tag}-done` });
    await call('POST', '/escalations', open);
    await call('POST', '/escalations', done);
    await call('POST', `/escalations/${done.id}/resolve`, { by: 'Grace', resolution: 'Fixed' });
    await waitFor(
      () => api.harness.store.getCase(done.id),
      (record) => record?.status === 'resolved',
    );
    plan = testPlan({
      version: `test-plan-${tag}`,
      levels: TEST_LEVELS.map((level) => ({
        ...level,
        sla: everyPriority({ ack: { kind: 'calendar', ms: HOUR }, resolve: { kind: 'calendar', ms: 24 * HOUR } }),
      })),
    });
    try {
      const reply = await call<{ version: string; migrated: string[]; refused: unknown[] }>(
        'POST',
        '/escalations/migrate',
        {
          by: 'Dana',
          reason: 'longer ack targets',
          filter: { fromVersion: before.version },
        },
      );
      expect(reply.status).toBe(200);
      expect(reply.body.version).toBe(plan.version);
      expect(reply.body.migrated).toContain(open.id);
      expect(reply.body.migrated).not.toContain(done.id);
      const state = await call<EscalationState>('GET', `/escalations/${open.id}`);
      expect(state.body.matrixVersion).toBe(plan.version);
      expect(state.body.timeline.at(-1)).toMatchObject({ type: 'plan_migrated', by: 'Dana' });
    } finally {
      plan = before;
    }
  });
});

describe('GET /escalations', () => {
  it('lists cases most urgent first and filters by status and priority', async () => {
    const tag = `L${Date.now()}`;
    const low = newCase({ id: `${tag}-low`, priority: 'low' });
    const critical = newCase({ id: `${tag}-critical`, priority: 'critical' });
    const high = newCase({ id: `${tag}-high`, priority: 'high' });
    for (const input of [low, critical, high]) await call('POST', '/escalations', input);
    await call('POST', `/escalations/${high.id}/acknowledge`, { by: 'Grace' });

    const ours = (items: { id: string }[]) => items.map((i) => i.id).filter((id) => id.startsWith(tag));
    const all = await waitFor(
      () => call<{ items: { id: string; status: string }[] }>('GET', '/escalations?limit=1000'),
      (reply) =>
        ours(reply.body.items).length === 3 &&
        reply.body.items.some((i) => i.id === high.id && i.status === 'acknowledged'),
    );
    expect(ours(all.body.items)).toEqual([critical.id, high.id, low.id]);
    const acknowledged = await call<{ items: { id: string }[] }>('GET', '/escalations?status=acknowledged&limit=1000');
    expect(ours(acknowledged.body.items)).toEqual([high.id]);
    const lows = await call<{ items: { id: string }[] }>('GET', '/escalations?priority=low&limit=1000');
    expect(ours(lows.body.items)).toEqual([low.id]);
    const bad = await call('GET', '/escalations?priority=urgent');
    expect(bad.status).toBe(400);
  });
});

describe('matrix review schedule', () => {
  it('keeps a daily reminder schedule while the matrix names an owner and a review date, and removes it otherwise', async () => {
    const client = api.harness.env.client;
    const owned = testPlan({ owner: { name: 'Dana', email: 'dana@example.com' }, reviewBy: '2027-11-01' });
    expect(await syncReviewSchedule(client, api.harness.taskQueue, owned)).toBe('upserted');
    expect(await syncReviewSchedule(client, api.harness.taskQueue, { ...owned, reviewBy: '2028-01-01' })).toBe(
      'upserted',
    );
    const description = await client.schedule.getHandle(REVIEW_SCHEDULE_ID).describe();
    expect(description.action).toMatchObject({
      type: 'startWorkflow',
      workflowType: 'matrixReviewWorkflow',
      args: [expect.objectContaining({ reviewBy: '2028-01-01', owner: { name: 'Dana', email: 'dana@example.com' } })],
    });
    expect(await syncReviewSchedule(client, api.harness.taskQueue, testPlan())).toBe('removed');
    expect(await syncReviewSchedule(client, api.harness.taskQueue, testPlan())).toBe('none');
  });
});

describe('health', () => {
  it('answers /healthz and /readyz when Temporal and the store are reachable', async () => {
    expect((await call('GET', '/healthz')).body).toEqual({ status: 'ok' });
    expect(await call('GET', '/readyz')).toMatchObject({
      status: 200,
      body: { status: 'ready', temporal: 'ok', store: 'ok' },
    });
  });
});
