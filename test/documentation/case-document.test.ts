// The case documentation and its Markdown export, from a case written through the real store (embedded, in memory).
import { caseDocument, type CaseDocument } from '../../src/documentation/case-record';
import { caseMarkdown, cell } from '../../src/documentation/markdown';
import type { CaseRecord, CaseStore, TimelineRecord } from '../../src/store/case-store';
import { openCaseStore } from '../../src/store/open-store';
import {
  CASE_ID,
  FINAL_RECORD,
  HANDOFF_LEAD_BODY,
  HANDOFF_SUPPORT_BODY,
  LEAD,
  SUPPORT,
  TIMELINE,
  writeCase,
} from './fixture';
import { section } from '../support/documentation';

const key = (n: number) => `escalation/${CASE_ID}/notification/${n}`;
const RESOLVED_SUBJECT = `[${CASE_ID}][high] Resolved: Checkout returns 500`;

let store: CaseStore;
let doc: CaseDocument;
let markdown: string;

beforeAll(async () => {
  store = await openCaseStore({ inMemory: true });
  await writeCase(store);
  const record = await store.getCase(CASE_ID);
  doc = caseDocument(record!, await store.timeline(CASE_ID), await store.notifications(CASE_ID));
  markdown = caseMarkdown(doc);
});

afterAll(async () => {
  await store?.close();
});

