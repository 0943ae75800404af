// The simulator runs the real workflow in virtual time and reports what the matrix would do: the same SLA
// instants the workflow tests pin down, in the scenario's local time.
import { DateTime } from 'luxon';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadMatrix } from '../../src/matrix/load';
import { formatReport } from '../../src/simulator/report';
import { parseEventLine, parseScenario, ScenarioError } from '../../src/simulator/scenario';
import { simulate } from '../../src/simulator/simulate';
import { holdSimulator } from '../../src/simulator/virtual-time';
import { policyPlan, ZONE } from '../support/policy-plan';

const SCENARIO = `
name: Friday evening
zone: ${ZONE}
start: next fri 16:45
case:
  title: Invoices show the wrong VAT rate
  category: technical
  priority: high
  reporter: { name: Ada Lovelace, email: ada@example.com }
events:
  - +2d16h40m acknowledge by Ben Okafor
  - +2d16h50m escalate by Ben Okafor to senior-leadership: the CFO wants it
  - +2d17h pause by Ben Okafor: waiting-on-customer
  - +2d18h resume by Ben Okafor
  - +2d20h resolve by Ben Okafor: corrected the tax table
until: +3d
`;

// Bundling the workflows and opening the embedded store take most of a minute on a busy machine: done once, here,
// so that each test's own time limit is spent on its scenario.
let letGo: (() => Promise<void>) | undefined;
beforeAll(async () => {
  letGo = await holdSimulator();
}, 300_000);
afterAll(() => letGo?.());

describe('simulate', () => {
  it('reports the weekend-crossing escalation at Monday 09:15 local, refusals, and the resolution', async () => {
    const result = await simulate(policyPlan(), parseScenario(SCENARIO, 'friday.yaml'));
    const { state } = result;
    const drift = Date.parse(state.createdAt) - Date.parse(result.start);
    const local = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toFormat('ccc HH:mm:ss');
    const start = DateTime.fromISO(result.start, { zone: ZONE });
    expect(start.toFormat('ccc HH:mm')).toBe('Fri 16:45');

    const escalated = state.timeline.filter((e) => e.type === 'escalated');
    expect(escalated[0]).toMatchObject({ level: { id: 'team-lead' } });
    expect(local(escalated[0]?.at as string)).toBe('Mon 09:15:00');
    expect(Date.parse(escalated[0]?.at as string)).toBe(
      start.plus({ days: 3 }).set({ hour: 9, minute: 15 }).toMillis() + drift,
    );

    expect(result.commands.map((c) => c.outcome)).toEqual([
      'applied',
      expect.stringMatching(/^refused: JumpNotAllowed: the matrix does not allow a high technical case to jump/),
      'applied',
      'applied',
      'applied',
    ]);
    expect(state).toMatchObject({
      status: 'resolved',
      resolution: { by: 'Ben Okafor', summary: 'corrected the tax table' },
    });
    expect(result.notifications.filter((n) => n.audience === 'reporter').map((n) => n.subject)).toEqual([
      expect.stringContaining('We have your case'),
      expect.stringContaining('Resolved'),
    ]);

    const report = formatReport(result);
    expect(report).toContain('Times in Europe/Berlin');
    expect(report).toMatch(/Mon \d{4}-\d{2}-\d{2} 09:15 CET\s+\+2d16h30m\s+escalated\s+Team lead/);
    expect(report).toContain('command refused');
    expect(report).toMatch(/at the end: resolved .* owner Ben Okafor/);
  }, 120_000);
});

describe('simulate the follow-up', () => {
  it('reopens on an unsatisfied score at the resolving level, then closes on a satisfied one', async () => {
    const scenario = parseScenario(
      `
zone: ${ZONE}
start: next tue 10:00
case:
  title: Refund missing
  category: technical
  priority: high
  reporter: { name: Ada Lovelace, email: ada@example.com }
events:
  - +10m acknowledge by Ben Okafor
  - +20m reprioritise by Ben Okafor to critical: every EU customer is affected
  - +1h resolve by Ben Okafor: refunded
  - +2h feedback by Ada Lovelace: 2 the refund never arrived
  - +3h resolve by Ben Okafor: refunded by hand
  - +4h feedback by Ada Lovelace: 5
until: +5h
`,
      'follow-up.yaml',
    );
    const plan = { ...policyPlan(), followUp: { windowMs: 86_400_000, satisfiedAtLeast: 4 } };
    const result = await simulate(plan, scenario);

    expect(result.commands.map((c) => c.outcome)).toEqual(Array(6).fill('applied'));
    expect(result.state).toMatchObject({ status: 'closed', priority: 'critical', reopenCount: 1 });
    expect(result.state.feedback.map((f) => [f.round, f.score, f.satisfied])).toEqual([
      [0, 2, false],
      [1, 5, true],
    ]);
    const types = result.state.timeline.map((e) => e.type);
    expect(types.filter((t) => ['reprioritised', 'reopened', 'closed'].includes(t))).toEqual([
      'reprioritised',
      'reopened',
      'closed',
    ]);
  });
});

