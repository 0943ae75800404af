// lintMatrix: positions of problems in the YAML, warnings that do not fail a matrix, the overview of a plan, and
// that no input whatsoever makes it throw.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import YAML from 'yaml';
import { formatIssue, lintMatrix } from '../../src/matrix/lint';
import { describePlan } from '../../src/matrix/overview';
import { errorsOf, short, TODAY, warningsOf } from '../support/matrix-lint';

const ROOT = resolve(__dirname, '../..');
const EXAMPLE_TEXT = readFileSync(join(ROOT, 'config/matrix.yaml'), 'utf8');
const GOOD_TEXT = readFileSync(join(ROOT, 'test/fixtures/matrix/good.yaml'), 'utf8');

const MINIMAL = `version: 2
name: Minimal
people:
  ana: { name: Ana Ruiz, contacts: { log: ana@example.com } }
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
        notify: [{ person: ana }]
`;

describe('formatIssue', () => {
  it('writes file:line:column path: message', () => {
    const issue = {
      path: 'levels.1.notify.0.channel',
      line: 12,
      column: 7,
      message: 'unknown channel "sms" (known: log, email, slack, webhook)',
    };
    expect(formatIssue(issue, 'config/matrix.yaml')).toBe(
      'config/matrix.yaml:12:7 levels.1.notify.0.channel: unknown channel "sms" (known: log, email, slack, webhook)',
    );
  });

  it('leaves out what an issue does not have', () => {
    expect(formatIssue({ path: '', line: 3, column: 1, message: 'Map keys must be unique' }, 'm.yaml')).toBe(
      'm.yaml:3:1 Map keys must be unique',
    );
    expect(formatIssue({ path: '(root)', message: 'broken' }, 'm.yaml')).toBe('m.yaml (root): broken');
  });
});

describe('where lintMatrix places a problem', () => {
  it('at the key of a map entry, and at a list item', () => {
    const text = MINIMAL.replace('critical: { ack: 15m', 'critical: { ack: 15x').concat('pauseReasons: [ok, Not_Ok]\n');
    expect(lintMatrix(text).errors).toEqual([
      {
        path: 'sla.critical.ack',
        line: 6,
        column: 15,
        message: '"15x" is not a duration (use e.g. 30m, 24h, 1h30m, 2d)',
      },
      {
        path: 'pauseReasons.1',
        line: 17,
        column: 20,
        message:
          '"Not_Ok" is not a kebab-case id (lowercase letters and digits joined by single dashes, e.g. team-lead)',
      },
    ]);
  });

  it('at the nearest existing ancestor when the key is missing', () => {
    const text = MINIMAL.replace('        notify: [{ person: ana }]\n', '');
    expect(lintMatrix(text).errors.map(short)).toEqual(['14:9 paths.general.levels.0.notify: required']);
  });

  it('at the alias that uses an anchored value with a problem', () => {
    const text = MINIMAL.replace(
      '  critical: { ack: 15m, resolve: 4h }',
      '  critical: &fast { ack: 15m, resolve: 4x }',
    ).replace('  high: { ack: 30m, resolve: 24h }', '  high: *fast');
    expect(lintMatrix(text).errors.map(short)).toEqual([
      '6:31 sla.critical.resolve: "4x" is not a duration (use e.g. 30m, 24h, 1h30m, 2d)',
      '7:3 sla.high.resolve: "4x" is not a duration (use e.g. 30m, 24h, 1h30m, 2d)',
    ]);
  });

  it('in file order, whichever check found it', () => {
    const text = MINIMAL.replace('notify: [{ person: ana }]', 'notify: [{ person: bob }]').replace('ack: 8h', 'ack: 8');
    expect(lintMatrix(text).errors.map((issue) => issue.line)).toEqual([9, 16]);
  });
});

