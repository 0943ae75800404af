// The reporter's feedback page behind a signed link: the token is checked before anything else, the score is
// validated, and a good answer becomes the workflow's feedback update. The client is a fake that records the
// update (the workflow's side is tested with the workflow).
import type { Server } from 'node:http';
import { ApplicationFailure, WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import pino from 'pino';
import { createApp } from '../../src/api/app';
import { signFeedback } from '../../src/api/feedback-links';
import { escapeHtml } from '../../src/shared/escape-html';
import type { FeedbackInput } from '../../src/shared/messages';
import type { CaseStore } from '../../src/store/case-store';
import { listen } from '../support/listen';
import { testPlan } from '../support/plan';

const SECRET = 'route-test-secret';
const CASE_ID = 'ESC-2026-000042';
/** Cases the fake client answers with a Temporal failure. */
const GONE = 'ESC-2026-000001';
const NOT_ASKED = 'ESC-2026-000002';
const CLOSED = 'ESC-2026-000003';

interface UpdateCall {
  workflowId: string;
  update: string;
  args: FeedbackInput[];
}

let updates: UpdateCall[] = [];
const fakeClient = {
  withDeadline: <T>(_deadline: number, fn: () => Promise<T>) => fn(),
  workflow: {
    getHandle: (workflowId: string) => ({
      executeUpdate: (definition: { name: string }, options: { args: FeedbackInput[] }) => {
        if (workflowId === `escalation/${GONE}` || workflowId === `escalation/${CLOSED}`) {
          return Promise.reject(new WorkflowNotFoundError('workflow not found', workflowId, undefined));
        }
        if (workflowId === `escalation/${NOT_ASKED}`) {
          const failure = ApplicationFailure.create({
            type: 'IllegalTransition',
            message: `case ${NOT_ASKED} is not waiting for feedback`,
            details: [{ reason: 'FeedbackNotRequested' }],
          });
          return Promise.reject(new WorkflowUpdateFailedError('update failed', failure));
        }
        updates.push({ workflowId, update: definition.name, args: options.args });
        return Promise.resolve({ id: CASE_ID, status: 'closed', feedback: options.args });
      },
    }),
  },
} as unknown as Client;

async function serve(feedbackSecret: string | undefined): Promise<{ server: Server; base: string }> {
  return listen(
    createApp({
      client: fakeClient,
      // Only the case whose run has finished after it closed is in the store.
      store: {
        getCase: (id: string) => Promise.resolve(id === CLOSED ? { id, status: 'closed' } : undefined),
      } as unknown as CaseStore,
      plan: () => testPlan(),
      taskQueue: 'escalations',
      logger: pino({ level: 'silent' }),
      ...(feedbackSecret !== undefined ? { feedbackSecret } : {}),
    }),
  );
}

let server: Server;
let base: string;

beforeAll(async () => {
  ({ server, base } = await serve(SECRET));
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
});
beforeEach(() => {
  updates = [];
});

const linkPath = (id = CASE_ID, round = 0, token = signFeedback(SECRET, id, round)) =>
  `/feedback/${encodeURIComponent(id)}?round=${round}&token=${encodeURIComponent(token)}`;

const postForm = (path: string, fields: Record<string, string>, at = base) =>
  fetch(`${at}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });

const postJson = (path: string, body: unknown) =>
  fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('GET /feedback/:id', () => {
  it('shows a self-contained form with scores 1 to 5 and a comment, posting back to the same link', async () => {
    const response = await fetch(`${base}${linkPath()}`);
    const html = await response.text();

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(html).toContain(`Case <strong>${CASE_ID}</strong> was resolved.`);
    expect([...html.matchAll(/<input type="radio" name="score" value="(\d)" required>/g)].map((m) => m[1])).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5',
    ]);
    expect(html).toContain('<textarea id="comment" name="comment"');
    expect(html).toContain(`<form method="post" action="${linkPath().replace(/&/g, '&amp;')}">`);
    expect(html).not.toMatch(/<(script|link|img)\b|src=|https?:\/\//);
  });

  it('answers 403 problem+json for a token of another case, another round or none that fits', async () => {
    for (const path of [
      linkPath(CASE_ID, 0, signFeedback(SECRET, 'ESC-2026-000043', 0)),
      linkPath(CASE_ID, 1, signFeedback(SECRET, CASE_ID, 0)),
      linkPath(CASE_ID, 0, signFeedback('another-secret', CASE_ID, 0)),
      linkPath(CASE_ID, 0, 'not-a-token'),
    ]) {
      const response = await fetch(`${base}${path}`);
      expect({ path, status: response.status, type: response.headers.get('content-type') }).toEqual({
        path,
        status: 403,
        type: expect.stringContaining('application/problem+json'),
      });
      expect(await response.json()).toMatchObject({ type: 'urn:escalations:problem:invalid-feedback-link' });
    }
  });

  it('answers 400 naming round or token when the link lost them', async () => {
    const noRound = await fetch(`${base}/feedback/${CASE_ID}?token=abc`);
    const noToken = await fetch(`${base}/feedback/${CASE_ID}?round=0`);

    expect(noRound.status).toBe(400);
    expect(await noRound.json()).toMatchObject({ errors: [{ field: 'round' }] });
    expect(noToken.status).toBe(400);
    expect(await noToken.json()).toMatchObject({ errors: [{ field: 'token' }] });
  });

  it('refuses a malformed case id with 400 before looking at the token', async () => {
    const response = await fetch(`${base}${linkPath('ESC-<b>"1"')}`);

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ errors: [{ field: 'path', message: 'is not a valid case id' }] });
  });

  it('is not there without a feedback secret', async () => {
    const plain = await serve(undefined);
    try {
      expect((await fetch(`${plain.base}${linkPath()}`)).status).toBe(404);
      expect((await postForm(linkPath(), { score: '5' }, plain.base)).status).toBe(404);
    } finally {
      await new Promise((resolve) => plain.server.close(resolve));
    }
  });
});

describe('a reporter in a browser', () => {
  const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

  it('gets a page, not JSON, for a forged link and for a case that has closed since', async () => {
    const forged = await fetch(`${base}${linkPath(CASE_ID, 0, 'forged')}`, { headers: { accept: BROWSER_ACCEPT } });
    expect(forged.status).toBe(403);
    expect(forged.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await forged.text()).toContain('<h1>Invalid feedback link</h1>');

    const closed = await fetch(`${base}${linkPath(CLOSED)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: BROWSER_ACCEPT },
      body: 'score=4',
    });
    expect(closed.status).toBe(409);
    expect(closed.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await closed.text()).toContain(`<p>case ${CLOSED} is closed</p>`);
  });
});

