// The activities against a real embedded store and a capturing channel: each one idempotent under retries. The
// look-ups (SLA times on the clock, who is on call) are pure and tested at fixed instants.
import { ApplicationFailure } from '@temporalio/common';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PermanentDeliveryError, TransientDeliveryError } from '../../src/channels/delivery-errors';
import { createActivities, levelTimes, type NotifyInput } from '../../src/activities/index';
import { toCaseRecord } from '../../src/activities/case-record';
import { ChannelRegistry } from '../../src/channels/channel';
import { CapturingChannel } from '../../src/channels/memory-channel';
import type { Directory } from '../../src/oncall/resolve-targets';
import type { CaseInput } from '../../src/shared/escalation';
import { notificationKey, workflowIdFor } from '../../src/shared/ids';
import type { CalendarSpec, LevelTargets, Rotation, TargetRef, WorkingInterval } from '../../src/shared/plan';
import { toCaseSnapshot, type CaseSnapshot } from '../../src/shared/snapshot';
import type { CaseStore } from '../../src/store/case-store';
import { openCaseStore } from '../../src/store/open-store';
import { TemplateLibrary, type TemplateError } from '../../src/templates/library';
import { calendarSlaTimes, contactRecipients } from '../../src/workflows/level-facts';
import {
  Transition,
  applyCommand,
  enterLevel,
  levelAt,
  notifyReporter,
  openCase,
  startReason,
} from '../../src/workflows/transitions';
import { caseIds, notifyInput, openedCase, T0 } from '../support/activity-inputs';
import { HOUR, MINUTE, testPlan } from '../support/plan';
import { noticeFor } from '../templates/models';

let store: CaseStore;
const channel = new CapturingChannel();
let activities: ReturnType<typeof createActivities>;
/** A fresh case id per test, so tests sharing the store never see each other's rows. */
const nextCaseId = caseIds('ACT');

beforeAll(async () => {
  store = await openCaseStore({ inMemory: true });
  activities = createActivities({ store, channels: new ChannelRegistry([channel]) });
});
afterAll(async () => {
  await store?.close();
});
beforeEach(() => {
  channel.clear();
});

describe('notify', () => {
  it('sends a notification once when called twice with the same idempotency key', async () => {
    const caseId = nextCaseId();
    const input = notifyInput(caseId, 1);

    await expect(activities.notify(input)).resolves.toBe('sent');
    await expect(activities.notify(input)).resolves.toBe('already-sent');

    expect(channel.sent).toEqual([input]);
    const stored = await store.notifications(caseId);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      idempotencyKey: `escalation/${caseId}/notification/1`,
      caseId,
      channel: 'log',
      recipient: 'frontline@example.com',
      audience: 'assignee',
      subject: input.subject,
      body: input.body,
      requestedAt: '2026-03-02T09:00:00.000Z',
      status: 'sent',
    });
    expect(stored[0]?.sentAt).toEqual(expect.any(String));
  });

  it('sends distinct keys of the same case separately', async () => {
    const caseId = nextCaseId();

    await activities.notify(notifyInput(caseId, 1));
    await activities.notify(
      notifyInput(caseId, 2, { audience: 'reporter', recipient: { name: 'Ada', address: 'ada@x' } }),
    );

    expect(channel.sent.map((m) => [m.idempotencyKey, m.recipient.address])).toEqual([
      [`escalation/${caseId}/notification/1`, 'frontline@example.com'],
      [`escalation/${caseId}/notification/2`, 'ada@x'],
    ]);
    expect((await store.notifications(caseId)).map((n) => n.status)).toEqual(['sent', 'sent']);
  });

  it('sends on the retry a notification that was claimed but never marked sent', async () => {
    const caseId = nextCaseId();
    const input = notifyInput(caseId, 1);
    // An earlier attempt claimed the key and then died before (or while) sending.
    await expect(
      store.claimNotification({
        idempotencyKey: input.idempotencyKey,
        caseId,
        channel: input.channel,
        recipient: input.recipient.address,
        audience: input.audience,
        subject: input.subject,
        body: input.body,
        requestedAt: input.requestedAt,
      }),
    ).resolves.toBe('new');
    expect((await store.notifications(caseId)).map((n) => n.status)).toEqual(['pending']);

    await expect(activities.notify(input)).resolves.toBe('sent');

    expect(channel.sent).toEqual([input]);
    const stored = await store.notifications(caseId);
    expect(stored.map((n) => [n.idempotencyKey, n.status])).toEqual([[input.idempotencyKey, 'sent']]);
    await expect(activities.notify(input)).resolves.toBe('already-sent');
    expect(channel.sent).toHaveLength(1);
  });

  it('fails without retry on an unknown channel and neither sends nor stores anything', async () => {
    const caseId = nextCaseId();
    const error: unknown = await activities.notify(notifyInput(caseId, 1, { channel: 'pager' })).then(
      () => undefined,
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(ApplicationFailure);
    const failure = error as ApplicationFailure;
    expect(failure.type).toBe('UnknownChannel');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toBe('no notification channel "pager" (configured: log)');
    expect(channel.sent).toEqual([]);
    expect(await store.notifications(caseId)).toEqual([]);
  });
});