describe('warnings', () => {
  it('leave the matrix usable: ok, with a plan', () => {
    const result = lintMatrix(`${MINIMAL}reviewBy: 2026-01-01\n`, { today: TODAY });
    expect(result.ok).toBe(true);
    expect(result.errors).toEqual([]);
    expect(result.plan?.reviewBy).toBe('2026-01-01');
    expect(result.warnings).toHaveLength(1);
  });

  it('say when the review date has passed, relative to the given today', () => {
    const text = `${MINIMAL}reviewBy: 2026-11-01\n`;
    expect(warningsOf(text, '2026-11-02')).toEqual([
      '17:1 reviewBy: review date 2026-11-01 has passed (today is 2026-11-02): review the matrix, then move reviewBy forward',
    ]);
    expect(warningsOf(text, '2026-11-01')).toEqual([]);
    expect(warningsOf(text, '2026-10-15')).toEqual([]);
  });

  it('flag a path no case can reach', () => {
    const text = `${MINIMAL}  spare:\n    name: Spare\n    levels: [{ id: spare, name: Spare, notify: [{ person: ana }] }]\ndefaultPath: general\n`;
    expect(warningsOf(text)).toEqual([
      '17:3 paths.spare: unreachable: it lists no categories, no triage rule names it and it is not the defaultPath, so no case takes it',
    ]);
    expect(warningsOf(text.replace('    name: Spare\n', '    name: Spare\n    categories: [spare]\n'))).toEqual([]);
    expect(
      warningsOf(`${text}triage: [{ id: spare, when: { tags: [x] }, path: spare }, { id: default, default: true }]\n`),
    ).toEqual([]);
  });

  it('flag an empty team, an empty rotation layer, a rotation that has not started, a calendar without hours', () => {
    const text = `${MINIMAL}teams:
  nobody: { name: Nobody }
rotations:
  leads:
    name: Leads
    zone: UTC
    handoff: { every: weekly, day: mon, time: '09:00' }
    start: 2027-01-04
    layers: [[ana], []]
calendars:
  closed: { name: Closed, zone: UTC, hours: {} }
`;
    expect(warningsOf(text)).toEqual([
      '18:3 teams.nobody: has no contacts and no members: notifying this team reaches nobody',
      '24:5 rotations.leads.start: starts 2027-01-04, after today (2026-11-23): nobody is on call in this rotation until then, except by overrides',
      '25:21 rotations.leads.layers.1: empty layer: it puts nobody on call',
      '27:38 calendars.closed.hours: no working hours on any day: business time never passes on this calendar',
    ]);
    expect(lintMatrix(text, { today: TODAY }).ok).toBe(true);
  });

  it('flag triage rules after one with an empty when', () => {
    const text = `${MINIMAL}triage:
  - { id: vip, when: { tags: [vip] }, priority: high }
  - { id: everything, when: {}, priority: low }
  - { id: outage, when: { minUsersAffected: 10 }, priority: critical }
  - { id: default, default: true }
`;
    expect(warningsOf(text)).toEqual([
      '20:5 triage.2: never matches: rule everything (triage.1) has an empty when and takes every case first',
      '21:5 triage.3: never matches: rule everything (triage.1) has an empty when and takes every case first',
    ]);
  });

  it('come with the errors of a matrix that has both', () => {
    const result = lintMatrix(`${MINIMAL.replace('ack: 8h', 'ack: 8')}reviewBy: 2020-01-01\n`, { today: TODAY });
    expect(result.ok).toBe(false);
    expect(result.errors.map(short)).toEqual(['9:10 sla.low.ack: 8 is not a duration (use e.g. 30m, 24h, 1h30m, 2d)']);
    expect(result.warnings.map((issue) => issue.path)).toEqual(['reviewBy']);
  });

  it('include what the YAML parser warns about', () => {
    const result = lintMatrix(MINIMAL.replace('name: Minimal', 'name: !mystery Minimal'), { today: TODAY });
    expect(result.warnings.map(short)).toEqual([expect.stringMatching(/^2:7 : .*mystery/)]);
  });

  it('are none for the example and the good fixture', () => {
    expect(warningsOf(EXAMPLE_TEXT)).toEqual([]);
    expect(warningsOf(GOOD_TEXT)).toEqual([]);
  });
});

