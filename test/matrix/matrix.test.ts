// The matrix YAML (version 2): what the example compiles to, how versions behave, and the exact error lines
// (with YAML line:column) authors see for each rule.
import { createChannels } from '../../src/channels';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import YAML from 'yaml';
import { canonicalJson, compileMatrix, planVersion } from '../../src/matrix/compile';
import { lintMatrix } from '../../src/matrix/lint';
import { loadMatrix, MatrixError, parseMatrix } from '../../src/matrix/load';
import { KNOWN_CHANNELS, validateMatrix } from '../../src/matrix/schema';
import type { Plan, TargetSpec } from '../../src/shared/plan';
import { errorsOf, short, TODAY } from '../support/matrix-lint';
import { thrownBy } from '../support/thrown';

const ROOT = resolve(__dirname, '../..');
const EXAMPLE = join(ROOT, 'config/matrix.yaml');
const DEMO = join(ROOT, 'config/examples/two-minute.yaml');
const FIXTURES = join(ROOT, 'test/fixtures/matrix');
const BAD = join(FIXTURES, 'bad');

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

const calendar = (ms: number): TargetSpec => ({ kind: 'calendar', ms });
const business = (ms: number, cal: string, afterHoursMs?: number): TargetSpec => ({
  kind: 'business',
  ms,
  calendar: cal,
  ...(afterHoursMs === undefined ? {} : { afterHoursMs }),
});

const matrixError = (run: () => unknown) => thrownBy(MatrixError, run);

/** Smallest valid matrix, for inline variations. */
const MINIMAL = `version: 2
name: Minimal
sla:
  critical: { ack: 15m, resolve: 4h }
  high: { ack: 30m, resolve: 24h }
  medium: { ack: 2h, resolve: 72h }
  low: { ack: 8h, resolve: 5d }
paths:
  general:
    name: General
    levels:
      - id: frontline
        name: Frontline support
        notify:
          - { name: Support queue, channel: log, address: frontline@example.com }
`;