describe('notify with a feedback request', () => {
  const feedbackRequest = (caseId: string) =>
    notifyInput(caseId, 1, {
      audience: 'reporter',
      recipient: { name: 'Ada Lovelace', address: 'ada@example.com' },
      subject: `[${caseId}] Resolved: how did we do? {{feedback_url}}`,
      body: 'Rate the resolution: {{feedback_url}}\nOr open {{feedback_url}} later.',
      feedbackRound: 1,
    });

  it('fills every {{feedback_url}} with the signed link before storing and sending', async () => {
    const caseId = nextCaseId();
    const withLinks = createActivities({
      store,
      channels: new ChannelRegistry([channel]),
      links: { feedbackUrl: (id, round) => `https://esc.example.com/feedback/${id}?round=${round}&token=t0k` },
    });
    const link = `https://esc.example.com/feedback/${caseId}?round=1&token=t0k`;

    await expect(withLinks.notify(feedbackRequest(caseId))).resolves.toBe('sent');

    expect(channel.sent).toEqual([
      expect.objectContaining({
        subject: `[${caseId}] Resolved: how did we do? ${link}`,
        body: `Rate the resolution: ${link}\nOr open ${link} later.`,
      }),
    ]);
    expect(await store.notifications(caseId)).toEqual([
      expect.objectContaining({
        subject: `[${caseId}] Resolved: how did we do? ${link}`,
        body: `Rate the resolution: ${link}\nOr open ${link} later.`,
        status: 'sent',
      }),
    ]);
  });

  it('asks for a score by reply when no links are configured', async () => {
    const caseId = nextCaseId();

    await expect(activities.notify(feedbackRequest(caseId))).resolves.toBe('sent');

    const reply = '(reply to this message with a score from 1 to 5)';
    expect(channel.sent.map((m) => m.body)).toEqual([`Rate the resolution: ${reply}\nOr open ${reply} later.`]);
    expect((await store.notifications(caseId)).map((n) => n.body)).toEqual([
      `Rate the resolution: ${reply}\nOr open ${reply} later.`,
    ]);
  });

  it('leaves {{feedback_url}} alone in a message that is not a feedback request', async () => {
    const caseId = nextCaseId();
    const input = notifyInput(caseId, 1, { body: 'Literally {{feedback_url}}' });

    await activities.notify(input);

    expect(channel.sent).toEqual([input]);
  });
});