describe('rotations with nobody on call at times', () => {
  /** MINIMAL with a rotation `primary` (written in `rotation`) that the first level notifies. */
  const withRotation = (rotation: string) =>
    MINIMAL.replace('notify: [{ person: ana }]', 'notify: [{ oncall: primary }]').concat(`rotations:
  primary:
    name: Primary
    zone: Europe/Berlin
    handoff: { every: weekly, day: mon, time: '09:00' }
    start: 2026-11-02
${rotation}`);

  it('accept on-call hours in the calendar hours syntax, compiled to every weekday', () => {
    const result = lintMatrix(withRotation("    layers: [[ana]]\n    onCallHours: { mon-fri: ['08:00-18:00'] }\n"), {
      today: TODAY,
    });
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    const office = [{ start: '08:00', end: '18:00' }];
    expect(result.plan?.rotations.primary?.onCallHours).toEqual({
      mon: office,
      tue: office,
      wed: office,
      thu: office,
      fri: office,
      sat: [],
      sun: [],
    });
    expect(describePlan(result.plan!)).toContain(
      '  primary: Primary, Europe/Berlin, weekly, handoff mon 09:00, from 2026-11-02: ana; on call mon-fri 08:00-18:00',
    );
  });

  it('leave a rotation without on-call hours as it was: on call around the clock, no onCallHours in the plan', () => {
    const result = lintMatrix(withRotation('    layers: [[ana]]\n'), { today: TODAY });
    expect(result.ok).toBe(true);
    expect(result.plan?.rotations.primary).not.toHaveProperty('onCallHours');
  });

  it('report on-call hours that cannot be read or overlap, where they are written', () => {
    const text = withRotation(`    layers: [[ana]]
    onCallHours:
      mon-fri: ['08:00-18:00', '17:00-19:00']
      fri: ['20:00-22:00']
      sat: ['8-12']
      weekend: ['10:00-12:00']
`);
    expect(errorsOf(text)).toEqual([
      '25:32 rotations.primary.onCallHours.mon-fri.1: "17:00-19:00" on mon overlaps "08:00-18:00" on mon: on-call intervals must not overlap',
      '26:7 rotations.primary.onCallHours.fri: fri already has hours from "mon-fri": give each day its hours once',
      '27:13 rotations.primary.onCallHours.sat.0: "8-12": start "8" is not a time (write "HH:MM-HH:MM", e.g. "09:00-17:00", "22:00-06:00" or "18:00-24:00")',
      '28:7 rotations.primary.onCallHours.weekend: "weekend" is not a day or a day range (days: mon, tue, wed, thu, fri, sat, sun; a range: mon-fri)',
    ]);
  });

  it('refuse on-call hours with no interval on any day, and suggest the key for a typo', () => {
    expect(errorsOf(withRotation('    layers: [[ana]]\n    onCallHours: {}\n'))).toEqual([
      '24:5 rotations.primary.onCallHours: no on-call hours on any day: nobody would ever be on call (leave onCallHours out for round the clock)',
    ]);
    expect(errorsOf(withRotation("    layers: [[ana]]\n    oncallHours: { mon: ['08:00-18:00'] }\n"))).toEqual([
      '24:5 rotations.primary.oncallHours: unknown key (did you mean "onCallHours"? allowed here: name, zone, handoff, start, layers, overrides, onCallHours)',
    ]);
  });

  it('accept an empty layer with overrides as a rotation only overrides staff (a warning), and refuse one without', () => {
    const staffedByOverrides = withRotation(`    layers: [[]]
    overrides:
      - { person: ana, from: '2026-12-24T18:00', to: '2026-12-27T09:00' }
`);
    expect(errorsOf(staffedByOverrides)).toEqual([]);
    expect(warningsOf(staffedByOverrides)).toEqual([
      '23:14 rotations.primary.layers.0: empty layer: it puts nobody on call',
    ]);
    expect(errorsOf(withRotation('    layers: [[]]\n'))).toEqual([
      '16:18 paths.general.levels.0.notify.0: rotation primary has nobody in its layers: this target reaches nobody (outside overrides)',
    ]);
  });
});