describe('escapeHtml', () => {
  it('escapes the five characters that matter in text and attributes', () => {
    expect(escapeHtml(`<a href="x">Tom & Jerry's</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;',
    );
  });
});

describe('POST /feedback/:id', () => {
  it('answers 404 for a case Temporal does not know and 409 when the case is not waiting for feedback', async () => {
    const gone = await postForm(linkPath(GONE), { score: '3' });
    const notAsked = await postJson(linkPath(NOT_ASKED), { score: 3 });

    expect(gone.status).toBe(404);
    expect(await gone.json()).toMatchObject({ type: 'urn:escalations:problem:case-not-found' });
    // A link to a case that has closed (its run is gone) is refused like any command on it.
    const closed = await postForm(linkPath(CLOSED), { score: '3' });
    expect(closed.status).toBe(409);
    expect(await closed.json()).toMatchObject({ reason: 'CaseClosed', detail: `case ${CLOSED} is closed` });
    expect(notAsked.status).toBe(409);
    expect(await notAsked.json()).toMatchObject({
      type: 'urn:escalations:problem:illegal-transition',
      reason: 'FeedbackNotRequested',
      detail: `case ${NOT_ASKED} is not waiting for feedback`,
    });
  });

  it('hands a form answer to the case as the feedback update and thanks the reporter', async () => {
    const response = await postForm(linkPath(CASE_ID, 1), { score: '4', comment: '  Quick & friendly <3  ' });
    const html = await response.text();

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html).toContain(`Your score of 4 for case <strong>${CASE_ID}</strong> was recorded.`);
    expect(updates).toEqual([
      {
        workflowId: `escalation/${CASE_ID}`,
        update: 'feedback',
        // The link's round goes with it: the case refuses a link from before a reopen.
        args: [{ by: 'reporter (feedback link)', score: 4, comment: 'Quick & friendly <3', round: 1 }],
      },
    ]);
  });

  it('answers a JSON post with the case state, without a comment when none was given', async () => {
    const response = await postJson(linkPath(), { score: 5, comment: '' });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      id: CASE_ID,
      status: 'closed',
      feedback: [{ by: 'reporter (feedback link)', score: 5, round: 0 }],
    });
    expect(updates.map((call) => call.args)).toEqual([[{ by: 'reporter (feedback link)', score: 5, round: 0 }]]);
  });

  it('checks the token before the body: 403 for a bad link even with a bad score', async () => {
    const response = await postForm(linkPath(CASE_ID, 0, 'forged'), { score: '9' });

    expect(response.status).toBe(403);
    expect(updates).toEqual([]);
  });

  it('answers 400 naming score for a missing, fractional or out-of-range score', async () => {
    for (const send of [
      () => postForm(linkPath(), {}),
      () => postForm(linkPath(), { score: '' }),
      () => postForm(linkPath(), { score: '0' }),
      () => postForm(linkPath(), { score: '6' }),
      () => postForm(linkPath(), { score: 'five' }),
      () => postJson(linkPath(), { score: 3.5 }),
      () => postJson(linkPath(), { score: null }),
    ]) {
      const response = await send();
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(await response.json()).toMatchObject({
        errors: [{ field: 'score', message: 'must be a whole number from 1 to 5' }],
      });
    }
    expect(updates).toEqual([]);
  });
});