describe('notify with templates', () => {
  let dir: string;
  let templates: TemplateLibrary;
  const errors: [TemplateError, string | undefined][] = [];
  let withTemplates: ReturnType<typeof createActivities>;

  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'notify-templates-'));
    const write = (relative: string, text: string) => {
      mkdirSync(path.dirname(path.join(dir, relative)), { recursive: true });
      writeFileSync(path.join(dir, relative), text);
    };
    write(
      'assignee/handoff.hbs',
      'Subject: [{{id}}] Yours now: {{title}}\n\nHello {{recipient.name}}: {{why}}\n{{caseUrl}}\n',
    );
    write(
      'reporter/feedback-request.hbs',
      'Subject: Rate case {{id}}\n\nRate us at {{feedbackUrl}} by {{time followUp.closesAt zone}}\n',
    );
    write('stakeholder/status-update.hbs', 'Subject: broken\n\n{{#each}}{{/each}}\n');
    templates = TemplateLibrary.load(dir, { publicUrl: 'https://esc.example.com' });
    withTemplates = createActivities({
      store,
      channels: new ChannelRegistry([channel]),
      links: { feedbackUrl: (id, round) => `https://esc.example.com/feedback/${id}?round=${round}` },
      templates,
      onTemplateError: (error, message) => errors.push([error, message.template]),
    });
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const templated = (caseId: string, template: string, overrides: Partial<NotifyInput> = {}) =>
    notifyInput(caseId, 1, { template, model: noticeFor(template).model, ...overrides });

  it('sends and stores the rendered subject and body instead of the fallback', async () => {
    const caseId = nextCaseId();
    const input = templated(caseId, 'assignee/handoff');

    await expect(withTemplates.notify(input)).resolves.toBe('sent');

    const subject = '[ESC-2026-000042] Yours now: Checkout fails for EU customers';
    const body =
      'Hello Frontline support queue: not acknowledged by Frontline support within 30m (ack target)\n' +
      'https://esc.example.com/escalations/ESC-2026-000042';
    expect(channel.sent).toEqual([{ ...input, subject, body }]);
    expect(await store.notifications(caseId)).toEqual([expect.objectContaining({ subject, body, status: 'sent' })]);
  });

  it('keeps the fallback when the library has no such template', async () => {
    const caseId = nextCaseId();
    const input = templated(caseId, 'reporter/receipt');

    await withTemplates.notify(input);

    expect(channel.sent).toEqual([input]);
    expect((await store.notifications(caseId)).map((n) => [n.subject, n.body])).toEqual([[input.subject, input.body]]);
  });

  it('keeps the fallback, and says so, when the template fails on the model', async () => {
    const caseId = nextCaseId();
    const input = templated(caseId, 'stakeholder/status-update');
    errors.length = 0;

    await withTemplates.notify(input);

    expect(channel.sent.map((m) => m.body)).toEqual([input.body]);
    expect(errors.map(([error, template]) => [error.file, template])).toEqual([
      [path.join(dir, 'stakeholder/status-update.hbs'), 'stakeholder/status-update'],
    ]);
  });

  it('fills the feedback link into a rendered feedback request', async () => {
    const caseId = nextCaseId();
    const input = templated(caseId, 'reporter/feedback-request', { audience: 'reporter', feedbackRound: 0 });

    await withTemplates.notify(input);

    const body = `Rate us at https://esc.example.com/feedback/${caseId}?round=0 by Mon 9 Mar 2026, 12:30 CET`;
    expect(channel.sent.map((m) => [m.subject, m.body])).toEqual([['Rate case ESC-2026-000042', body]]);
    expect((await store.notifications(caseId)).map((n) => n.body)).toEqual([body]);
  });

  it('sends the fallback without a library, whatever template the message names', async () => {
    const caseId = nextCaseId();
    const input = templated(caseId, 'assignee/handoff');

    await activities.notify(input);

    expect(channel.sent).toEqual([input]);
  });
});

describe('notify with a failing channel', () => {
  const failing = (error: Error) => ({ name: 'webhook', send: () => Promise.reject(error) });
  const notifyOn = (error: Error, caseId: string) =>
    createActivities({ store, channels: new ChannelRegistry([failing(error)]) })
      .notify(
        notifyInput(caseId, 1, {
          channel: 'webhook',
          recipient: { name: 'Ops hook', address: 'http://127.0.0.1:9/hook' },
        }),
      )
      .then(
        () => undefined,
        (e: unknown) => e,
      );

  it('fails for good on a permanent delivery error, with the reason the case records', async () => {
    const caseId = nextCaseId();
    const reason = 'HTTP 400 from http://127.0.0.1:9/…: invalid_payload';
    const error = await notifyOn(
      new PermanentDeliveryError({ channel: 'webhook', recipient: 'http://127.0.0.1:9/…', reason }),
      caseId,
    );
    expect(error).toBeInstanceOf(ApplicationFailure);
    expect(error).toMatchObject({
      type: 'PermanentDeliveryError',
      nonRetryable: true,
      message: reason,
      details: [{ channel: 'webhook', recipient: 'http://127.0.0.1:9/…', reason }],
    });
    expect(await store.notifications(caseId)).toEqual([
      expect.objectContaining({ status: 'failed', attempts: 1, failureReason: reason, sentAt: null }),
    ]);
  });

  it("asks Temporal to retry a transient failure after the receiver's Retry-After", async () => {
    const error = await notifyOn(
      new TransientDeliveryError({
        channel: 'webhook',
        recipient: 'http://127.0.0.1:9/…',
        reason: 'HTTP 429',
        retryAfterMs: 30_000,
      }),
      nextCaseId(),
    );
    expect(error).toMatchObject({ type: 'TransientDeliveryError', nonRetryable: false, nextRetryDelay: 30_000 });
  });
});