describe('the example matrix config/matrix.yaml', () => {
  const plan = loadMatrix(EXAMPLE);
  const general = plan.paths.general!;
  const billing = plan.paths.billing!;
  const legal = plan.paths.legal!;

  it('lints clean: no errors, no warnings', () => {
    const result = lintMatrix(readFileSync(EXAMPLE, 'utf8'), { today: TODAY });
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.plan).toEqual(plan);
  });

  it('carries its name, label, owner, review date and the case-wide settings', () => {
    expect(plan).toMatchObject({
      schema: 2,
      name: 'Customer support escalation matrix',
      versionName: '2026.11',
      owner: { name: 'Dana Whitfield', email: 'dana@example.com' },
      reviewBy: '2027-11-01',
      reporterChannel: 'log',
      pauseReasons: ['waiting-on-customer', 'waiting-on-vendor', 'waiting-on-legal-review'],
      repeat: { everyMs: 30 * MIN, times: 3 },
      defaultPath: 'general',
    });
    expect(Object.keys(plan.people)).toHaveLength(11);
    expect(plan.people.ana).toEqual({
      id: 'ana',
      name: 'Ana Ruiz',
      contacts: [{ channel: 'log', address: 'ana@example.com' }],
    });
    expect(plan.teams.leadership).toEqual({
      id: 'leadership',
      name: 'Senior leadership',
      members: ['farid', 'grace'],
      contacts: [],
    });
  });

  it('has general, billing and legal paths with their categories and levels in order', () => {
    expect(
      Object.values(plan.paths).map((path) => ({
        id: path.id,
        categories: path.categories,
        levels: path.levels.map((level) => level.id),
      })),
    ).toEqual([
      {
        id: 'general',
        categories: ['technical', 'account', 'other'],
        levels: ['frontline', 'team-lead', 'manager', 'senior-leadership'],
      },
      {
        id: 'billing',
        categories: ['billing', 'refunds', 'invoices'],
        levels: ['billing-desk', 'team-lead', 'manager', 'senior-leadership'],
      },
      {
        id: 'legal',
        categories: ['legal', 'privacy'],
        levels: ['legal-counsel', 'general-counsel', 'senior-leadership'],
      },
    ]);
  });

  it('notifies teams, the on-call lead, people and a bare address', () => {
    expect(general.levels.map((level) => level.targets)).toEqual([
      [{ kind: 'team', team: 'support-frontline' }],
      [{ kind: 'oncall', rotation: 'support-leads', channels: ['log'] }],
      [
        { kind: 'person', person: 'erin' },
        { kind: 'person', person: 'farid' },
      ],
      [{ kind: 'team', team: 'leadership' }],
    ]);
    expect(legal.levels[2]?.targets).toEqual([
      { kind: 'team', team: 'leadership' },
      { kind: 'contact', name: 'CEO office', channel: 'log', address: 'ceo-office@example.com' },
    ]);
  });

  it('gives frontline the default targets: critical in calendar time, the rest in EU business hours', () => {
    expect(general.levels[0]?.sla).toEqual({
      critical: { ack: calendar(15 * MIN), resolve: calendar(4 * HOUR) },
      high: { ack: business(30 * MIN, 'eu-support', 12 * HOUR), resolve: business(3 * DAY, 'eu-support') },
      medium: { ack: business(2 * HOUR, 'eu-support'), resolve: business(5 * DAY, 'eu-support') },
      low: { ack: business(8 * HOUR, 'eu-support'), resolve: business(10 * DAY, 'eu-support') },
    });
  });

  it('lets the team lead override only the high ack target, keeping the high resolve target', () => {
    expect(general.levels[1]?.sla.high).toEqual({
      ack: business(20 * MIN, 'eu-support', 6 * HOUR),
      resolve: business(3 * DAY, 'eu-support'),
    });
    expect(general.levels[1]?.sla.medium).toEqual(general.levels[0]?.sla.medium);
  });

  it('gives senior leadership longer to acknowledge medium and low cases', () => {
    expect(general.levels[3]?.sla.medium).toEqual({
      ack: business(4 * HOUR, 'eu-support'),
      resolve: business(5 * DAY, 'eu-support'),
    });
    expect(general.levels[3]?.sla.low.ack).toEqual(business(DAY, 'eu-support'));
  });

  it('counts billing business time on the US calendar of the billing path', () => {
    for (const level of billing.levels) {
      expect(level.sla.high).toEqual({
        ack: business(30 * MIN, 'us-support', 12 * HOUR),
        resolve: business(3 * DAY, 'us-support'),
      });
      expect(level.sla.critical).toEqual({ ack: calendar(15 * MIN), resolve: calendar(4 * HOUR) });
    }
  });

  it('runs legal deadlines around the clock where the legal counsel level says so', () => {
    expect(legal.levels[0]?.sla).toEqual({
      critical: { ack: calendar(15 * MIN), resolve: calendar(4 * HOUR) },
      high: { ack: calendar(HOUR), resolve: calendar(2 * DAY) },
      medium: { ack: calendar(4 * HOUR), resolve: calendar(5 * DAY) },
      low: { ack: business(8 * HOUR, 'eu-support'), resolve: business(10 * DAY, 'eu-support') },
    });
  });

  it('warns at 75% by default, earlier at the manager, never at the general counsel', () => {
    const warnings = Object.values(plan.paths).flatMap((path) =>
      path.levels.map((level) => [`${path.id}.${level.id}`, level.warning]),
    );
    expect(Object.fromEntries(warnings)).toEqual({
      'general.frontline': { atFraction: 0.75, notifyNextLevel: false },
      'general.team-lead': { atFraction: 0.75, notifyNextLevel: false },
      'general.manager': { atFraction: 0.5, notifyNextLevel: true },
      'general.senior-leadership': { atFraction: 0.75, notifyNextLevel: false },
      'billing.billing-desk': { atFraction: 0.75, notifyNextLevel: false },
      'billing.team-lead': { atFraction: 0.75, notifyNextLevel: false },
      'billing.manager': { atFraction: 0.75, notifyNextLevel: false },
      'billing.senior-leadership': { atFraction: 0.75, notifyNextLevel: false },
      'legal.legal-counsel': { atFraction: 0.75, notifyNextLevel: false },
      'legal.general-counsel': null,
      'legal.senior-leadership': { atFraction: 0.75, notifyNextLevel: false },
    });
  });

  it('expands the EU calendar to all seven days, with its holidays', () => {
    const nine2five = [{ start: '09:00', end: '17:00' }];
    expect(plan.calendars['eu-support']).toEqual({
      id: 'eu-support',
      name: 'EU support hours',
      zone: 'Europe/Berlin',
      week: {
        mon: nine2five,
        tue: nine2five,
        wed: nine2five,
        thu: nine2five,
        fri: nine2five,
        sat: [{ start: '10:00', end: '14:00' }],
        sun: [],
      },
      holidays: [
        { date: '2026-12-24', name: 'Christmas Eve' },
        { date: '2026-12-25', name: 'Christmas Day' },
        { date: '2026-12-26', name: 'Boxing Day' },
        { date: '2027-01-01', name: "New Year's Day" },
      ],
    });
    expect(plan.calendars['us-support']?.zone).toBe('America/New_York');
    expect(plan.calendars['us-support']?.week.sat).toEqual([]);
    expect(plan.calendars['us-support']?.week.fri).toEqual([{ start: '08:00', end: '20:00' }]);
  });

  it('has a weekly rotation of team leads with a Christmas override', () => {
    expect(plan.rotations['support-leads']).toEqual({
      id: 'support-leads',
      name: 'Support team leads on call',
      zone: 'Europe/Berlin',
      handoff: { every: 'weekly', day: 'mon', time: '09:00' },
      start: '2026-01-05',
      layers: [{ participants: ['chloe', 'dan', 'kai'] }],
      overrides: [{ person: 'erin', from: '2026-12-24T00:00', to: '2026-12-27T00:00' }],
    });
  });

  it('triages legal threats to leadership on the legal path, outages to critical, and ends with the default', () => {
    expect(plan.triage).toEqual([
      {
        id: 'legal-threat',
        when: { legalThreat: true },
        priority: 'critical',
        path: 'legal',
        startLevel: 'senior-leadership',
      },
      { id: 'major-outage', when: { minUsersAffected: 1000 }, priority: 'critical' },
      {
        id: 'revenue-at-risk',
        when: { categories: ['billing', 'refunds', 'invoices'], minRevenueAtRisk: 50000 },
        priority: 'high',
        path: 'billing',
        startLevel: 'team-lead',
      },
      { id: 'vip-customer', when: { tags: ['vip', 'enterprise'], priorities: ['low', 'medium'] }, priority: 'high' },
      { id: 'default', when: {} },
    ]);
  });

  it('starts critical general and billing cases at the team lead, everything else at the first level', () => {
    expect(plan.startLevel).toEqual({
      general: { critical: 1, high: 0, medium: 0, low: 0 },
      billing: { critical: 1, high: 0, medium: 0, low: 0 },
      legal: { critical: 0, high: 0, medium: 0, low: 0 },
    });
  });

  it('lets legal cases jump to leadership and critical cases to a manager', () => {
    expect(plan.jumps).toEqual([
      { id: 'legal-to-leadership', to: 'senior-leadership', categories: ['legal', 'privacy'] },
      { id: 'critical-to-manager', to: 'manager', priorities: ['critical'], from: ['frontline', 'billing-desk'] },
    ]);
  });

  it('is plain JSON the workflow can receive unchanged', () => {
    expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
    expect(Object.keys(plan).sort()).toEqual(
      [
        'calendars',
        'defaultPath',
        'jumps',
        'name',
        'owner',
        'pauseReasons',
        'paths',
        'people',
        'repeat',
        'reporterChannel',
        'reviewBy',
        'rotations',
        'schema',
        'startLevel',
        'teams',
        'triage',
        'version',
        'versionName',
        'statusUpdates',
        'followUp',
        'review',
        'reminders',
      ].sort(),
    );
  });
});