describe('lintMatrix never throws', () => {
  const lintSafely = (text: string) => {
    const result = lintMatrix(text, { today: TODAY });
    expect(Array.isArray(result.errors)).toBe(true);
    expect(Array.isArray(result.warnings)).toBe(true);
    expect(result.ok).toBe(result.errors.length === 0);
    expect(result.plan !== undefined).toBe(result.ok);
    // An internal error would mean a check crashed on input it did not expect.
    for (const issue of result.errors) expect(issue.message).not.toContain('internal error');
    return result;
  };

  it.each([
    '',
    '---\n- a\n- b\n',
    '{',
    ':::',
    'version: 2\npaths: null\n',
    'version: 2\nname: x\npaths: { general: null }\n',
    'version: 2\nname: x\npaths: { general: { name: g, levels: [null, 3, [], { notify: [null] }] } }\n',
    'version: 2\nname: x\nsla: { high: { ack: { business: 2h, afterHours: [] } } }\ntriage: [null, {}, 3]\n',
    'version: 2\nname: x\ncalendars: { c: { hours: { mon: "09:00-17:00", "tue-": [1] } } }\nrotations: { r: [] }\n',
    'version: 2\nname: x\nteams: { t: { members: { a: 1 } } }\njumps: [{ from: 3 }]\ndefaults: { calendar: [] }\n',
    'a: &a [*a]\n',
    `a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n`,
  ])('for %j', (text) => {
    expect(lintSafely(text).ok).toBe(false);
  });

  it('for text that is not a string', () => {
    expect(lintMatrix(undefined as unknown as string).errors).toEqual([
      { path: '', message: 'expected YAML text, got undefined' },
    ]);
  });

  it('for any text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        lintSafely(text);
      }),
      { numRuns: 300 },
    );
  });

  it('for any YAML value', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        lintSafely(YAML.stringify({ version: 2, name: 'x', paths: value, sla: value, triage: value }));
        lintSafely(YAML.stringify(value));
      }),
      { numRuns: 200 },
    );
  });

  it('for the example with any lines cut out', () => {
    const lines = EXAMPLE_TEXT.split('\n');
    fc.assert(
      fc.property(fc.uniqueArray(fc.nat({ max: lines.length - 1 }), { minLength: 1, maxLength: 12 }), (cut) => {
        lintSafely(lines.filter((_, index) => !cut.includes(index)).join('\n'));
      }),
      { numRuns: 100 },
    );
  });

  it('for the example with any value replaced', () => {
    // Every leaf of the example, as a path of keys and indexes.
    const paths: (string | number)[][] = [];
    const walk = (value: unknown, path: (string | number)[]) => {
      if (Array.isArray(value)) value.forEach((item, index) => walk(item, [...path, index]));
      else if (typeof value === 'object' && value !== null) {
        for (const [key, item] of Object.entries(value)) walk(item, [...path, key]);
      } else paths.push(path);
    };
    walk(YAML.parse(EXAMPLE_TEXT), []);
    const original = YAML.parseDocument(EXAMPLE_TEXT);
    fc.assert(
      fc.property(
        fc.constantFrom(...paths),
        fc.oneof(fc.constant(null), fc.integer(), fc.string(), fc.constant([]), fc.constant({})),
        (path, value) => {
          const copy = original.clone();
          copy.setIn(path, value);
          lintSafely(copy.toString());
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('describePlan', () => {
  const plan = lintMatrix(EXAMPLE_TEXT, { today: TODAY }).plan!;
  const lines = describePlan(plan);

  it('starts with the name, version hash and label', () => {
    expect(lines[0]).toBe(`Customer support escalation matrix: plan ${plan.version} "2026.11"`);
    expect(lines[1]).toBe('  owner Dana Whitfield <dana@example.com>; review by 2027-11-01; reporters hear on log');
  });

  it('lists triage rules in order, then paths with levels, targets and start priorities', () => {
    const text = lines.join('\n');
    expect(text).toContain(
      '  1. legal-threat     legal threat -> priority critical, path legal, start at senior-leadership',
    );
    expect(text).toContain("  5. default          any case -> caller's priority, path by category (else general)");
    expect(text).toContain('  general: General support (categories technical, account, other; default path)');
    expect(text).toContain('    2. team-lead: Team lead -> on call in support-leads (log) [start for critical]');
    expect(text).toContain(
      '         high     ack 30m business (eu-support, 12h after hours), resolve 3d business (eu-support)',
    );
    expect(text).toContain('    2. general-counsel: General counsel -> person jon');
    expect(text).toContain('         no breach warnings');
    expect(text.indexOf('Triage')).toBeLessThan(text.indexOf('Paths:'));
  });

  it('shows calendars with zone and hours, rotations and jumps', () => {
    expect(lines).toContain(
      '  eu-support: EU support hours, Europe/Berlin: mon-fri 09:00-17:00; sat 10:00-14:00; holidays 2026-12-24, 2026-12-25, 2026-12-26, 2027-01-01',
    );
    expect(lines).toContain(
      '  support-leads: Support team leads on call, Europe/Berlin, weekly, handoff mon 09:00, from 2026-01-05: chloe > dan > kai; 1 override(s)',
    );
    expect(lines).toContain('  critical-to-manager: to manager; from frontline, billing-desk; priorities critical');
  });
});

describe('control characters in the matrix', () => {
  it('refuses a NUL written as a YAML escape, at the line of the value', () => {
    const text = MINIMAL.replace('name: Ana Ruiz', 'name: "Ana\\0Ruiz"');
    const result = lintMatrix(text, { today: TODAY });
    expect(result.ok).toBe(false);
    expect(result.errors.map(short)).toEqual([
      '4:10 people.ana.name: must not contain U+0000 (control character NUL) (at character 4); only tab and line breaks are allowed among control characters',
    ]);
  });

  it('refuses a raw escape character in a level name', () => {
    const result = lintMatrix(MINIMAL.replace('name: Frontline support', 'name: "Front\u001bline"'), { today: TODAY });
    expect(result.errors.map((issue) => issue.path)).toEqual(['paths.general.levels.0.name']);
  });

  it('keeps accepting any Unicode text', () => {
    const result = lintMatrix(MINIMAL.replace('name: Ana Ruiz', 'name: "Ana Ruíz 🧯 שלום"'), { today: TODAY });
    expect(result.errors).toEqual([]);
    expect(result.plan?.people.ana?.name).toBe('Ana Ruíz 🧯 שלום');
  });
});