describe('document', () => {
  const plan = testPlan();

  function caseInput(id: string): CaseInput {
    return {
      id,
      title: 'Checkout fails',
      description: 'Declined with 502',
      category: 'payments',
      priority: 'high',
      reporter: { name: 'Ada Lovelace', email: 'ada@example.com' },
      attemptedSteps: ['Restarted the pod'],
    };
  }

  /** Opens a case the way the workflow does, with the test plan's calendar targets and contacts computed inline. */
  function open(caseId: string) {
    const { transition: t, startIndex } = openCase(caseInput(caseId), plan, T0);
    const level = levelAt(t.path, startIndex);
    const sla = calendarSlaTimes(T0, level.sla[t.state.priority], level.warning, []);
    const recipients = contactRecipients(level);
    if (!sla || !recipients) throw new Error('the test plan has calendar targets and contacts only');
    enterLevel(t, startIndex, startReason(t.state, plan, startIndex), { sla, recipients, nobody: [] });
    notifyReporter(t);
    return t.decision();
  }

  /** Opening, then an acknowledgement: two documentation steps of one case. */
  function twoSteps(caseId: string) {
    const workflowId = workflowIdFor(caseId);
    const opened = open(caseId);
    const acknowledging = new Transition(opened.state, plan, T0 + 5 * MINUTE);
    applyCommand(acknowledging, { kind: 'acknowledge', by: 'Grace' });
    const acked = acknowledging.decision();
    return {
      first: { snapshot: toCaseSnapshot(opened.state, workflowId), events: opened.events },
      second: { snapshot: toCaseSnapshot(acked.state, workflowId), events: acked.events },
    };
  }

  it('writes each event and the case row once when the same step is documented twice', async () => {
    const caseId = nextCaseId();
    const { first } = twoSteps(caseId);

    await activities.document(first);
    await activities.document(first);

    expect((await store.timeline(caseId)).map((e) => [e.seq, e.type, e.at])).toEqual([
      [1, 'created', '2026-03-02T09:00:00.000Z'],
      [2, 'triaged', '2026-03-02T09:00:00.000Z'],
      [3, 'handed_off', '2026-03-02T09:00:00.000Z'],
      [4, 'reporter_notified', '2026-03-02T09:00:00.000Z'],
    ]);
    expect(await store.getCase(caseId)).toEqual({
      id: caseId,
      workflowId: workflowIdFor(caseId),
      title: 'Checkout fails',
      description: 'Declined with 502',
      category: 'payments',
      priority: 'high',
      status: 'open',
      levelIndex: 0,
      levelName: 'Frontline support',
      owner: 'Frontline support',
      unowned: false,
      reporterName: 'Ada Lovelace',
      reporterEmail: 'ada@example.com',
      attemptedSteps: ['Restarted the pod'],
      matrixVersion: 'test-plan-1',
      ackDueAt: '2026-03-02T09:30:00.000Z',
      resolveDueAt: '2026-03-03T09:00:00.000Z',
      nextAction: 'escalate',
      nextAt: '2026-03-02T09:30:00.000Z',
      createdAt: '2026-03-02T09:00:00.000Z',
      updatedAt: '2026-03-02T09:00:00.000Z',
      resolvedAt: null,
      resolution: null,
      revision: 4,
      // Who the worklist finds it under: the snapshot's assignees, then the owner (the level's name).
      assignees: [...new Set([...first.snapshot.assignees, 'Frontline support'])],
      slaDueAt: '2026-03-02T09:30:00.000Z',
      paused: false,
      snapshot: first.snapshot,
    });
    expect((await store.listCases({})).filter((c) => c.id === caseId)).toHaveLength(1);
  });

  it('does not rewrite the case row for a repeated revision, even if its content differs', async () => {
    const caseId = nextCaseId();
    const { first } = twoSteps(caseId);

    await activities.document(first);
    await activities.document({ ...first, snapshot: { ...first.snapshot, title: 'Changed on retry' } });

    expect(await store.getCase(caseId)).toMatchObject({ title: 'Checkout fails', revision: 4 });
  });

  it('keeps the newer snapshot when an older one arrives after it', async () => {
    const caseId = nextCaseId();
    const { first, second } = twoSteps(caseId);

    await activities.document(first);
    await activities.document(second);
    await activities.document(first);

    expect(await store.getCase(caseId)).toMatchObject({
      status: 'acknowledged',
      owner: 'Grace',
      revision: 5,
      updatedAt: '2026-03-02T09:05:00.000Z',
      nextAction: 'escalate',
      nextAt: '2026-03-03T09:00:00.000Z',
    });
    expect((await store.timeline(caseId)).map((e) => [e.seq, e.type, e.by])).toEqual([
      [1, 'created', 'Ada Lovelace'],
      [2, 'triaged', null],
      [3, 'handed_off', null],
      [4, 'reporter_notified', null],
      [5, 'acknowledged', 'Grace'],
    ]);
  });
});

