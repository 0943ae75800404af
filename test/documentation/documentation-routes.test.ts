// The documentation endpoints on a bare Express app over the real store (embedded, in memory).
import type { Server } from 'node:http';
import type { CaseStore } from '../../src/store/case-store';
import { openCaseStore } from '../../src/store/open-store';
import { serveDocumentation } from '../support/documentation';
import { CASE_ID, HANDOFF_LEAD_BODY, HANDOFF_SUPPORT_BODY, LEAD, SUPPORT, TIMELINE, writeCase } from './fixture';
import { pdfText } from './pdf-text';

let store: CaseStore;
let server: Server;
let base: string;

beforeAll(async () => {
  store = await openCaseStore({ inMemory: true });
  await writeCase(store);
  ({ server, base } = await serveDocumentation(store));
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await store?.close();
});

const url = (path: string) => `${base}/escalations/${path}`;

test('GET /escalations/:id/timeline returns the stored timeline', async () => {
  const res = await fetch(url(`${CASE_ID}/timeline`));
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
  // The fixture's events were recorded without details (as before they existed): the store answers null for them.
  expect(await res.json()).toEqual({ items: TIMELINE.map((event) => ({ ...event, details: null })), count: 12 });
});

test('GET /escalations/:id/handoffs returns every handoff notice as sent', async () => {
  const res = await fetch(url(`${CASE_ID}/handoffs`));
  expect(res.status).toBe(200);
  const subject = (level: string) => `[${CASE_ID}][high] Handoff to ${level}: Checkout returns 500`;
  expect(await res.json()).toEqual({
    items: [
      {
        at: '2025-03-03T09:00:00.000Z',
        level: SUPPORT,
        to: { name: 'Grace Hopper', address: 'grace@example.com', channel: 'email' },
        subject: subject('Support desk'),
        body: HANDOFF_SUPPORT_BODY,
        status: 'sent',
      },
      {
        at: '2025-03-03T09:00:00.000Z',
        level: SUPPORT,
        to: { name: 'Alan Turing', address: 'U024BE7LH', channel: 'slack' },
        subject: subject('Support desk'),
        body: HANDOFF_SUPPORT_BODY,
        status: 'failed',
      },
      {
        at: '2025-03-03T09:15:00.250Z',
        level: LEAD,
        to: { name: 'Linus Torvalds', address: 'linus@example.com', channel: 'email' },
        subject: subject('Team lead'),
        body: HANDOFF_LEAD_BODY,
        status: 'sent',
      },
    ],
    count: 3,
  });
});

test('GET /escalations/:id/export.md downloads the Markdown export', async () => {
  const res = await fetch(url(`${CASE_ID}/export.md`));
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
  expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${CASE_ID}.md"`);
  const text = await res.text();
  expect(text.startsWith(`# Escalation ${CASE_ID}: Checkout returns 500\n`)).toBe(true);
  for (const heading of ['Timeline', 'Escalations', 'Handoffs as sent', 'Notifications', 'Resolution', 'Durations']) {
    expect(text).toContain(`\n## ${heading}\n`);
  }
});

test('GET /escalations/:id/export.pdf downloads the same export as a PDF', async () => {
  const res = await fetch(url(`${CASE_ID}/export.pdf`));
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/pdf');
  expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${CASE_ID}.pdf"`);
  const pdf = Buffer.from(await res.arrayBuffer());
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  const lines = pdfText(pdf).split('\n');
  expect(lines[0]).toBe(`Escalation ${CASE_ID}: Checkout returns 500`);
  for (const heading of ['Timeline', 'Escalations', 'Handoffs as sent', 'Notifications', 'Resolution', 'Durations']) {
    expect(lines).toContain(heading);
  }
});

test.each(['timeline', 'handoffs', 'export.md', 'export.pdf'])(
  'GET /escalations/<unknown>/%s is a 404 problem',
  async (what) => {
    const res = await fetch(url(`ESC-1999-000001/${what}`));
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    expect(await res.json()).toEqual({
      type: 'urn:escalations:problem:case-not-found',
      title: 'Unknown case',
      status: 404,
      detail: 'no escalation with id "ESC-1999-000001"',
      instance: `/escalations/ESC-1999-000001/${what}`,
    });
  },
);

test.each(['timeline', 'handoffs', 'export.md', 'export.pdf'])(
  'GET /escalations/<bad id>/%s is a 400 problem',
  async (what) => {
    const res = await fetch(url(`${encodeURIComponent('bad id!')}/${what}`));
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    expect(await res.json()).toMatchObject({
      type: 'urn:escalations:problem:validation-error',
      status: 400,
      errors: [{ field: 'path', message: 'is not a valid case id' }],
    });
  },
);