describe('caseDocument', () => {
  test('documents the whole case as stored', async () => {
    expect(await store.getCase(CASE_ID)).toEqual(FINAL_RECORD);
    const expected: CaseDocument = {
      id: CASE_ID,
      workflowId: `escalation/${CASE_ID}`,
      title: 'Checkout returns 500',
      description: 'Every card payment fails since 08:55.',
      category: 'payments',
      priority: 'high',
      status: 'resolved',
      matrixVersion: 'sha256:3f2a9c',
      reporter: { name: 'Ada Lovelace', email: 'ada@example.com' },
      raisedAt: '2025-03-03T09:00:00.000Z',
      attemptedSteps: ['restarted the browser', 'tried another card'],
      triage: 'rule payments-high: high (given high), path Payments, starts at Support desk',
      currentLevel: LEAD,
      owner: 'Linus Torvalds',
      unowned: false,
      timeline: TIMELINE.map((e) => ({
        seq: e.seq,
        at: e.at,
        type: e.type,
        level: e.levelIndex === null ? null : { index: e.levelIndex, name: e.levelName! },
        by: e.by,
        note: e.note,
      })),
      escalations: [
        {
          seq: 6,
          at: '2025-03-03T09:15:00.000Z',
          from: SUPPORT,
          to: LEAD,
          kind: 'automatic',
          by: null,
          missedTarget: 'ack',
          reason: 'not acknowledged by Support desk within 15m (ack target)',
          note: 'not acknowledged by Support desk within 15m (ack target)',
        },
      ],
      acknowledgements: [
        {
          seq: 8,
          at: '2025-03-03T09:22:30.000Z',
          level: LEAD,
          by: 'Linus Torvalds',
          note: 'looking at the gateway logs',
        },
      ],
      handoffs: [
        {
          seq: 3,
          at: '2025-03-03T09:00:00.000Z',
          level: SUPPORT,
          why: 'new case',
          to: { name: 'Grace Hopper', address: 'grace@example.com', channel: 'email' },
          subject: `[${CASE_ID}][high] Handoff to Support desk: Checkout returns 500`,
          body: HANDOFF_SUPPORT_BODY,
          status: 'sent',
          sentAt: '2025-03-03T09:00:01.000Z',
          notificationKey: key(1),
        },
        {
          seq: 3,
          at: '2025-03-03T09:00:00.000Z',
          level: SUPPORT,
          why: 'new case',
          to: { name: 'Alan Turing', address: 'U024BE7LH', channel: 'slack' },
          subject: `[${CASE_ID}][high] Handoff to Support desk: Checkout returns 500`,
          body: HANDOFF_SUPPORT_BODY,
          status: 'failed',
          sentAt: null,
          notificationKey: key(2),
        },
        {
          seq: 7,
          at: '2025-03-03T09:15:00.250Z',
          level: LEAD,
          why: 'not acknowledged by Support desk within 15m (ack target)',
          to: { name: 'Linus Torvalds', address: 'linus@example.com', channel: 'email' },
          subject: `[${CASE_ID}][high] Handoff to Team lead: Checkout returns 500`,
          body: HANDOFF_LEAD_BODY,
          status: 'sent',
          sentAt: '2025-03-03T09:15:01.000Z',
          notificationKey: key(4),
        },
      ],
      notifications: [
        {
          key: key(1),
          requestedAt: '2025-03-03T09:00:00.000Z',
          audience: 'assignee',
          to: { name: 'Grace Hopper', address: 'grace@example.com', channel: 'email' },
          subject: `[${CASE_ID}][high] Handoff to Support desk: Checkout returns 500`,
          status: 'sent',
          sentAt: '2025-03-03T09:00:01.000Z',
          failure: null,
        },
        {
          key: key(2),
          requestedAt: '2025-03-03T09:00:00.000Z',
          audience: 'assignee',
          to: { name: 'Alan Turing', address: 'U024BE7LH', channel: 'slack' },
          subject: `[${CASE_ID}][high] Handoff to Support desk: Checkout returns 500`,
          status: 'failed',
          sentAt: null,
          failure: { at: '2025-03-03T09:00:03.000Z', reason: 'channel_not_found' },
        },
        {
          key: key(3),
          requestedAt: '2025-03-03T09:00:00.000Z',
          audience: 'reporter',
          to: { name: 'Ada Lovelace', address: 'ada@example.com', channel: 'email' },
          subject: `[${CASE_ID}][high] We have your case: Checkout returns 500`,
          status: 'sent',
          sentAt: '2025-03-03T09:00:01.500Z',
          failure: null,
        },
        {
          key: key(4),
          requestedAt: '2025-03-03T09:15:00.250Z',
          audience: 'assignee',
          to: { name: 'Linus Torvalds', address: 'linus@example.com', channel: 'email' },
          subject: `[${CASE_ID}][high] Handoff to Team lead: Checkout returns 500`,
          status: 'sent',
          sentAt: '2025-03-03T09:15:01.000Z',
          failure: null,
        },
        {
          key: key(5),
          requestedAt: '2025-03-03T10:30:00.000Z',
          audience: 'stakeholder',
          to: { name: 'Grace Hopper', address: 'grace@example.com', channel: 'email' },
          subject: RESOLVED_SUBJECT,
          status: 'sent',
          sentAt: '2025-03-03T10:30:01.000Z',
          failure: null,
        },
        {
          key: key(6),
          requestedAt: '2025-03-03T10:30:00.000Z',
          audience: 'stakeholder',
          to: { name: 'Alan Turing', address: 'U024BE7LH', channel: 'slack' },
          subject: RESOLVED_SUBJECT,
          status: 'pending',
          sentAt: null,
          failure: null,
        },
        {
          key: key(7),
          requestedAt: '2025-03-03T10:30:00.000Z',
          audience: 'stakeholder',
          to: { name: 'Linus Torvalds', address: 'linus@example.com', channel: 'email' },
          subject: RESOLVED_SUBJECT,
          status: 'sent',
          sentAt: '2025-03-03T10:30:01.200Z',
          failure: null,
        },
        {
          key: key(8),
          requestedAt: '2025-03-03T10:30:00.000Z',
          audience: 'reporter',
          to: { name: 'Ada Lovelace', address: 'ada@example.com', channel: 'email' },
          subject: RESOLVED_SUBJECT,
          status: 'sent',
          sentAt: '2025-03-03T10:30:01.400Z',
          failure: null,
        },
      ],
      deliveryFailures: [
        {
          seq: 5,
          at: '2025-03-03T09:00:03.000Z',
          level: SUPPORT,
          to: { name: 'Alan Turing', address: 'U024BE7LH', channel: 'slack' },
          reason: 'channel_not_found',
          note: 'Alan Turing <U024BE7LH> via slack: channel_not_found',
          notificationKey: key(2),
        },
      ],
      comments: [
        {
          seq: 9,
          at: '2025-03-03T09:40:00.000Z',
          level: LEAD,
          by: 'Linus Torvalds',
          note: 'Gateway answers 502 | since the 08:55 deploy\nrolling back',
        },
      ],
      pauses: [
        {
          level: LEAD,
          from: '2025-03-03T09:45:00.000Z',
          by: 'Linus Torvalds',
          reason: 'waiting-on-customer',
          to: '2025-03-03T10:15:00.000Z',
          endedBy: 'Linus Torvalds',
          ended: 'resumed',
          note: 'paused 30m (waiting-on-customer); resolve due 2025-03-03T13:15:00.250Z -> 2025-03-03T13:45:00.250Z; customer confirmed',
          durationMs: 1_800_000,
        },
      ],
      resolution: {
        by: 'Linus Torvalds',
        at: '2025-03-03T10:30:00.000Z',
        summary: 'Rolled back the 08:55 gateway deploy; card payments succeed again.',
      },
      durations: {
        toFirstAcknowledgementMs: 1_350_000,
        toResolutionMs: 5_400_000,
        pausedMs: 1_800_000,
        levels: [
          {
            level: SUPPORT,
            enteredAt: '2025-03-03T09:00:00.000Z',
            leftAt: '2025-03-03T09:15:00.000Z',
            durationMs: 900_000,
            pausedMs: 0,
          },
          {
            level: LEAD,
            enteredAt: '2025-03-03T09:15:00.250Z',
            leftAt: '2025-03-03T10:30:00.000Z',
            durationMs: 4_499_750,
            pausedMs: 1_800_000,
          },
        ],
      },
      // Stored without a snapshot of the case: nothing beyond the timeline and notifications to document.
      lifecycle: null,
    };
    expect(doc).toEqual(expected);
  });

  test('a manual escalation names who and why; an open case has open durations', () => {
    const record: CaseRecord = {
      ...FINAL_RECORD,
      id: 'case-7',
      status: 'open',
      levelIndex: 1,
      levelName: 'Team lead',
      owner: 'Team lead',
      resolvedAt: null,
      resolution: null,
    };
    const at = (minute: number) => `2025-03-03T09:${String(minute).padStart(2, '0')}:00.000Z`;
    const timeline: TimelineRecord[] = [
      { caseId: 'case-7', seq: 1, at: at(0), type: 'created', levelIndex: null, levelName: null, by: 'Ada', note: 'x' },
      {
        caseId: 'case-7',
        seq: 2,
        at: at(0),
        type: 'handed_off',
        levelIndex: 0,
        levelName: 'Support desk',
        by: null,
        note: 'Grace Hopper: new case',
      },
      {
        caseId: 'case-7',
        seq: 3,
        at: at(5),
        type: 'paused',
        levelIndex: 0,
        levelName: 'Support desk',
        by: 'Grace Hopper',
        note: 'waiting-on-customer: SLA clocks stopped',
      },
      {
        caseId: 'case-7',
        seq: 4,
        at: at(7),
        type: 'escalated',
        levelIndex: 1,
        levelName: 'Team lead',
        by: 'Grace Hopper',
        note: 'escalated by Grace Hopper from Support desk: customer threatens to cancel',
      },
      {
        caseId: 'case-7',
        seq: 5,
        at: at(7),
        type: 'handed_off',
        levelIndex: 1,
        levelName: 'Team lead',
        by: null,
        note: 'Linus Torvalds: escalated by Grace Hopper from Support desk: customer threatens to cancel (pause "waiting-on-customer" ends)',
      },
    ];
    const manual = caseDocument(record, timeline, []);
    expect(manual.escalations).toEqual([
      {
        seq: 4,
        at: at(7),
        from: SUPPORT,
        to: LEAD,
        kind: 'manual',
        by: 'Grace Hopper',
        missedTarget: null,
        reason: 'customer threatens to cancel',
        note: 'escalated by Grace Hopper from Support desk: customer threatens to cancel',
      },
    ]);
    expect(manual.pauses).toEqual([
      {
        level: SUPPORT,
        from: at(5),
        by: 'Grace Hopper',
        reason: 'waiting-on-customer',
        to: at(7),
        endedBy: null,
        ended: 'handoff',
        note: 'Linus Torvalds: escalated by Grace Hopper from Support desk: customer threatens to cancel (pause "waiting-on-customer" ends)',
        durationMs: 120_000,
      },
    ]);
    expect(manual.resolution).toBeNull();
    expect(manual.durations).toEqual({
      toFirstAcknowledgementMs: null,
      toResolutionMs: null,
      pausedMs: 120_000,
      levels: [
        { level: SUPPORT, enteredAt: at(0), leftAt: at(7), durationMs: 420_000, pausedMs: 120_000 },
        { level: LEAD, enteredAt: at(7), leftAt: null, durationMs: null, pausedMs: 0 },
      ],
    });
    expect(manual.handoffs).toEqual([]);
    const md = caseMarkdown(manual);
    expect(section(md, 'Escalations')).toBe(
      '1. 2025-03-03T09:07:00.000Z — Support desk -> Team lead (manual, by Grace Hopper): customer threatens to cancel',
    );
    expect(section(md, 'Resolution')).toBe('Not resolved.');
  });
});