describe('toCaseRecord', () => {
  const at = '2026-03-02T09:00:00.000Z';

  const opened = (caseId: string) => openedCase(caseId).snapshot;

  it('takes the earlier of the ack and resolve targets while open', () => {
    const snapshot = opened('TCR-1');
    const sla = { ackDueAt: '2026-03-02T09:30:00.000Z', resolveDueAt: '2026-03-02T09:20:00.000Z' };

    expect(toCaseRecord({ ...snapshot, sla }, at)).toMatchObject({ slaDueAt: '2026-03-02T09:20:00.000Z' });
    expect(toCaseRecord({ ...snapshot, sla: { ...sla, resolveDueAt: '2026-03-03T09:00:00.000Z' } }, at)).toMatchObject({
      slaDueAt: '2026-03-02T09:30:00.000Z',
    });
  });

  it('takes the resolve target once acknowledged, and none when paused, resolved, closed or cancelled', () => {
    const snapshot = opened('TCR-2');
    const pause = { since: at, reason: 'waiting-for-customer', by: 'Grace' };

    expect(toCaseRecord({ ...snapshot, status: 'acknowledged' }, at)).toMatchObject({
      slaDueAt: '2026-03-03T09:00:00.000Z',
      paused: false,
    });
    expect(toCaseRecord({ ...snapshot, paused: pause }, at)).toMatchObject({ slaDueAt: null, paused: true });
    expect(toCaseRecord({ ...snapshot, status: 'acknowledged', paused: pause }, at)).toMatchObject({
      slaDueAt: null,
      paused: true,
    });
    for (const status of ['resolved', 'closed', 'cancelled'] as const) {
      expect(toCaseRecord({ ...snapshot, status }, at)).toMatchObject({ slaDueAt: null, status });
    }
  });

  it('lists assignees, owner, added teams and a reassigned assignee once each', () => {
    const snapshot = opened('TCR-3');
    const record = toCaseRecord(
      {
        ...snapshot,
        assignees: ['support-leads', 'grace'],
        owner: 'Grace Hopper',
        teams: [
          { id: 'payments', name: 'Payments', addedBy: 'Grace', addedAt: at, recipients: [] },
          { id: 'support-leads', name: 'Support leads', addedBy: 'Grace', addedAt: at, recipients: [] },
        ],
        assignee: { kind: 'person', id: 'grace', name: 'Grace Hopper' },
      },
      at,
    );

    expect(record.assignees).toEqual(['support-leads', 'grace', 'Grace Hopper', 'payments']);
  });

  it('copes with a snapshot from before assignees, teams and tasks existed', () => {
    const { assignees: _a, teams: _t, tasks: _k, ...old } = opened('TCR-4');
    const record = toCaseRecord(old as CaseSnapshot, at);

    expect(record.assignees).toEqual(['Frontline support']);
    expect(record.snapshot).toBe(old);
  });
});