describe('simulate after the case has ended', () => {
  it("refuses a command on a finished run with the API's reason, not Temporal's", async () => {
    const scenario = parseScenario(
      `
zone: ${ZONE}
start: next tue 10:00
case:
  title: Refund missing
  category: technical
  priority: low
  reporter: { name: Ada Lovelace, email: ada@example.com }
events:
  - +10m resolve by Ben Okafor: refund re-sent
  - +20m acknowledge by Ben Okafor
  - +30m comment by Ben Okafor: one more thing
until: +1h
`,
      'after-the-end.yaml',
    );
    const result = await simulate(policyPlan(), scenario);
    expect(result.state.status).toBe('resolved');
    expect(result.commands.map((c) => c.outcome)).toEqual([
      'applied',
      `refused: CaseResolved: case ${result.state.id} is already resolved`,
      `refused: CaseResolved: case ${result.state.id} is already resolved`,
    ]);
  });
});

describe('simulate at the end of an ack window', () => {
  it('escalates first when a command is scripted for the instant the ack target runs out, then applies it there', async () => {
    const scenario = parseScenario(
      `
zone: ${ZONE}
start: next tue 10:00
case:
  title: Refund missing
  category: technical
  priority: high
  reporter: { name: Ada Lovelace, email: ada@example.com }
events:
  - +30m acknowledge by Ben Okafor
until: +1h
`,
      'end-of-window.yaml',
    );
    const result = await simulate(policyPlan(), scenario);
    const { state } = result;
    const end = new Date(Date.parse(result.start) + 30 * 60_000).toISOString();

    // Raised at the start to the millisecond, so the 30 business minutes run out at 10:30:00.000 exactly.
    expect(state.createdAt).toBe(result.start);
    expect(result.commands).toEqual([
      { at: expect.any(String), line: '+30m acknowledge by Ben Okafor', outcome: 'applied' },
    ]);
    expect(Date.parse(result.commands[0]?.at as string)).toBeGreaterThanOrEqual(Date.parse(end));
    const steps = state.timeline
      .filter((e) => ['escalated', 'acknowledged'].includes(e.type))
      .map((e) => [e.type, e.level?.id, e.by]);
    expect(steps).toEqual([
      ['escalated', 'team-lead', undefined],
      ['acknowledged', 'team-lead', 'Ben Okafor'],
    ]);
    expect(state.timeline.find((e) => e.type === 'escalated')?.at).toBe(end);
    expect(state).toMatchObject({ status: 'acknowledged', owner: 'Ben Okafor', level: { id: 'team-lead' } });
  });
});

describe('the scenarios in config/scenarios, on config/matrix.yaml', () => {
  const scenarioDir = path.join(__dirname, '../../config/scenarios');
  const matrix = () => loadMatrix(path.join(__dirname, '../../config/matrix.yaml'));
  const run = (file: string) =>
    simulate(matrix(), parseScenario(readFileSync(path.join(scenarioDir, file), 'utf8'), file));

  it.each(readdirSync(scenarioDir).filter((file) => file.endsWith('.yaml')))(
    '%s: every scripted command applies',
    async (file) => {
      const result = await run(file);
      expect(result.commands.map((c) => `${c.line}: ${c.outcome}`)).toEqual(
        result.commands.map((c) => `${c.line}: applied`),
      );
    },
  );

  it('withdrawn-acknowledgement.yaml: pages the team lead when the window restarted at the withdrawal runs out', async () => {
    const { state } = await run('withdrawn-acknowledgement.yaml');
    const withdrawn = state.timeline.find((e) => e.type === 'unacknowledged');
    const due = (withdrawn?.details as { due: { ack: { from: string; to: string } } }).due.ack;
    expect(Date.parse(due.to)).toBeGreaterThan(Date.parse(due.from));
    const escalated = state.timeline.find((e) => e.type === 'escalated');
    expect(escalated).toMatchObject({
      at: due.to,
      level: { id: 'team-lead' },
      details: { trigger: 'ack_target', dueAt: due.to },
    });
    // Nobody higher heard of the case before that instant: the team lead's handoff is the first above frontline.
    const firstAbove = state.timeline.find((e) => e.type === 'handed_off' && e.level?.id !== 'frontline');
    expect(firstAbove?.level?.id).toBe('team-lead');
    expect(Date.parse(firstAbove?.at ?? '')).toBeGreaterThanOrEqual(Date.parse(due.to));
  });
});

