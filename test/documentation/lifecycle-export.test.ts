// The export of a case with its whole lifecycle on record (evidence, teams, tasks, subscribers, feedback, a reopen, a
// review), from the stored snapshot: the structured record, the Markdown sections, and the PDF over HTTP.
import type { Server } from 'node:http';
import { caseDocument, type CaseDocument, type CaseLifecycle } from '../../src/documentation/case-record';
import { caseMarkdown } from '../../src/documentation/markdown';
import { casePdf } from '../../src/documentation/pdf';
import type { CaseStore } from '../../src/store/case-store';
import { openCaseStore } from '../../src/store/open-store';
import { section, serveDocumentation } from '../support/documentation';
import { CASE_ID, writeCase } from './fixture';
import { LIFE_ID, LIFE_RECORD, LIFE_STATE, LIFE_TIMELINE, SHA, writeLifecycleCase } from './lifecycle-fixture';
import { pdfText } from './pdf-text';

const headings = (markdown: string) => [...markdown.matchAll(/^## (.*)$/gm)].map((match) => match[1]);

let store: CaseStore;
let server: Server;
let base: string;
let doc: CaseDocument;
let markdown: string;

beforeAll(async () => {
  store = await openCaseStore({ inMemory: true });
  await writeLifecycleCase(store);
  await writeCase(store);
  const record = await store.getCase(LIFE_ID);
  doc = caseDocument(record!, await store.timeline(LIFE_ID), await store.notifications(LIFE_ID));
  markdown = caseMarkdown(doc);
  ({ server, base } = await serveDocumentation(store));
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await store?.close();
});

const day2 = (time: string) => `2026-11-02T${time}.000Z`;
const LEAD = { index: 1, name: 'Team lead' };

describe('caseDocument from a stored snapshot', () => {
  test('records everything the snapshot adds to the timeline', async () => {
    expect((await store.getCase(LIFE_ID))?.snapshot).toEqual(LIFE_RECORD.snapshot);
    const expected: CaseLifecycle = {
      occurredAt: day2('08:40:00'),
      reporterTimeZone: 'Europe/Berlin',
      evidence: [
        {
          id: 'E1',
          type: 'link',
          title: 'Error rate dashboard',
          url: 'https://grafana.example.com/d/payments?from=now-1h',
          contentType: null,
          sizeBytes: null,
          sha256: null,
          note: null,
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
      teams: [
        {
          id: 'billing-desk',
          name: 'Billing desk',
          addedBy: 'Chloe Martin',
          addedAt: day2('09:30:00'),
          note: 'Customers were charged the 502 fee',
        },
      ],
      tasks: [
        {
          id: 'T1',
          title: 'Refund the failed-payment fees',
          owner: { kind: 'team', id: 'billing-desk', name: 'Billing desk' },
          dueAt: day2('13:30:00'),
          blocking: true,
          state: 'done',
          createdAt: day2('09:31:00'),
          createdBy: 'Chloe Martin',
          closedAt: day2('10:40:00'),
          closedBy: 'Hugo Silva',
          note: '37 refunds',
          remindersSent: 0,
        },
        {
          id: 'T2',
          title: 'Confirm the refund with the bank',
          owner: { kind: 'person', id: 'hugo-silva', name: 'Hugo Silva' },
          dueAt: '2026-11-04T17:00:00.000Z',
          blocking: true,
          state: 'open',
          createdAt: day2('12:15:00'),
          createdBy: 'Chloe Martin',
          closedAt: null,
          closedBy: null,
          note: null,
          remindersSent: 0,
        },
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
      resolution: {
        by: 'Chloe Martin',
        at: day2('12:30:00'),
        summary: 'Refunded the remaining fee by hand',
        level: LEAD,
        rootCause: 'configuration',
        fix: null,
        forced: 'The bank confirms on Monday',
      },
      earlierResolutions: [
        {
          seq: 13,
          at: day2('11:00:00'),
          level: LEAD,
          by: 'Chloe Martin',
          note: 'Rolled back the gateway config; root cause: configuration; fix: Gateway config change reverted',
        },
      ],
      feedback: [
        {
          round: 0,
          at: day2('12:00:00'),
          by: 'Ada Lovelace',
          score: 2,
          satisfied: false,
          comment: 'Payments work, but my fee was not refunded',
        },
        { round: 1, at: day2('13:00:00'), by: 'Ada Lovelace', score: 5, satisfied: true, comment: null },
      ],
      awaitingFeedback: null,
      reopenCount: 1,
      reopens: [
        {
          seq: 15,
          at: day2('12:00:00'),
          level: LEAD,
          by: 'Ada Lovelace',
          note: 'score 2/5: Payments work, but my fee was not refunded',
        },
      ],
      cancellation: null,
      closedAt: day2('13:00:00'),
      review: {
        reasons: ['priority high', 'reopened 1 time(s)'],
        owner: { kind: 'person', id: 'erin-walsh', name: 'Erin Walsh' },
        openedAt: day2('13:00:00'),
        dueAt: '2026-11-09T13:00:00.000Z',
        status: 'complete',
        whatHappened: 'A gateway config change declined EU cards for 2 hours;\nfees were charged on failed payments.',
        rootCause: LIFE_STATE.review!.rootCause!,
        rootCauseCategory: 'configuration',
        wentWell: ['Escalated to the lead within 20 minutes'],
        wentBadly: ['The fee refund was missed at first', 'Feedback | took an hour'],
        submittedAt: '2026-11-03T10:00:00.000Z',
        submittedBy: 'Erin Walsh',
        completedAt: '2026-11-05T09:00:00.000Z',
        actionItems: [
          {
            id: 'A1',
            title: 'Put gateway config under change review',
            owner: { kind: 'person', id: 'chloe-martin', name: 'Chloe Martin' },
            dueAt: '2026-12-15T17:00:00.000Z',
            blocking: false,
            state: 'done',
            createdAt: '2026-11-03T10:00:00.000Z',
            createdBy: 'Erin Walsh',
            closedAt: '2026-11-04T09:00:00.000Z',
            closedBy: 'Chloe Martin',
            note: null,
            remindersSent: 0,
          },
          {
            id: 'A2',
            title: 'Refund fees automatically',
            owner: { kind: 'team', id: 'billing-desk', name: 'Billing desk' },
            dueAt: '2026-12-31T17:00:00.000Z',
            blocking: false,
            state: 'cancelled',
            createdAt: '2026-11-03T10:00:00.000Z',
            createdBy: 'Erin Walsh',
            closedAt: '2026-11-05T09:00:00.000Z',
            closedBy: 'Hugo Silva',
            note: 'covered by the billing roadmap',
            remindersSent: 0,
          },
        ],
      },
    };
    expect(doc.lifecycle).toEqual(expected);
    // The resolution's summary alone (root cause and fix are apart), not the timeline note that joins them.
    expect(doc.resolution).toEqual({
      by: 'Chloe Martin',
      at: day2('12:30:00'),
      summary: 'Refunded the remaining fee by hand',
    });
    expect(doc.timeline).toHaveLength(LIFE_TIMELINE.length);
  });
});

describe('caseMarkdown with the lifecycle', () => {
  test('the facts say when it occurred, the reporter zone, reopens and when it closed', () => {
    expect(markdown.split('\n## ')[0]).toBe(
      [
        `# Escalation ${LIFE_ID}: Checkout fails for EU customers`,
        '',
        '| Field | Value |',
        '|---|---|',
        `| Case | ${LIFE_ID} |`,
        '| Title | Checkout fails for EU customers |',
        '| Status | closed |',
        '| Priority | high |',
        '| Category | technical |',
        '| Reported by | Ada Lovelace <ada@example.com> |',
        '| Reporter time zone | Europe/Berlin |',
        '| Occurred at (UTC) | 2026-11-02T08:40:00.000Z (20m before it was raised) |',
        '| Raised at (UTC) | 2026-11-02T09:00:00.000Z |',
        '| Triage | rule default: high (given high), path Standard, starts at Frontline support |',
        '| Current level | Team lead (level 1) |',
        '| Owner | Chloe Martin |',
        '| Reopened | 1 time |',
        '| Closed at (UTC) | 2026-11-02T13:00:00.000Z |',
        '| Matrix version | sha256:77aa01 |',
        `| Workflow id | escalation/${LIFE_ID} |`,
        '',
      ].join('\n'),
    );
  });

  test('the lifecycle sections sit among the existing ones, in the order of a review', () => {
    expect(headings(markdown)).toEqual([
      'Description',
      'Steps attempted',
      'Evidence',
      'Timeline',
      'Escalations',
      'Handoffs as sent',
      'Notifications',
      'Acknowledgements',
      'Comments',
      'Pauses',
      'Teams added',
      'Tasks',
      'Subscribers',
      'Resolution',
      'Feedback and reopens',
      'Cancellation',
      'Durations',
      'Review',
    ]);
  });

  test('a case stored without a snapshot keeps the export it had', async () => {
    const record = await store.getCase(CASE_ID);
    const plain = caseMarkdown(caseDocument(record!, await store.timeline(CASE_ID), []));
    expect(headings(plain)).toEqual([
      'Description',
      'Steps attempted',
      'Timeline',
      'Escalations',
      'Handoffs as sent',
      'Notifications',
      'Acknowledgements',
      'Comments',
      'Pauses',
      'Resolution',
      'Durations',
    ]);
    expect(plain).not.toContain('Occurred at');
  });

  test('evidence, with content type, size and SHA-256', () => {
    expect(section(markdown, 'Evidence')).toBe(
      [
        '| Id | Type | Title | URL | Content type | Size (bytes) | SHA-256 | Added by | Added at (UTC) | Note |',
        '|---|---|---|---|---|---|---|---|---|---|',
        '| E1 | link | Error rate dashboard | https://grafana.example.com/d/payments?from=now-1h |  |  |  | Ada Lovelace | 2026-11-02T09:00:00.000Z |  |',
        `| E2 | attachment | Gateway log | https://files.example.com/gw-0900.log | text/plain | 48213 | ${SHA} | Ana Ruiz | 2026-11-02T09:10:00.000Z | From the EU gateway, 08:30-09:05 |`,
      ].join('\n'),
    );
    expect(section(markdown, 'Timeline')).toContain(
      `| 2026-11-02T09:10:00.000Z | evidence_added | Frontline support | Ana Ruiz | E2 attachment "Gateway log": https://files.example.com/gw-0900.log (sha256 ${SHA}) |`,
    );
  });

  test('teams added, tasks with owner, due, state and who closed them, subscribers', () => {
    expect(section(markdown, 'Teams added')).toBe(
      [
        '| Team | Added by | Added at (UTC) | Note |',
        '|---|---|---|---|',
        '| Billing desk (billing-desk) | Chloe Martin | 2026-11-02T09:30:00.000Z | Customers were charged the 502 fee |',
      ].join('\n'),
    );
    expect(section(markdown, 'Tasks')).toBe(
      [
        '| Task | Title | Owner | Due (UTC) | Blocking | State | Created (UTC) | Created by | Closed (UTC) | Closed by | Note |',
        '|---|---|---|---|---|---|---|---|---|---|---|',
        '| T1 | Refund the failed-payment fees | Billing desk (team) | 2026-11-02T13:30:00.000Z | yes | done | 2026-11-02T09:31:00.000Z | Chloe Martin | 2026-11-02T10:40:00.000Z | Hugo Silva | 37 refunds |',
        '| T2 | Confirm the refund with the bank | Hugo Silva (person) | 2026-11-04T17:00:00.000Z | yes | open | 2026-11-02T12:15:00.000Z | Chloe Martin |  |  |  |',
      ].join('\n'),
    );
    expect(section(markdown, 'Subscribers')).toBe(
      [
        '| Name | Channel | Address | Audience | Added by | Added at (UTC) |',
        '|---|---|---|---|---|---|',
        '| Dana Scully | email | dana@example.com | internal | Chloe Martin | 2026-11-02T09:32:00.000Z |',
      ].join('\n'),
    );
  });

  test('the resolution with level, root cause, forced reason, and the resolution before the reopen', () => {
    expect(section(markdown, 'Resolution')).toBe(
      [
        '- Resolved by: Chloe Martin',
        '- Resolved at (UTC): 2026-11-02T12:30:00.000Z',
        '- Resolved at level: Team lead',
        '- Root cause: configuration',
        '- Fix: (not given)',
        '- Forced with blocking tasks open: The bank confirms on Monday',
        '',
        '```text',
        'Refunded the remaining fee by hand',
        '```',
        '',
        'Earlier resolutions, each followed by a reopen:',
        '',
        '1. 2026-11-02T11:00:00.000Z — by Chloe Martin: Rolled back the gateway config; root cause: configuration; fix: Gateway config change reverted',
      ].join('\n'),
    );
  });

  test('every feedback with score, comment and round, and every reopen', () => {
    expect(section(markdown, 'Feedback and reopens')).toBe(
      [
        '- Reopened: 1 time',
        '',
        '| Round | Time (UTC) | By | Score | Satisfied | Comment |',
        '|---|---|---|---|---|---|',
        '| 0 | 2026-11-02T12:00:00.000Z | Ada Lovelace | 2/5 | no | Payments work, but my fee was not refunded |',
        '| 1 | 2026-11-02T13:00:00.000Z | Ada Lovelace | 5/5 | yes |  |',
        '',
        '| Reopened (UTC) | Level | By | Reason |',
        '|---|---|---|---|',
        '| 2026-11-02T12:00:00.000Z | Team lead | Ada Lovelace | score 2/5: Payments work, but my fee was not refunded |',
      ].join('\n'),
    );
    expect(section(markdown, 'Cancellation')).toBe('Not cancelled.');
  });

  test('the review: reasons, owner, due, status, what happened, five whys, went well/badly, action items', () => {
    expect(section(markdown, 'Review')).toBe(
      [
        '- Status: complete',
        '- Owner: Erin Walsh (person)',
        '- Why reviewed: priority high; reopened 1 time(s)',
        '- Opened at (UTC): 2026-11-02T13:00:00.000Z',
        '- Due (UTC): 2026-11-09T13:00:00.000Z',
        '- Submitted: 2026-11-03T10:00:00.000Z by Erin Walsh',
        '- Completed at (UTC): 2026-11-05T09:00:00.000Z',
        '- Root cause category: configuration',
        '',
        '### What happened',
        '',
        '```text',
        'A gateway config change declined EU cards for 2 hours;',
        'fees were charged on failed payments.',
        '```',
        '',
        '### Root cause analysis (five whys)',
        '',
        '1. Cards were declined',
        '2. The gateway used a wrong acquirer id',
        '3. The config change was not reviewed',
        '4. Gateway config is outside the change process',
        '',
        '### What went well',
        '',
        '- Escalated to the lead within 20 minutes',
        '',
        '### What went badly',
        '',
        '- The fee refund was missed at first',
        '- Feedback | took an hour',
        '',
        '### Action items',
        '',
        '| Item | Title | Owner | Due (UTC) | State | Created (UTC) | Created by | Closed (UTC) | Closed by | Note |',
        '|---|---|---|---|---|---|---|---|---|---|',
        '| A1 | Put gateway config under change review | Chloe Martin (person) | 2026-12-15T17:00:00.000Z | done | 2026-11-03T10:00:00.000Z | Erin Walsh | 2026-11-04T09:00:00.000Z | Chloe Martin |  |',
        '| A2 | Refund fees automatically | Billing desk (team) | 2026-12-31T17:00:00.000Z | cancelled | 2026-11-03T10:00:00.000Z | Erin Walsh | 2026-11-05T09:00:00.000Z | Hugo Silva | covered by the billing roadmap |',
      ].join('\n'),
    );
    expect(markdown.endsWith('|\n')).toBe(true);
  });

  test('a reopened case still open: the resolution says it was reopened; feedback awaited; a pending review', () => {
    const life = doc.lifecycle!;
    const reopened = caseMarkdown({
      ...doc,
      lifecycle: {
        ...life,
        resolution: { ...life.resolution!, forced: null, fix: 'Reverted\nthe config' },
        reopens: [...life.reopens, { seq: 30, at: day2('14:00:00'), level: LEAD, by: 'Dana Scully', note: 'again' }],
        reopenCount: 2,
        awaitingFeedback: { round: 1, requestedAt: day2('12:30:00'), closesAt: '2026-11-07T12:30:00.000Z' },
        feedback: [],
        review: {
          ...life.review!,
          status: 'pending',
          whatHappened: null,
          rootCause: null,
          rootCauseCategory: null,
          wentWell: [],
          wentBadly: [],
          submittedAt: null,
          submittedBy: null,
          completedAt: null,
          actionItems: [],
        },
      },
    });
    expect(section(reopened, 'Resolution').split('\n\nEarlier')[0]).toBe(
      [
        '- Resolved by: Chloe Martin',
        '- Resolved at (UTC): 2026-11-02T12:30:00.000Z',
        '- Resolved at level: Team lead',
        '- Root cause: configuration',
        '- Reopened afterwards: 2026-11-02T14:00:00.000Z by Dana Scully',
        '',
        '```text',
        'Refunded the remaining fee by hand',
        '```',
        '',
        'Fix:',
        '',
        '```text',
        'Reverted',
        'the config',
        '```',
      ].join('\n'),
    );
    expect(section(reopened, 'Feedback and reopens').split('\n\n| Reopened')[0]).toBe(
      [
        '- Reopened: 2 times',
        "- Waiting for the reporter's feedback on round 1 until (UTC): 2026-11-07T12:30:00.000Z",
        '',
        'No feedback received.',
      ].join('\n'),
    );
    expect(section(reopened, 'Review')).toBe(
      [
        '- Status: pending',
        '- Owner: Erin Walsh (person)',
        '- Why reviewed: priority high; reopened 1 time(s)',
        '- Opened at (UTC): 2026-11-02T13:00:00.000Z',
        '- Due (UTC): 2026-11-09T13:00:00.000Z',
        '- Submitted: not yet',
        '- Completed at (UTC): —',
        '- Root cause category: (not given)',
        '',
        '### What happened',
        '',
        '(not yet submitted)',
        '',
        '### Root cause analysis',
        '',
        '(not yet submitted)',
        '',
        '### What went well',
        '',
        '(none recorded)',
        '',
        '### What went badly',
        '',
        '(none recorded)',
        '',
        '### Action items',
        '',
        '(none)',
      ].join('\n'),
    );
  });

  test('a cancelled case: who, when, why (the duplicate), the note; a free-form root cause', () => {
    const life = doc.lifecycle!;
    const cancelled = caseMarkdown({
      ...doc,
      lifecycle: {
        ...life,
        evidence: [],
        teams: [],
        tasks: [],
        subscribers: [],
        cancellation: {
          by: 'Ana Ruiz',
          at: day2('09:15:00'),
          reason: 'duplicate',
          duplicateOf: 'ESC-2026-000006',
          note: 'Same outage as ESC-2026-000006',
        },
        review: { ...life.review!, rootCause: { method: 'free', analysis: 'An unreviewed config change.' } },
      },
    });
    expect(section(cancelled, 'Cancellation')).toBe(
      [
        '- Cancelled by: Ana Ruiz',
        '- Cancelled at (UTC): 2026-11-02T09:15:00.000Z',
        '- Reason: duplicate of ESC-2026-000006',
        '',
        '```text',
        'Same outage as ESC-2026-000006',
        '```',
      ].join('\n'),
    );
    for (const empty of ['Evidence', 'Teams added', 'Tasks', 'Subscribers'])
      expect(section(cancelled, empty)).toBe('(none)');
    expect(section(cancelled, 'Review')).toContain(
      '### Root cause analysis\n\n```text\nAn unreviewed config change.\n```\n\n### What went well',
    );
  });
});

describe('GET /escalations/:id/export.pdf', () => {
  test('downloads the same record as a PDF, with page numbers', async () => {
    const res = await fetch(`${base}/escalations/${LIFE_ID}/export.pdf`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${LIFE_ID}.pdf"`);
    const pdf = Buffer.from(await res.arrayBuffer());
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = pdfText(pdf);
    const lines = text.split('\n');
    expect(lines[0]).toBe(`Escalation ${LIFE_ID}: Checkout fails for EU customers`);
    for (const heading of ['Evidence', 'Timeline', 'Tasks', 'Resolution', 'Feedback and reopens', 'Review']) {
      expect(lines).toContain(heading);
    }
    expect(lines).toContain('Root cause analysis (five whys)');
    expect(lines).toContain('1. Cards were declined');
    const pages = lines.filter((line) => line.startsWith(`Case ${LIFE_ID} · page `));
    expect(pages.length).toBeGreaterThan(1);
    expect(pages).toEqual(pages.map((_, i) => `Case ${LIFE_ID} · page ${i + 1} of ${pages.length}`));
  });

  test('draws what the standard fonts cannot as close as they can', async () => {
    const pdf = await casePdf({ ...doc, title: 'Łódź → Zürich 日本' }, { compress: false });
    expect(pdfText(pdf).split('\n')[0]).toBe(`Escalation ${LIFE_ID}: ?ódz -> Zürich ??`);
  });

  test('an unknown case is a 404 problem', async () => {
    const res = await fetch(`${base}/escalations/ESC-1999-000001/export.pdf`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
  });
});