describe('levelTimes', () => {
  const officeHours: WorkingInterval[] = [{ start: '09:00', end: '17:00' }];
  const berlinOffice: CalendarSpec = {
    id: 'berlin-office',
    name: 'Berlin office',
    zone: 'Europe/Berlin',
    week: {
      mon: officeHours,
      tue: officeHours,
      wed: officeHours,
      thu: officeHours,
      fri: officeHours,
      sat: [],
      sun: [],
    },
    holidays: [{ date: '2026-03-10', name: 'Company day' }],
  };
  const calendars = { 'berlin-office': berlinOffice };
  /** Respond within 30 business minutes (12 hours when raised after hours), resolve within 8 business hours. */
  const businessTargets: LevelTargets = {
    ack: { kind: 'business', ms: 30 * MINUTE, calendar: 'berlin-office', afterHoursMs: 12 * HOUR },
    resolve: { kind: 'business', ms: 8 * HOUR, calendar: 'berlin-office' },
  };
  const fridayAt1645 = Date.parse('2026-03-06T15:45:00.000Z'); // Fri 16:45 CET
  const fridayAt1700 = Date.parse('2026-03-06T16:00:00.000Z'); // Fri 17:00 CET, closing time

  it('counts business time across the weekend: 30 business minutes from Fri 16:45 are due Mon 09:15', () => {
    expect(
      levelTimes({ startMs: fridayAt1645, targets: businessTargets, warning: null, calendars, pauses: [] }),
    ).toEqual({
      ackDueAt: '2026-03-09T08:15:00.000Z', // Mon 09:15 CET
      resolveDueAt: '2026-03-09T15:45:00.000Z', // Mon 16:45 CET
      ackBasis: 'business',
      resolveBasis: 'business',
    });
  });

  it('uses the after-hours target for a window that starts at closing time', () => {
    expect(
      levelTimes({ startMs: fridayAt1700, targets: businessTargets, warning: null, calendars, pauses: [] }),
    ).toEqual({
      ackDueAt: '2026-03-07T04:00:00.000Z', // 12 hours later, Sat 05:00 CET
      resolveDueAt: '2026-03-09T16:00:00.000Z', // 8 business hours from Mon 09:00 CET
      ackBasis: 'after-hours',
      resolveBasis: 'business',
    });
  });

  it('places warnings at 75% of each target on the clock the target runs on', () => {
    const warning = { atFraction: 0.75, notifyNextLevel: false };

    expect(levelTimes({ startMs: fridayAt1645, targets: businessTargets, warning, calendars, pauses: [] })).toEqual({
      ackDueAt: '2026-03-09T08:15:00.000Z',
      resolveDueAt: '2026-03-09T15:45:00.000Z',
      ackWarnAt: '2026-03-09T08:07:30.000Z', // 22.5 business minutes: Fri 16:45-17:00, Mon 09:00-09:07:30 CET
      resolveWarnAt: '2026-03-09T13:45:00.000Z', // 6 business hours: Mon 14:45 CET
      ackBasis: 'business',
      resolveBasis: 'business',
    });
    expect(
      levelTimes({ startMs: fridayAt1700, targets: businessTargets, warning, calendars, pauses: [] }),
    ).toMatchObject({
      ackWarnAt: '2026-03-07T01:00:00.000Z', // 9 of the 12 after-hours hours
      ackDueAt: '2026-03-07T04:00:00.000Z',
    });
  });

  it('skips pauses and holidays in business time', () => {
    const mondayMorningPause = {
      start: Date.parse('2026-03-09T08:00:00.000Z'), // Mon 09:00-09:10 CET
      end: Date.parse('2026-03-09T08:10:00.000Z'),
    };
    const mondayAt1600 = Date.parse('2026-03-09T15:00:00.000Z'); // Tue 2026-03-10 is a holiday

    expect(
      levelTimes({
        startMs: fridayAt1645,
        targets: businessTargets,
        warning: null,
        calendars,
        pauses: [mondayMorningPause],
      }),
    ).toMatchObject({ ackDueAt: '2026-03-09T08:25:00.000Z' });
    expect(
      levelTimes({ startMs: mondayAt1600, targets: businessTargets, warning: null, calendars, pauses: [] }),
    ).toMatchObject({
      ackDueAt: '2026-03-09T15:30:00.000Z', // Mon 16:30 CET
      resolveDueAt: '2026-03-11T15:00:00.000Z', // 1h Mon, none Tue, 7h Wed: Wed 16:00 CET
    });
  });

  it('gives calendar targets the same instants as the workflow computes inline', () => {
    const targets = testPlan().paths.general?.levels[0]?.sla.high as LevelTargets;
    const warning = { atFraction: 0.75, notifyNextLevel: true };

    expect(levelTimes({ startMs: T0, targets, warning, calendars: {}, pauses: [] })).toEqual(
      calendarSlaTimes(T0, targets, warning, []),
    );
  });

  it('is what the computeLevelTimes activity answers', async () => {
    const input = { startMs: fridayAt1645, targets: businessTargets, warning: null, calendars, pauses: [] };

    await expect(activities.computeLevelTimes(input)).resolves.toEqual(levelTimes(input));
  });
});