describe('scenario files', () => {
  it('reads the lifecycle verbs: reprioritise to a priority, feedback with a score, reopen with a reason', () => {
    expect(parseEventLine('+1h reprioritise by ana to critical: all EU customers')).toMatchObject({
      offsetMs: 3_600_000,
      command: { kind: 'reprioritise', by: 'ana', priority: 'critical', reason: 'all EU customers' },
    });
    expect(parseEventLine('+1d feedback by Ada Lovelace: 2 still broken')).toMatchObject({
      command: { kind: 'feedback', by: 'Ada Lovelace', score: 2, comment: 'still broken' },
    });
    expect(parseEventLine('+1d feedback by ada: 5')).toMatchObject({ command: { kind: 'feedback', score: 5 } });
    expect(parseEventLine('+2d reopen by dana: customer called back')).toMatchObject({
      command: { kind: 'reopen', by: 'dana', reason: 'customer called back' },
    });
    expect(parseEventLine('+1d feedback by ada: great')).toMatch(/feedback needs a score 1-5/);
    expect(parseEventLine('+1h reprioritise by ana to urgent: x')).toMatch(
      /reprioritise needs "to <critical\|high\|medium\|low>"/,
    );
  });

  it('reads unacknowledge (or unack) with a reason and reassign to an assignee with a reason', () => {
    expect(parseEventLine('+20m unacknowledge by ana: my shift ends')).toMatchObject({
      offsetMs: 20 * 60_000,
      command: { kind: 'unacknowledge', by: 'ana', reason: 'my shift ends' },
    });
    expect(parseEventLine('+20m unack by ana: wrong team')).toMatchObject({
      command: { kind: 'unacknowledge', by: 'ana', reason: 'wrong team' },
    });
    expect(parseEventLine('+10m reassign by dana to grace: knows the gateway')).toMatchObject({
      command: { kind: 'reassign', by: 'dana', to: 'grace', reason: 'knows the gateway' },
    });
    expect(parseEventLine('+20m unack by ana')).toMatch(/unacknowledge needs a reason after a colon/);
    expect(parseEventLine('+10m reassign by dana: x')).toMatch(/reassign needs "to <person or team id>"/);
  });

  it('reads event lines with who, a target level and a text', () => {
    expect(parseEventLine('+2h escalate by Ana Ruiz to senior-leadership: customer threatens to sue')).toEqual({
      offsetMs: 2 * 3_600_000,
      line: '+2h escalate by Ana Ruiz to senior-leadership: customer threatens to sue',
      command: { kind: 'escalate', by: 'Ana Ruiz', reason: 'customer threatens to sue', to: 'senior-leadership' },
    });
    expect(parseEventLine('+45m ack by ana')).toMatchObject({
      offsetMs: 45 * 60_000,
      command: { kind: 'acknowledge', by: 'ana' },
    });
    expect(parseEventLine('+3h pause waiting-on-customer')).toMatchObject({
      command: { kind: 'pause', by: 'simulator', reason: 'waiting-on-customer' },
    });
  });

  const errorsOf = (text: string): string[] => {
    try {
      parseScenario(text, 'bad.yaml');
    } catch (error) {
      expect(error).toBeInstanceOf(ScenarioError);
      return (error as ScenarioError).errors;
    }
    throw new Error('the scenario was accepted');
  };

  it('reports every bad field at once', () => {
    expect(
      errorsOf(`
zone: Mars/Olympus
start: someday
case: { title: x, category: y, reporter: { name: a, email: nope } }
`),
    ).toEqual([
      'zone: is not an IANA time zone (e.g. Europe/Berlin)',
      'start: must be a local date-time YYYY-MM-DDTHH:MM or "next <mon..sun> HH:MM"',
      'case.reporter.email: must be an email address',
    ]);
  });

  it('reports every bad event line at once', () => {
    expect(
      errorsOf(`
zone: UTC
start: next mon 09:00
case: { title: x, category: y, reporter: { name: a, email: a@example.com } }
events: ["+5 acknowledge", "+1h resolve by ana", "tomorrow: dance"]
until: soon
`),
    ).toEqual([
      'events.0: "+5 acknowledge": "5" is not a duration (use e.g. 45m, 3h, 1d2h)',
      'events.1: "+1h resolve by ana": resolve needs a resolution after a colon, e.g. "+1h resolve by ana: ..."',
      'events.2: "tomorrow: dance": expected "+<duration> <acknowledge|unacknowledge|resolve|escalate|reassign|comment|pause|resume|reprioritise|feedback|reopen> [by <who>] [to <level, priority or assignee>] [: <text>]"',
      'until: "soon" is not a duration (e.g. +3d)',
    ]);
  });
});