describe('the two-minute demo matrix config/examples/two-minute.yaml', () => {
  const plan: Plan = loadMatrix(DEMO);

  it('has 2m ack and 10m resolve targets in calendar time on every level, for every priority', () => {
    const levels = plan.paths.demo!.levels;
    expect(levels.map((level) => level.id)).toEqual(['frontline', 'team-lead', 'manager']);
    for (const level of levels) {
      for (const targets of Object.values(level.sla)) {
        expect(targets).toEqual({ ack: calendar(2 * MIN), resolve: calendar(10 * MIN) });
      }
      expect(level.warning).toEqual({ atFraction: 0.75, notifyNextLevel: false });
    }
  });

  it('re-notifies every two minutes, twice, and sends every case down its one path', () => {
    expect(plan.repeat).toEqual({ everyMs: 2 * MIN, times: 2 });
    expect(plan.defaultPath).toBe('demo');
    expect(plan.triage).toEqual([{ id: 'default', when: {} }]);
  });
});

describe('compiling a matrix', () => {
  const good = loadMatrix(join(FIXTURES, 'good.yaml'));

  it("lays a level's sla over the defaults field by field, business targets on the path's or the default calendar", () => {
    const [desk, lead] = good.paths.support!.levels;
    expect(desk?.sla).toEqual({
      critical: { ack: calendar(10 * MIN), resolve: calendar(2 * HOUR) },
      high: { ack: business(30 * MIN, 'office', 4 * HOUR), resolve: calendar(DAY) },
      medium: { ack: business(2 * HOUR, 'office'), resolve: business(3 * DAY, 'office') },
      low: { ack: calendar(DAY), resolve: calendar(7 * DAY) },
    });
    // lead overrides only high.ack and low.resolve; the other halves come from the defaults.
    expect(lead?.sla).toEqual({
      critical: { ack: calendar(10 * MIN), resolve: calendar(2 * HOUR) },
      high: { ack: calendar(10 * MIN), resolve: calendar(DAY) },
      medium: { ack: business(2 * HOUR, 'office'), resolve: business(3 * DAY, 'office') },
      low: { ack: calendar(DAY), resolve: calendar(10 * DAY) },
    });
    const [nightDesk, nightLead] = good.paths.nights!.levels;
    expect(nightDesk?.sla.medium).toEqual({ ack: business(2 * HOUR, 'night'), resolve: business(3 * DAY, 'night') });
    // A target's own calendar wins over the path's.
    expect(nightLead?.sla.medium).toEqual({ ack: business(2 * HOUR, 'night'), resolve: business(5 * DAY, 'office') });
  });

  it('merges warnings field by field: a level map turns a default off back on, with the built-in 75%', () => {
    expect(good.paths.support!.levels.map((level) => level.warning)).toEqual([
      null,
      { atFraction: 0.8, notifyNextLevel: false },
    ]);
    expect(good.paths.nights!.levels.map((level) => level.warning)).toEqual([
      { atFraction: 0.75, notifyNextLevel: true },
      null,
    ]);
  });

  it('expands day ranges to weekdays, sorts intervals, keeps 24:00 and night shifts, sorts holidays', () => {
    const lunchBreak = [
      { start: '09:00', end: '12:30' },
      { start: '13:30', end: '17:00' },
    ];
    expect(good.calendars.office?.week).toEqual({
      mon: lunchBreak,
      tue: lunchBreak,
      wed: lunchBreak,
      thu: lunchBreak,
      fri: [{ start: '09:00', end: '24:00' }],
      sat: [],
      sun: [{ start: '22:00', end: '06:00' }],
    });
    expect(good.calendars.night?.holidays).toEqual([
      { date: '2026-01-01', name: 'New Year' },
      { date: '2026-05-05', name: "Children's Day" },
    ]);
  });

  it('compiles rotations, targets, start levels, triage and jumps', () => {
    expect(good.rotations.leads).toEqual({
      id: 'leads',
      name: 'Leads on call',
      zone: 'UTC',
      handoff: { every: 'daily', time: '08:00' },
      start: '2026-03-02',
      layers: [{ participants: ['dana', 'sam'] }, { participants: ['sam'] }],
      overrides: [],
    });
    expect(good.paths.support!.levels[1]?.targets).toEqual([
      { kind: 'oncall', rotation: 'leads' },
      { kind: 'person', person: 'dana', channels: ['log'] },
    ]);
    expect(good.paths.nights!.levels[0]?.targets).toEqual([
      { kind: 'contact', name: 'Night queue', channel: 'log', address: 'night@example.com' },
    ]);
    expect(good.startLevel).toEqual({
      support: { critical: 0, high: 1, medium: 0, low: 0 },
      nights: { critical: 0, high: 0, medium: 0, low: 0 },
    });
    expect(good.triage).toEqual([
      {
        id: 'urgent-overnight',
        when: { categories: ['overnight'], urgencies: ['high'] },
        priority: 'high',
        startLevel: 'lead',
      },
      { id: 'default', when: {} },
    ]);
    expect(good.jumps).toEqual([{ id: 'to-lead', to: 'lead', priorities: ['critical', 'high'] }]);
    expect(good.repeat).toEqual({ everyMs: 15 * MIN, times: 2 });
  });

  it('fills in defaults: log reporter, 30m x3 repeat, 75% warnings, one default triage rule, the only path', () => {
    const plan = parseMatrix(MINIMAL);
    expect(plan).toMatchObject({
      schema: 2,
      reporterChannel: 'log',
      repeat: { everyMs: 30 * MIN, times: 3 },
      triage: [{ id: 'default', when: {} }],
      defaultPath: 'general',
      startLevel: { general: { critical: 0, high: 0, medium: 0, low: 0 } },
      people: {},
      teams: {},
      rotations: {},
      calendars: {},
      jumps: [],
      pauseReasons: [],
    });
    expect(plan.paths.general?.levels[0]?.warning).toEqual({ atFraction: 0.75, notifyNextLevel: false });
    expect(plan).not.toHaveProperty('owner');
    expect(plan).not.toHaveProperty('versionName');
  });

  it('accepts repeat.times 0 to switch re-notification off, and warning: off on a level', () => {
    const plan = parseMatrix(
      `${MINIMAL}        warning: off\ndefaults: { repeat: { times: 0 }, warning: { notifyNextLevel: true } }\n`,
    );
    expect(plan.repeat).toEqual({ everyMs: 30 * MIN, times: 0 });
    expect(plan.paths.general?.levels[0]?.warning).toBeNull();
  });

  it('lets the levels supply a priority the defaults leave out', () => {
    const text = MINIMAL.replace('  low: { ack: 8h, resolve: 5d }\n', '').concat(
      '        sla: { low: { ack: 8h, resolve: 5d } }\n',
    );
    expect(parseMatrix(text).paths.general?.levels[0]?.sla.low).toEqual({
      ack: calendar(8 * HOUR),
      resolve: calendar(5 * DAY),
    });
  });

  it('gives the same plan for a day range and the same days written one by one', () => {
    const withCalendar = (hours: string) =>
      `${MINIMAL}calendars:\n  office: { name: Office, zone: UTC, hours: ${hours} }\n`;
    const range = parseMatrix(withCalendar("{ mon-wed: ['09:00-17:00'], thu: ['09:00-17:00'] }"));
    const days = parseMatrix(withCalendar("{ thu: ['09:00-17:00'], mon: ['09:00-17:00'], tue-wed: ['09:00-17:00'] }"));
    expect(days.calendars).toEqual(range.calendars);
    expect(days.version).toBe(range.version);
  });

  it('compiles only what it validated (validateMatrix), and throws a plain Error for an invalid document', () => {
    const validation = validateMatrix(YAML.parse(MINIMAL));
    if (!validation.success) throw new Error(JSON.stringify(validation.issues));
    expect(compileMatrix(validation.document)).toEqual(parseMatrix(MINIMAL));
    expect(() => compileMatrix({ ...validation.document, defaultPath: undefined, paths: {} })).toThrow(
      'compile only validated documents',
    );
  });
});