describe('resolveRecipients', () => {
  const supportRotation: Rotation = {
    id: 'support-oncall',
    name: 'Support on call',
    zone: 'Europe/Berlin',
    handoff: { every: 'daily', time: '09:00' },
    start: '2026-03-02',
    layers: [{ participants: ['ana', 'ben'] }],
    overrides: [],
  };
  const directory: Directory = {
    people: {
      ana: {
        id: 'ana',
        name: 'Ana Ruiz',
        contacts: [
          { channel: 'log', address: 'ana@example.com' },
          { channel: 'sms', address: '+49301111' },
        ],
      },
      ben: { id: 'ben', name: 'Ben Okafor', contacts: [{ channel: 'log', address: 'ben@example.com' }] },
    },
    teams: {},
    rotations: {
      'support-oncall': supportRotation,
      'empty-rotation': { ...supportRotation, id: 'empty-rotation', layers: [] },
    },
  };
  const onCall: TargetRef = { kind: 'oncall', rotation: 'support-oncall', channels: ['log'] };

  it('reaches whoever is on call at the given instant, on the channels the target names', async () => {
    const mondayAt1000 = Date.parse('2026-03-02T09:00:00.000Z'); // 10:00 CET: Ana's first shift

    await expect(activities.resolveRecipients({ targets: [onCall], directory, atMs: mondayAt1000 })).resolves.toEqual({
      recipients: [{ name: 'Ana Ruiz', channel: 'log', address: 'ana@example.com' }],
      nobody: [],
    });
  });

  it('hands over at the rotation\u2019s local handoff time', async () => {
    const tuesdayAt0859 = Date.parse('2026-03-03T07:59:00.000Z');
    const tuesdayAt0900 = Date.parse('2026-03-03T08:00:00.000Z');

    await expect(activities.resolveRecipients({ targets: [onCall], directory, atMs: tuesdayAt0859 })).resolves.toEqual({
      recipients: [{ name: 'Ana Ruiz', channel: 'log', address: 'ana@example.com' }],
      nobody: [],
    });
    await expect(activities.resolveRecipients({ targets: [onCall], directory, atMs: tuesdayAt0900 })).resolves.toEqual({
      recipients: [{ name: 'Ben Okafor', channel: 'log', address: 'ben@example.com' }],
      nobody: [],
    });
  });

  it('says why nobody is reached when the rotation has nobody on call, and still reaches the other targets', async () => {
    const atMs = Date.parse('2026-03-04T12:00:00.000Z');
    const desk = { kind: 'contact', name: 'Support desk', channel: 'log', address: 'desk@example.com' } as const;

    await expect(
      activities.resolveRecipients({
        targets: [{ kind: 'oncall', rotation: 'empty-rotation' }, desk],
        directory,
        atMs,
      }),
    ).resolves.toEqual({
      recipients: [{ name: 'Support desk', channel: 'log', address: 'desk@example.com' }],
      nobody: ['nobody is on call in empty-rotation at 2026-03-04T12:00:00.000Z (no layers)'],
    });
  });

  it('reaches nobody before the rotation\u2019s first shift', async () => {
    const sundayNight = Date.parse('2026-03-01T22:00:00.000Z');

    await expect(activities.resolveRecipients({ targets: [onCall], directory, atMs: sundayNight })).resolves.toEqual({
      recipients: [],
      nobody: [
        'nobody is on call in support-oncall at 2026-03-01T22:00:00.000Z (before its start: the first shift begins 2026-03-02 09:00 Europe/Berlin)',
      ],
    });
  });
});