describe('caseMarkdown', () => {
  test('starts with the case number, title and a facts table', () => {
    expect(markdown.split('\n## ')[0]).toBe(
      [
        `# Escalation ${CASE_ID}: Checkout returns 500`,
        '',
        '| Field | Value |',
        '|---|---|',
        `| Case | ${CASE_ID} |`,
        '| Title | Checkout returns 500 |',
        '| Status | resolved |',
        '| Priority | high |',
        '| Category | payments |',
        '| Reported by | Ada Lovelace <ada@example.com> |',
        '| Raised at (UTC) | 2025-03-03T09:00:00.000Z |',
        '| Triage | rule payments-high: high (given high), path Payments, starts at Support desk |',
        '| Current level | Team lead (level 1) |',
        '| Owner | Linus Torvalds |',
        '| Matrix version | sha256:3f2a9c |',
        `| Workflow id | escalation/${CASE_ID} |`,
        '',
      ].join('\n'),
    );
    expect(section(markdown, 'Steps attempted')).toBe('- restarted the browser\n- tried another card');
  });

  test('the timeline table has one escaped row per stored event', () => {
    expect(section(markdown, 'Timeline')).toBe(
      [
        '| Time (UTC) | Event | Level | By | Note |',
        '|---|---|---|---|---|',
        '| 2025-03-03T09:00:00.000Z | created |  | Ada Lovelace | Checkout returns 500 |',
        '| 2025-03-03T09:00:00.000Z | triaged |  |  | rule payments-high: high (given high), path Payments, starts at Support desk |',
        '| 2025-03-03T09:00:00.000Z | handed_off | Support desk |  | Grace Hopper, Alan Turing: new case |',
        `| 2025-03-03T09:00:00.000Z | reporter_notified |  |  | case number ${CASE_ID}; first response by 2025-03-03T09:15:00.000Z |`,
        '| 2025-03-03T09:00:03.000Z | notification_failed | Support desk |  | Alan Turing <U024BE7LH> via slack: channel_not_found |',
        '| 2025-03-03T09:15:00.000Z | escalated | Team lead |  | not acknowledged by Support desk within 15m (ack target) |',
        '| 2025-03-03T09:15:00.250Z | handed_off | Team lead |  | Linus Torvalds: not acknowledged by Support desk within 15m (ack target) |',
        '| 2025-03-03T09:22:30.000Z | acknowledged | Team lead | Linus Torvalds | looking at the gateway logs |',
        '| 2025-03-03T09:40:00.000Z | comment | Team lead | Linus Torvalds | Gateway answers 502 \\| since the 08:55 deploy<br>rolling back |',
        '| 2025-03-03T09:45:00.000Z | paused | Team lead | Linus Torvalds | waiting-on-customer: SLA clocks stopped |',
        '| 2025-03-03T10:15:00.000Z | resumed | Team lead | Linus Torvalds | paused 30m (waiting-on-customer); resolve due 2025-03-03T13:15:00.250Z -> 2025-03-03T13:45:00.250Z; customer confirmed |',
        '| 2025-03-03T10:30:00.000Z | resolved | Team lead | Linus Torvalds | Rolled back the 08:55 gateway deploy; card payments succeed again. |',
      ].join('\n'),
    );
  });

  test('the escalations section says automatic and which target was missed', () => {
    expect(section(markdown, 'Escalations')).toBe(
      '1. 2025-03-03T09:15:00.000Z — Support desk -> Team lead (automatic, ack target missed): ' +
        'not acknowledged by Support desk within 15m (ack target)',
    );
  });

  test('handoffs appear exactly as sent, in fenced blocks, with delivery status', () => {
    const handoffs = section(markdown, 'Handoffs as sent');
    expect(handoffs.split('\n\n### ')[0]).toBe(
      [
        '### 1. Support desk — Grace Hopper <grace@example.com> via email',
        '',
        '- Handed off at (UTC): 2025-03-03T09:00:00.000Z',
        '- Delivery: sent at 2025-03-03T09:00:01.000Z',
        `- Subject: [${CASE_ID}][high] Handoff to Support desk: Checkout returns 500`,
        '',
        '```text',
        HANDOFF_SUPPORT_BODY,
        '```',
      ].join('\n'),
    );
    expect(handoffs).toContain(
      '### 2. Support desk — Alan Turing <U024BE7LH> via slack\n\n- Handed off at (UTC): 2025-03-03T09:00:00.000Z\n- Delivery: failed\n',
    );
    expect(handoffs).toContain(`### 3. Team lead — Linus Torvalds <linus@example.com> via email`);
    expect(handoffs).toContain(['```text', HANDOFF_LEAD_BODY, '```'].join('\n'));
  });

  test('the notifications table shows each delivery status', () => {
    expect(section(markdown, 'Notifications')).toBe(
      [
        '| Requested (UTC) | Audience | Recipient | Channel | Subject | Status | Sent (UTC) | Failure |',
        '|---|---|---|---|---|---|---|---|',
        `| 2025-03-03T09:00:00.000Z | assignee | Grace Hopper <grace@example.com> | email | [${CASE_ID}][high] Handoff to Support desk: Checkout returns 500 | sent | 2025-03-03T09:00:01.000Z |  |`,
        `| 2025-03-03T09:00:00.000Z | assignee | Alan Turing <U024BE7LH> | slack | [${CASE_ID}][high] Handoff to Support desk: Checkout returns 500 | failed |  | 2025-03-03T09:00:03.000Z: channel_not_found |`,
        `| 2025-03-03T09:00:00.000Z | reporter | Ada Lovelace <ada@example.com> | email | [${CASE_ID}][high] We have your case: Checkout returns 500 | sent | 2025-03-03T09:00:01.500Z |  |`,
        `| 2025-03-03T09:15:00.250Z | assignee | Linus Torvalds <linus@example.com> | email | [${CASE_ID}][high] Handoff to Team lead: Checkout returns 500 | sent | 2025-03-03T09:15:01.000Z |  |`,
        `| 2025-03-03T10:30:00.000Z | stakeholder | Grace Hopper <grace@example.com> | email | ${RESOLVED_SUBJECT} | sent | 2025-03-03T10:30:01.000Z |  |`,
        `| 2025-03-03T10:30:00.000Z | stakeholder | Alan Turing <U024BE7LH> | slack | ${RESOLVED_SUBJECT} | pending |  |  |`,
        `| 2025-03-03T10:30:00.000Z | stakeholder | Linus Torvalds <linus@example.com> | email | ${RESOLVED_SUBJECT} | sent | 2025-03-03T10:30:01.200Z |  |`,
        `| 2025-03-03T10:30:00.000Z | reporter | Ada Lovelace <ada@example.com> | email | ${RESOLVED_SUBJECT} | sent | 2025-03-03T10:30:01.400Z |  |`,
      ].join('\n'),
    );
  });

  test('resolution, pauses and durations', () => {
    expect(section(markdown, 'Resolution')).toBe(
      [
        '- Resolved by: Linus Torvalds',
        '- Resolved at (UTC): 2025-03-03T10:30:00.000Z',
        '',
        '```text',
        'Rolled back the 08:55 gateway deploy; card payments succeed again.',
        '```',
      ].join('\n'),
    );
    expect(section(markdown, 'Pauses')).toBe(
      [
        '| From (UTC) | To (UTC) | Level | By | Reason | Ended | Duration |',
        '|---|---|---|---|---|---|---|',
        '| 2025-03-03T09:45:00.000Z | 2025-03-03T10:15:00.000Z | Team lead | Linus Torvalds | waiting-on-customer | resumed by Linus Torvalds | 30m (1800000 ms) |',
      ].join('\n'),
    );
    expect(section(markdown, 'Durations')).toBe(
      [
        '| Measure | Duration |',
        '|---|---|',
        '| Time to first acknowledgement | 22m30s (1350000 ms) |',
        '| Time to resolution | 1h30m (5400000 ms) |',
        '| Time paused | 30m (1800000 ms) |',
        '',
        '| Level | Entered (UTC) | Left (UTC) | Time at level | Of which paused |',
        '|---|---|---|---|---|',
        '| Support desk | 2025-03-03T09:00:00.000Z | 2025-03-03T09:15:00.000Z | 15m (900000 ms) | 0m (0 ms) |',
        '| Team lead | 2025-03-03T09:15:00.250Z | 2025-03-03T10:30:00.000Z | 1h14m59s (4499750 ms) | 30m (1800000 ms) |',
      ].join('\n'),
    );
    expect(markdown.endsWith('```\n')).toBe(false);
    expect(markdown.endsWith('|\n')).toBe(true);
  });

  test('escapes table cells and fences bodies that contain backticks', () => {
    expect(cell('a | b\\c\r\nd\ne')).toBe('a \\| b\\\\c<br>d<br>e');
    expect(cell(null)).toBe('');
    const fencedDoc = caseMarkdown({ ...doc, description: 'run ```npm ci``` first' });
    expect(section(fencedDoc, 'Description')).toBe('````text\nrun ```npm ci``` first\n````');
    const oneLine = caseMarkdown({ ...doc, title: 'two\nlines' });
    expect(oneLine.split('\n')[0]).toBe(`# Escalation ${CASE_ID}: two lines`);
  });
});