describe('plan version', () => {
  const exampleText = readFileSync(EXAMPLE, 'utf8');
  const version = (text: string) => parseMatrix(text).version;

  it('is the first 12 hex characters of a content hash, the same for two compiles', () => {
    expect(version(exampleText)).toMatch(/^[0-9a-f]{12}$/);
    expect(version(exampleText)).toBe(loadMatrix(EXAMPLE).version);
  });

  it('does not depend on comments, layout or key order in the YAML', () => {
    const document = YAML.parse(exampleText) as Record<string, unknown>;
    const reordered = Object.fromEntries(Object.entries(document).reverse());
    const relaidOut = YAML.stringify(reordered, { collectionStyle: 'block' });
    expect(relaidOut).not.toBe(exampleText);
    expect(version(relaidOut)).toBe(version(exampleText));
    expect(version(exampleText.replace(/ # .*$/gm, ''))).toBe(version(exampleText));
  });

  it.each([
    ['a target', 'critical: { ack: 15m, resolve: 4h }', 'critical: { ack: 20m, resolve: 4h }'],
    ['an after-hours alternative', 'afterHours: 12h', 'afterHours: 10h'],
    ['an address', 'support-frontline@example.com', 'support-frontline-emea@example.com'],
    ['working hours', "sat: ['10:00-14:00']", "sat: ['10:00-13:00']"],
    ['a triage rule', 'minUsersAffected: 1000', 'minUsersAffected: 500'],
    ['the version label', "versionName: '2026.11'", "versionName: '2026.12'"],
  ])('changes when %s changes', (_what, from, to) => {
    const changed = exampleText.replace(from, to);
    expect(changed).not.toBe(exampleText);
    expect(version(changed)).not.toBe(version(exampleText));
  });

  it('hashes a canonical JSON, so key order in the plan object does not matter', () => {
    const { version: hash, ...plan } = parseMatrix(exampleText);
    const shuffled = Object.fromEntries(Object.entries(plan).reverse()) as typeof plan;
    expect(planVersion(shuffled)).toBe(hash);
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 'x' }], e: undefined })).toBe('{"a":[{"c":"x","d":2}],"b":1}');
  });
});