describe('record (one step: its record and its notifications)', () => {
  const webhookInput = (caseId: string, seq: number) =>
    notifyInput(caseId, seq, {
      channel: 'webhook',
      recipient: { name: 'Ops hook', address: 'http://127.0.0.1:9/hook' },
    });

  it('writes the step and sends every notification once, however often it is retried', async () => {
    const caseId = nextCaseId();
    const step = { ...openedCase(caseId), notifications: [notifyInput(caseId, 1), notifyInput(caseId, 2)] };

    await expect(activities.record(step)).resolves.toEqual({ failed: [] });
    await expect(activities.record(step)).resolves.toEqual({ failed: [] });

    expect(channel.sent.map((m) => m.idempotencyKey)).toEqual([
      notificationKey(workflowIdFor(caseId), 1),
      notificationKey(workflowIdFor(caseId), 2),
    ]);
    expect((await store.timeline(caseId)).map((e) => e.type)).toEqual(step.events.map((e) => e.type));
    expect((await store.notifications(caseId)).map((n) => [n.status, n.attempts])).toEqual([
      ['sent', 1],
      ['sent', 1],
    ]);
  });

  it('stores a step the store refuses with the refused characters replaced, and says why', async () => {
    const caseId = nextCaseId();
    const outcome = await activities.record({ ...openedCase(caseId, 'Checkout\u0000fails'), notifications: [] });

    expect(outcome).toEqual({
      documentationRefused:
        'invalid byte sequence for encoding "UTF8": 0x00; stored with the refused characters replaced',
      failed: [],
    });
    expect((await store.getCase(caseId))?.title).toBe('Checkout\uFFFDfails');
  });

  it('returns a permanent delivery failure (stored as failed) and still sends the other notifications', async () => {
    const caseId = nextCaseId();
    const reason = 'HTTP 410 from http://127.0.0.1:9/…: gone';
    const gone = {
      name: 'webhook',
      send: () => Promise.reject(new PermanentDeliveryError({ channel: 'webhook', recipient: 'hook', reason })),
    };
    const withHook = createActivities({ store, channels: new ChannelRegistry([channel, gone]) });
    const step = { ...openedCase(caseId), notifications: [webhookInput(caseId, 1), notifyInput(caseId, 2)] };

    await expect(withHook.record(step)).resolves.toEqual({
      failed: [
        { idempotencyKey: notificationKey(workflowIdFor(caseId), 1), reason: `PermanentDeliveryError: ${reason}` },
      ],
    });
    expect(channel.sent.map((m) => m.idempotencyKey)).toEqual([notificationKey(workflowIdFor(caseId), 2)]);
    expect((await store.notifications(caseId)).map((n) => [n.channel, n.status, n.failureReason])).toEqual([
      ['webhook', 'failed', reason],
      ['log', 'sent', null],
    ]);
  });

  it('fails the attempt for a transient failure, retried after the longest Retry-After, without resending what went out', async () => {
    const caseId = nextCaseId();
    let answers = 0;
    const flaky = {
      name: 'webhook',
      send: () => {
        answers += 1;
        return answers === 1
          ? Promise.reject(
              new TransientDeliveryError({
                channel: 'webhook',
                recipient: 'hook',
                reason: 'HTTP 503',
                retryAfterMs: 2_000,
              }),
            )
          : Promise.resolve();
      },
    };
    const withHook = createActivities({ store, channels: new ChannelRegistry([channel, flaky]) });
    const step = { ...openedCase(caseId), notifications: [webhookInput(caseId, 1), notifyInput(caseId, 2)] };

    const error: unknown = await withHook.record(step).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ type: 'NotificationRetry', nonRetryable: false, nextRetryDelay: 2_000 });
    await expect(withHook.record(step)).resolves.toEqual({ failed: [] });

    expect(channel.sent.map((m) => m.idempotencyKey)).toEqual([notificationKey(workflowIdFor(caseId), 2)]);
    expect((await store.notifications(caseId)).map((n) => [n.channel, n.status, n.attempts])).toEqual([
      ['webhook', 'sent', 2],
      ['log', 'sent', 1],
    ]);
  });
});

describe('a retry of a notification whose attempt died after sending it', () => {
  it('marks it sent without sending it again when the channel can tell it was delivered', async () => {
    const caseId = nextCaseId();
    const input = notifyInput(caseId, 1);
    // The attempt that died: claimed (pending) and written by the channel, never marked sent.
    await store.claimNotification({
      idempotencyKey: input.idempotencyKey,
      caseId,
      channel: 'log',
      recipient: input.recipient.address,
      audience: input.audience,
      subject: input.subject,
      body: input.body,
      requestedAt: input.requestedAt,
    });
    const written = new Set([input.idempotencyKey]);
    const sent: string[] = [];
    const remembering = {
      name: 'log',
      send: (message: NotifyInput) => {
        sent.push(message.idempotencyKey);
        return Promise.resolve();
      },
      wasDelivered: (message: NotifyInput) => Promise.resolve(written.has(message.idempotencyKey)),
    };
    const retried = createActivities({ store, channels: new ChannelRegistry([remembering]) });

    await expect(
      retried.record({ ...openedCase(caseId), notifications: [input, notifyInput(caseId, 2)] }),
    ).resolves.toEqual({
      failed: [],
    });
    expect(sent).toEqual([notificationKey(workflowIdFor(caseId), 2)]);
    expect((await store.notifications(caseId)).map((n) => [n.status, n.attempts])).toEqual([
      ['sent', 2],
      ['sent', 1],
    ]);
  });
});
