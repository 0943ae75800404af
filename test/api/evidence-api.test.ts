// Evidence end to end: a real Temporal dev server, a real worker, real HTTP on a loopback port. A case raised with
// evidence, when it occurred and the reporter's time zone; evidence added by the route (a retried Request-Id once);
// listed live and, once the run is gone, from the stored snapshot; refused once the case is resolved.
import type { EscalationState, Evidence } from '../../src/shared/escalation';
import { LIFE_ID, LIFE_RECORD, LIFE_TIMELINE } from '../documentation/lifecycle-fixture';
import { testPlan } from '../support/plan';
import { waitFor } from '../support/wait';
import { useApiServer } from '../support/api-server';

const api = useApiServer(() => testPlan({ version: 'evidence-api-1' }));
const { call } = api;

const SHA = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';

test('a case raised with evidence gets more by the route, and lists both', async () => {
  const id = `EVI-${Date.now()}`;
  const occurredAt = new Date(Date.now() - 90 * 60_000);
  const created = await call<EscalationState>('POST', '/escalations', {
    id,
    title: 'Checkout fails for EU customers',
    category: 'technical',
    priority: 'high',
    reporter: { name: 'Ada Lovelace', email: 'ada@example.com', timeZone: 'Europe/Berlin' },
    // With an offset: stored in UTC.
    occurredAt: occurredAt.toISOString().replace('Z', '+00:00'),
    evidence: [{ type: 'link', title: 'Error rate dashboard', url: 'https://grafana.example.com/d/payments' }],
  });
  expect(created.status).toBe(201);
  expect(created.body.occurredAt).toBe(occurredAt.toISOString());
  expect(created.body.reporter).toEqual({ name: 'Ada Lovelace', email: 'ada@example.com', timeZone: 'Europe/Berlin' });
  const e1: Evidence = {
    id: 'E1',
    type: 'link',
    title: 'Error rate dashboard',
    url: 'https://grafana.example.com/d/payments',
    addedBy: 'Ada Lovelace',
    addedAt: created.body.createdAt,
  };
  expect(created.body.evidence).toEqual([e1]);

  const attachment = {
    by: 'Ana Ruiz',
    type: 'attachment',
    title: 'Gateway log',
    url: 'https://files.example.com/gw.log',
    contentType: 'text/plain',
    sizeBytes: 48213,
    sha256: SHA.toUpperCase(),
    note: 'From the EU gateway',
  };
  const headers = { 'Request-Id': `evidence-${id}` };
  const added = await call<EscalationState>('POST', `/escalations/${id}/evidence`, attachment, headers);
  expect(added.status).toBe(201);
  const e2 = added.body.evidence?.[1];
  expect(e2).toEqual({
    id: 'E2',
    type: 'attachment',
    title: 'Gateway log',
    url: 'https://files.example.com/gw.log',
    contentType: 'text/plain',
    sizeBytes: 48213,
    sha256: SHA,
    note: 'From the EU gateway',
    addedBy: 'Ana Ruiz',
    addedAt: expect.any(String) as string,
  });
  // The same Request-Id is the same update: applied once.
  const retried = await call<EscalationState>('POST', `/escalations/${id}/evidence`, attachment, headers);
  expect(retried.status).toBe(201);
  expect(retried.body.evidence).toHaveLength(2);

  const listed = await call<{ items: Evidence[]; count: number }>('GET', `/escalations/${id}/evidence`);
  expect(listed.status).toBe(200);
  expect(listed.body).toEqual({ items: [e1, e2], count: 2 });

  // Documented: on the stored timeline, and in the stored snapshot the exports read.
  const timeline = await waitFor(
    () => api.harness.store.timeline(id),
    (events) => events.some((event) => event.type === 'evidence_added'),
  );
  expect(timeline.find((event) => event.type === 'evidence_added')).toMatchObject({
    by: 'Ana Ruiz',
    note: `E2 attachment "Gateway log": https://files.example.com/gw.log (sha256 ${SHA})`,
  });
  const record = await api.harness.store.getCase(id);
  expect(record?.snapshot?.evidence?.map((item) => item.id)).toEqual(['E1', 'E2']);
  const markdown = await (await fetch(`${api.base}/escalations/${id}/export.md`)).text();
  expect(markdown).toContain(
    `| E2 | attachment | Gateway log | https://files.example.com/gw.log | text/plain | 48213 | ${SHA} |`,
  );

  // Resolved without follow-up in the matrix, the run ends: evidence is refused, the list still answers.
  const resolved = await call<EscalationState>('POST', `/escalations/${id}/resolve`, {
    by: 'Ana Ruiz',
    resolution: 'Rolled back the gateway config',
  });
  expect(resolved.status).toBe(200);
  const late = await call('POST', `/escalations/${id}/evidence`, { ...attachment, title: 'Late log' });
  expect(late.status).toBe(409);
  expect(late.body).toMatchObject({ reason: 'CaseResolved' });
  expect((await call('GET', `/escalations/${id}/evidence`)).body).toMatchObject({ count: 2 });
});

test('lists the evidence of a case whose run is gone from the stored snapshot; 404 for an unknown case', async () => {
  await api.harness.store.recordTransition(LIFE_RECORD, LIFE_TIMELINE);
  const listed = await call<{ items: Evidence[]; count: number }>('GET', `/escalations/${LIFE_ID}/evidence`);
  expect(listed.status).toBe(200);
  expect(listed.body).toEqual({ items: LIFE_RECORD.snapshot?.evidence, count: 2 });

  const unknown = await call('GET', '/escalations/EVI-NOPE-1/evidence');
  expect(unknown.status).toBe(404);
  const add = await call('POST', '/escalations/EVI-NOPE-1/evidence', {
    by: 'Ana',
    type: 'link',
    title: 'Status page',
    url: 'https://status.example.com',
  });
  expect(add.status).toBe(404);
});