describe('rejecting a bad matrix', () => {
  // One fixture per rule; each expects exactly these `line:column path: message` lines, in file order.
  const expectedErrors: Record<string, string[]> = {
    'ack-exceeds-resolve.yaml': [
      '12:15 sla.critical.ack: ack 5h must not exceed resolve 4h',
      '14:13 sla.medium.ack: ack 3d must not exceed resolve 2d (both business time)',
      '23:24 paths.general.levels.0.sla.high.ack: ack 1d1h must not exceed resolve 1d (resolve inherited from sla.high.resolve)',
    ],
    'bad-conditions.yaml': [
      '22:1 triage: the last rule must be the catch-all default, so that every case matches: add - { id: default, default: true }',
      '24:26 triage.0.when.priorities.0: unknown priority "urgent" (one of: critical, high, medium, low)',
      '24:35 triage.0.when.urgencies: must list at least one (or leave the key out)',
      '24:50 triage.0.when.minUsersAffected: must be a whole number, 0 or more',
      '24:72 triage.0.when.minRevenueAtRisk: expected a number, got text "lots"',
      '24:96 triage.0.when.legalThreat: expected true or false, got text "yes"',
      '25:5 triage.0.priority: unknown priority "urgent" (one of: critical, high, medium, low)',
      '26:5 triage.1.when: required: the conditions a case must meet (or default: true on the final catch-all rule)',
      '26:20 triage.1.default: write default: true on the final catch-all rule, or leave the key out',
    ],
    'bad-date.yaml': [
      '4:1 reviewBy: "2027-02-30" is not a date (write YYYY-MM-DD, e.g. 2026-12-25)',
      '13:5 rotations.leads.start: "05.01.2026" is not a date (write YYYY-MM-DD, e.g. 2026-12-25)',
      '16:24 rotations.leads.overrides.0.from: "2026-12-24 09:00" is not a local date and time (write "YYYY-MM-DDTHH:MM", e.g. "2026-12-24T18:00")',
      '23:11 calendars.office.holidays.0.date: "2026-12-32" is not a date (write YYYY-MM-DD, e.g. 2026-12-25)',
    ],
    'bad-duration.yaml': [
      '9:11 sla.high.ack: "30x" is not a duration (use e.g. 30m, 24h, 1h30m, 2d)',
      '10:33 sla.medium.resolve.business: 3 is not a duration (use e.g. 30m, 24h, 1h30m, 2d)',
      '11:19 sla.low.resolve: 5 is not a duration (use e.g. 30m, 24h, 1h30m, 2d)',
    ],
    'bad-hours-range.yaml': [
      '12:7 calendars.office.hours.fri-mon: "fri-mon" runs backwards: a range goes from an earlier to a later day of mon..sun (e.g. mon-fri; write sat-sun and mon as two keys)',
      '13:13 calendars.office.hours.tue.0: "09:00" is not a time range (write "HH:MM-HH:MM", e.g. "09:00-17:00", "22:00-06:00" or "18:00-24:00")',
      '14:13 calendars.office.hours.wed.0: "12:00-12:00" is empty: start and end are the same time',
      '15:7 calendars.office.hours.weekend: "weekend" is not a day or a day range (days: mon, tue, wed, thu, fri, sat, sun; a range: mon-fri)',
    ],
    'bad-target-shape.yaml': [
      '11:11 sla.high.ack: a calendar-time target is a plain duration: write 30m, not { calendar: 30m } (calendar: names the working-hours calendar of a business target)',
      '11:35 sla.high.resolve: expected a duration (calendar time, e.g. 4h) or a map { business: 30m, afterHours: 12h, calendar: id }, got a list',
      '20:18 paths.general.levels.0.notify.0: names person and team: a target is exactly one of person, team, oncall, or a contact (name, channel, address)',
      '20:50 paths.general.levels.0.notify.1: expected a map such as { person: ana }, { team: support }, { oncall: leads } or { name, channel, address }, got text "ana"',
    ],
    'bad-time.yaml': [
      '11:30 rotations.leads.handoff.time: "25:00" is not a time (write "HH:MM", 00:00 to 23:59)',
      '19:17 calendars.office.hours.mon-fri.0: "9am-17:00": start "9am" is not a time (write "HH:MM-HH:MM", e.g. "09:00-17:00", "22:00-06:00" or "18:00-24:00")',
      '19:30 calendars.office.hours.mon-fri.1: "18:00-19:60": end "19:60" is not a time (write "HH:MM-HH:MM", e.g. "09:00-17:00", "22:00-06:00" or "18:00-24:00")',
      '20:13 calendars.office.hours.sat.0: expected text, got number 900',
    ],
    'business-on-calendar-without-hours.yaml': [
      '13:11 sla.high.ack: business time on calendar closed, which has no working hours: this target would never be due',
      '23:23 paths.general.levels.0.sla.low.resolve: business time on calendar closed, which has no working hours: this target would never be due',
    ],
    'business-without-calendar.yaml': [
      '11:11 sla.high.ack: business time needs a calendar: name one here (calendar: id), in defaults.calendar, or as calendar of path general',
      '21:23 paths.general.levels.0.sla.low.resolve: business time needs a calendar: name one here (calendar: id), as calendar of path general, or in defaults.calendar',
    ],
    'category-on-two-paths.yaml': [
      '15:38 paths.general.categories.2: category "technical" is listed twice on this path',
      '20:18 paths.billing.categories.0: category "billing" is already on path general: a category belongs to one path (route exceptions with triage rules)',
    ],
    'default-path-required.yaml': [
      '2:1 defaultPath: required when there is more than one path: the path for cases no triage rule or category sends elsewhere (paths: general, billing)',
    ],
    'duplicate-ids.yaml': [
      '14:11 calendars.office.holidays.1.date: 2026-12-25 is already a holiday (holidays.0)',
      '15:37 pauseReasons.1: duplicate pause reason "waiting-on-customer" (already pauseReasons.0)',
      '28:9 paths.general.levels.1.id: duplicate level id "frontline" (already levels.0 of this path)',
      '33:7 triage.1.id: duplicate rule id "outage" (already triage.0)',
      '37:7 jumps.1.id: duplicate jump id "skip" (already jumps.0)',
    ],
    'empty-values.yaml': [
      '4:1 versionName: expected text, got number 2026.1: quote it (versionName: "2026.10"), or YAML reads it as a number',
      '5:22 owner.email: must be an email address',
      '7:10 people.ana.name: must not be empty',
      '7:34 people.ana.contacts.log: must not be empty',
      '14:3 paths.general.name: required',
      '18:47 paths.general.levels.0.notify.0.address: must not be empty',
    ],
    'id-not-kebab-case.yaml': [
      '5:3 people.Ana_Ruiz: "Ana_Ruiz" is not a kebab-case id (lowercase letters and digits joined by single dashes, e.g. team-lead)',
      '12:3 paths.General: "General" is not a kebab-case id (lowercase letters and digits joined by single dashes, e.g. team-lead)',
      '15:9 paths.General.levels.0.id: "Front_Line" is not a kebab-case id (lowercase letters and digits joined by single dashes, e.g. team-lead)',
      '19:7 triage.0.id: "Default" is not a kebab-case id (lowercase letters and digits joined by single dashes, e.g. team-lead)',
    ],
    'incomplete-after-merge.yaml': [
      '20:9 paths.general.levels.1.sla.medium.resolve: required: resolve target for medium priority (no default in sla.medium.resolve)',
    ],
    'many-problems.yaml': [
      '9:11 sla.high.ack: "30x" is not a duration (use e.g. 30m, 24h, 1h30m, 2d)',
      '13:13 defaults.repeat.times: must be a whole number from 0 to 100',
      '17:14 paths.general.start.critical: no level "vp" on path general (known: frontline)',
      '22:9 paths.general.levels.1.id: duplicate level id "frontline" (already levels.0 of this path)',
      '24:38 paths.general.levels.1.notify.0.channel: unknown channel "sms" (known: log, email, slack, webhook)',
    ],
    'missing-priority.yaml': [
      '7:1 sla.low: required: ack and resolve targets for low priority (set here, or in the sla of every level)',
    ],
    'no-levels.yaml': [
      '13:37 paths.general.levels: needs at least one level: the first level is where cases start by default',
    ],
    'no-notify-targets.yaml': [
      '21:9 paths.general.levels.1.notify: needs at least one target: who is told when a case reaches this level',
    ],
    'no-paths.yaml': ['12:1 paths: needs at least one path: an ordered list of levels cases escalate through'],
    'overlapping-hours.yaml': [
      '12:17 calendars.office.hours.mon-fri.0: "09:00-13:00" on mon overlaps "22:00-10:00" on sun: working intervals must not overlap',
      '12:32 calendars.office.hours.mon-fri.1: "12:00-17:00" on mon overlaps "09:00-13:00" on mon: working intervals must not overlap',
      '13:7 calendars.office.hours.fri: fri already has hours from "mon-fri": give each day its hours once',
    ],
    'override-ends-before-start.yaml': [
      '15:50 rotations.leads.overrides.0.to: must be after from (2026-12-24T00:00 is not after 2026-12-27T00:00)',
      '16:50 rotations.leads.overrides.1.to: must be after from (2026-12-31T18:00 is not after 2026-12-31T18:00)',
      '18:9 rotations.leads.overrides.3: overlaps overrides.2 (2027-01-01T00:00 to 2027-01-03T00:00): overrides must not overlap',
    ],
    'pause-reason-not-kebab-case.yaml': [
      '7:37 pauseReasons.1: "Waiting on vendor" is not a kebab-case id (lowercase letters and digits joined by single dashes, e.g. team-lead)',
      '7:56 pauseReasons.2: "waiting_on_legal" is not a kebab-case id (lowercase letters and digits joined by single dashes, e.g. team-lead)',
    ],
    'repeat-times-out-of-range.yaml': ['8:13 defaults.repeat.times: must be a whole number from 0 to 100'],
    'rotation-handoff.yaml': [
      '11:5 rotations.leads.handoff.day: required for a weekly handoff: the day shifts change, e.g. day: mon',
      '17:30 rotations.managers.handoff.day: only a weekly handoff has a day (remove it, or use every: weekly)',
      '24:5 rotations.nights.start: 2026-01-07 is a wed, but shifts change on mon: start on a mon',
    ],
    'start-level-not-on-every-path.yaml': [
      '25:73 triage.0.startLevel: no level "team-lead" on path billing: a rule without a path may send cases to any path, so its start level must exist on every path (or give the rule a path)',
    ],
    'target-reaches-nobody.yaml': [
      '27:18 paths.general.levels.0.notify.0: team ghosts has no contacts and no members: this target reaches nobody',
      '30:18 paths.general.levels.1.notify.0: rotation empty has nobody in its layers: this target reaches nobody (outside overrides)',
    ],
    'triage-default-not-last.yaml': [
      '23:20 triage.0.default: only the last rule may be the default: the rules after it would never run',
      '25:5 triage.2.when: required: the conditions a case must meet (or default: true on the final catch-all rule)',
      '26:37 triage.3.when: the default rule has no conditions: it takes every case that reaches it (remove when)',
    ],
    'triage-without-default.yaml': [
      '22:1 triage: the last rule must be the catch-all default, so that every case matches: add - { id: default, default: true }',
    ],
    'unknown-calendar.yaml': [
      '10:3 defaults.calendar: no calendar "eu" in calendars (known: eu-support)',
      '13:33 sla.high.ack.calendar: no calendar "us-support" in calendars (did you mean "eu-support"?)',
      '19:5 paths.general.calendar: no calendar "eu-suport" in calendars (did you mean "eu-support"?)',
    ],
    'unknown-channel.yaml': [
      '5:60 people.ana.contacts.sms: unknown channel "sms" (known: log, email, slack, webhook)',
      '6:13 reporter.channel: unknown channel "fax" (known: log, email, slack, webhook)',
      '18:44 paths.general.levels.0.notify.0.channels.0: unknown channel "pager" (known: log, email, slack, webhook)',
      '18:69 paths.general.levels.0.notify.1.channel: unknown channel "sms" (known: log, email, slack, webhook)',
    ],
    'unknown-keys.yaml': [
      '4:1 escalate_after: unknown key (allowed here: version, name, versionName, owner, reviewBy, people, teams, rotations, calendars, reporter, pauseReasons, defaults, sla, paths, defaultPath, triage, jumps, statusUpdates, followUp, review, reminders)',
      '13:3 sla.urgent: unknown key (allowed here: critical, high, medium, low)',
      '18:9 paths.general.levels.0.notify: required',
      '20:9 paths.general.levels.0.nofity: unknown key (did you mean "notify"? allowed here: id, name, notify, sla, warning)',
      '23:33 paths.general.levels.1.notify.0.chanels: unknown key (did you mean "channels"? allowed here: person, channels)',
    ],
    'unknown-level.yaml': [
      '15:14 paths.general.start.critical: no level "manager" on path general (known: frontline, team-lead)',
      '24:67 triage.0.startLevel: no level "teamlead" on path general (did you mean "team-lead"?)',
      '27:18 jumps.0.to: no level "vp" on any path (known: frontline, team-lead)',
      '27:44 jumps.0.from.1: no level "desk" on any path (known: frontline, team-lead)',
    ],
    'unknown-path.yaml': [
      '22:1 defaultPath: no path "generl" in paths (did you mean "general"?)',
      '24:47 triage.0.path: no path "legal" in paths (known: general)',
    ],
    'unknown-person.yaml': [
      '8:44 teams.support.members.1: no person "zoe" in people (known: ana, ben)',
      '15:20 rotations.leads.layers.0.1: no person "bne" in people (did you mean "ben"?)',
      '17:11 rotations.leads.overrides.0.person: no person "carl" in people (known: ana, ben)',
      '32:20 paths.general.levels.1.notify.0.person: no person "bob" in people (did you mean "ben"?)',
    ],
    'unknown-team-or-rotation.yaml': [
      '27:20 paths.general.levels.0.notify.0.team: no team "suport" in teams (did you mean "support"?)',
      '30:20 paths.general.levels.1.notify.0.oncall: no rotation "managers" in rotations (known: leads)',
    ],
    'unknown-zone.yaml': [
      '10:5 rotations.leads.zone: unknown time zone "CEST" (use an IANA zone such as Europe/Berlin, America/New_York or UTC)',
      '15:27 calendars.office.zone: unknown time zone "Europe/Berln" (use an IANA zone such as Europe/Berlin, America/New_York or UTC)',
    ],
    'unsupported-version.yaml': ['2:1 version: unsupported version 1 (this release reads version 2)'],
    'warning-at-out-of-range.yaml': [
      '8:14 defaults.warning.at: "100%" must be strictly between 0% and 100% (a share of the target\'s time)',
      '21:20 paths.general.levels.0.warning.at: "0%" must be strictly between 0% and 100% (a share of the target\'s time)',
      '25:20 paths.general.levels.1.warning.at: 0.5 is not a percentage (write e.g. 75%)',
      '29:9 paths.general.levels.2.warning: write off (not false) to turn warnings off',
    ],
    'zero-duration.yaml': [
      '8:15 sla.critical.ack: "0m" is zero: must be longer than 0 (use e.g. 30m, 24h, 1h30m, 2d)',
      '13:13 defaults.repeat.every: "0s" is zero: must be longer than 0 (use e.g. 30m, 24h, 1h30m, 2d)',
    ],
  };

  it.each(Object.entries(expectedErrors))('reports %s with exact line:column path: message lines', (file, errors) => {
    const result = lintMatrix(readFileSync(join(BAD, file), 'utf8'), { source: file, today: TODAY });
    expect(result.errors.map(short)).toEqual(errors);
    expect(result.ok).toBe(false);
    expect(result.plan).toBeUndefined();
  });

  it('has an expectation for every bad fixture', () => {
    expect(readdirSync(BAD).sort()).toEqual(Object.keys(expectedErrors).sort());
  });

  it('throws a MatrixError naming its source, with every problem on its own file:line:column line', () => {
    const file = join(BAD, 'unknown-channel.yaml');
    const error = matrixError(() => loadMatrix(file));
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('MatrixError');
    expect(error.source).toBe(file);
    expect(error.message).toBe(
      [
        `Invalid escalation matrix ${file} (4 problems):`,
        `  ${file}:5:60 people.ana.contacts.sms: unknown channel "sms" (known: log, email, slack, webhook)`,
        `  ${file}:6:13 reporter.channel: unknown channel "fax" (known: log, email, slack, webhook)`,
        `  ${file}:18:44 paths.general.levels.0.notify.0.channels.0: unknown channel "pager" (known: log, email, slack, webhook)`,
        `  ${file}:18:69 paths.general.levels.0.notify.1.channel: unknown channel "sms" (known: log, email, slack, webhook)`,
      ].join('\n'),
    );
  });

  it('reports every problem of a matrix in one error, field and cross-field rules alike', () => {
    const error = matrixError(() => loadMatrix(join(BAD, 'many-problems.yaml')));
    expect(error.errors).toHaveLength(5);
    for (const line of error.errors) expect(error.message).toContain(`\n  ${line}`);
  });

  it('names inline YAML <inline> unless given a source', () => {
    expect(matrixError(() => parseMatrix('')).source).toBe('<inline>');
    expect(matrixError(() => parseMatrix('')).errors).toEqual([
      '<inline>:1:1 (root): the matrix is empty (start with "version: 2")',
    ]);
    expect(matrixError(() => parseMatrix('', 'admin upload')).message).toMatch(
      /^Invalid escalation matrix admin upload/,
    );
  });

  it('reports an empty file and a document that is not a map', () => {
    expect(errorsOf('')).toEqual(['1:1 (root): the matrix is empty (start with "version: 2")']);
    expect(errorsOf('# only a comment\n')).toEqual(['1:1 (root): the matrix is empty (start with "version: 2")']);
    expect(errorsOf('# a list\n- version: 2\n')).toEqual(['2:1 (root): expected a map (key: value lines), got a list']);
  });

  it('reports a missing version, a quoted one and the old one', () => {
    expect(errorsOf(MINIMAL.replace('version: 2\n', ''))).toEqual([
      '1:1 version: required: add "version: 2" at the top of the file',
    ]);
    expect(errorsOf(MINIMAL.replace('version: 2', 'version: "2"'))).toEqual([
      '1:1 version: expected the number 2, got text "2" (write version: 2, without quotes)',
    ]);
    expect(errorsOf(MINIMAL.replace('version: 2', 'version: 1'))).toEqual([
      '1:1 version: unsupported version 1 (this release reads version 2)',
    ]);
  });

  it('reports missing and empty required values at the nearest line', () => {
    expect(errorsOf(MINIMAL.replace('name: Minimal\n', ''))).toEqual(['1:1 name: required']);
    expect(errorsOf(MINIMAL.replace('name: Minimal', 'name:'))).toEqual([
      '2:1 name: expected text, got an empty value',
    ]);
    expect(errorsOf(MINIMAL.replace('channel: log', 'channel:'))).toEqual([
      '15:36 paths.general.levels.0.notify.0.channel: is empty: expected a channel (known: log, email, slack, webhook)',
    ]);
    expect(errorsOf(MINIMAL.replace('        name: Frontline support\n', ''))).toEqual([
      '12:9 paths.general.levels.0.name: required',
    ]);
  });

  it('reports values of the wrong shape in YAML terms', () => {
    expect(errorsOf(`${MINIMAL}people: ana\n`)).toEqual([
      '16:1 people: expected a map (key: value lines), got text "ana"',
    ]);
    expect(errorsOf(MINIMAL.replace(/ {4}levels:[\s\S]*/, '    levels: { id: frontline }\n'))).toEqual([
      '11:5 paths.general.levels: expected a list (- item lines), got a map',
    ]);
    expect(
      errorsOf(`${MINIMAL}triage: [{ id: x, when: { minUsersAffected: 2.5 } }, { id: d, default: true }]\n`),
    ).toEqual(['16:27 triage.0.when.minUsersAffected: must be a whole number, 0 or more']);
  });

  it('rejects a fractional or negative repeat count', () => {
    expect(errorsOf(`${MINIMAL}defaults: { repeat: { times: -1 } }\n`)).toEqual([
      '16:23 defaults.repeat.times: must be a whole number from 0 to 100',
    ]);
  });

  it('reports a level that lacks a target no default covers, once per missing pair', () => {
    const text = MINIMAL.replace('  low: { ack: 8h, resolve: 5d }\n', '').concat(
      '        sla: { low: { ack: 8h, resolve: 5d } }\n',
      '      - id: team-lead\n        name: Team lead\n        notify: [{ name: Leads, channel: log, address: leads@example.com }]\n',
    );
    expect(errorsOf(text)).toEqual([
      '16:9 paths.general.levels.1.sla.low: required: ack and resolve targets for low priority (no default in sla.low)',
    ]);
  });

  it('knows exactly the channels the app can send on', async () => {
    const channels = createChannels({
      notificationLogFile: '-',
      smtpUrl: 'smtp://127.0.0.1:2525',
      smtpFrom: 'escalations@example.com',
      webhookSecret: 'secret',
    });
    try {
      expect([...KNOWN_CHANNELS].sort()).toEqual(channels.registry.names().sort());
    } finally {
      await channels.close();
    }
  });
});

describe('YAML syntax errors', () => {
  it('reports the line and column of a syntax error', () => {
    const error = matrixError(() => parseMatrix('version: 2\nname: x\npaths:\n  - id: a\n   name: b\n'));
    expect(error.errors).toEqual(['<inline>:5:1 Sequence item without - indicator']);
    expect(error.message).toMatch(/^YAML syntax error in escalation matrix <inline> \(1 problem\):\n {2}<inline>:5:1/);
  });

  it('reports a duplicate key as a syntax error at its line', () => {
    expect(errorsOf('version: 2\nname: x\nname: y\npaths: {}\n')).toEqual(['3:1 : Map keys must be unique']);
  });

  it('reports tab indentation', () => {
    expect(lintMatrix('version: 2\n\tname: x\n').errors).toEqual([
      { path: '', line: 2, column: 1, message: 'Tabs are not allowed as indentation' },
    ]);
  });
});

describe('loading the matrix file', () => {
  it('reports a missing file with its full path and the MATRIX_FILE variable', () => {
    const missing = join(mkdtempSync(join(tmpdir(), 'matrix-')), 'nope.yaml');
    const error = matrixError(() => loadMatrix(missing));
    expect(error.source).toBe(missing);
    expect(error.errors).toEqual([
      `no such file: ${missing} (set MATRIX_FILE to the path of your matrix YAML; default config/matrix.yaml)`,
    ]);
    expect(error.message).toContain(`Cannot load escalation matrix ${missing}`);
  });

  it('reports a path that is not a readable file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'matrix-'));
    expect(matrixError(() => loadMatrix(dir)).errors).toEqual([expect.stringContaining(`cannot read ${dir}: EISDIR`)]);
  });

  it('names the file and the line in validation errors', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'matrix-')), 'matrix.yaml');
    writeFileSync(file, MINIMAL.replace('channel: log', 'channel: pager'));
    const error = matrixError(() => loadMatrix(file));
    expect(error.source).toBe(file);
    expect(error.message).toContain(`Invalid escalation matrix ${file} (1 problem):`);
    expect(error.errors).toEqual([
      `${file}:15:36 paths.general.levels.0.notify.0.channel: unknown channel "pager" (known: log, email, slack, webhook)`,
    ]);
  });

  it('loads a matrix that has warnings: they do not stop start-up', () => {
    const plan = parseMatrix(`${MINIMAL}reviewBy: 2000-01-01\n`);
    expect(plan.reviewBy).toBe('2000-01-01');
  });
});
