// The matrix YAML: what the example compiles to, how versions behave, and the exact error lines authors see.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import YAML from 'yaml';
import { canonicalJson, compileMatrix, planVersion } from '../../src/matrix/compile';
import { loadMatrix, MatrixError, parseMatrix } from '../../src/matrix/load';
import { KNOWN_CHANNELS, validateMatrix } from '../../src/matrix/schema';
import type { Plan } from '../../src/shared/plan';

const ROOT = resolve(__dirname, '../..');
const EXAMPLE = join(ROOT, 'config/matrix.yaml');
const FIXTURES = join(ROOT, 'test/fixtures/matrix');
const BAD = join(FIXTURES, 'bad');

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** The MatrixError a call throws; fails the test when it does not throw one. */
function matrixError(run: () => unknown): MatrixError {
  try {
    run();
  } catch (error) {
    if (error instanceof MatrixError) return error;
    throw error;
  }
  throw new Error('expected a MatrixError, but the matrix was accepted');
}

const errorsOf = (yamlText: string) => matrixError(() => parseMatrix(yamlText)).errors;

/** Smallest valid matrix, for inline variations. */
const MINIMAL = `
version: 1
name: Minimal
sla:
  critical: { ack: 15m, resolve: 4h }
  high: { ack: 30m, resolve: 24h }
  medium: { ack: 2h, resolve: 72h }
  low: { ack: 8h, resolve: 5d }
levels:
  - id: frontline
    name: Frontline support
    notify:
      - { name: Support queue, channel: log, address: frontline@example.com }
`;

describe('the example matrix config/matrix.yaml', () => {
  const plan = loadMatrix(EXAMPLE);

  it('compiles to frontline, team lead, manager and senior leadership, in that order', () => {
    expect(plan.name).toBe('Customer support escalation matrix');
    expect(plan.levels.map(({ id, name }) => ({ id, name }))).toEqual([
      { id: 'frontline', name: 'Frontline support' },
      { id: 'team-lead', name: 'Team lead' },
      { id: 'manager', name: 'Support manager' },
      { id: 'senior-leadership', name: 'Senior leadership' },
    ]);
  });

  it('notifies real team addresses on the log channel at every level', () => {
    expect(plan.levels.map((level) => level.targets)).toEqual([
      [{ name: 'Support queue', channel: 'log', address: 'support-frontline@example.com' }],
      [{ name: 'Support team leads', channel: 'log', address: 'support-leads@example.com' }],
      [
        { name: 'Support managers on call', channel: 'log', address: 'support-managers@example.com' },
        { name: 'Head of Customer Support', channel: 'log', address: 'head-of-support@example.com' },
      ],
      [
        { name: 'VP Customer Experience', channel: 'log', address: 'vp-customer-experience@example.com' },
        { name: 'CTO office', channel: 'log', address: 'cto-office@example.com' },
      ],
    ]);
  });

  it('gives the first three levels the default targets in milliseconds', () => {
    const defaults = {
      critical: { ackMs: 15 * MIN, resolveMs: 4 * HOUR },
      high: { ackMs: 30 * MIN, resolveMs: 24 * HOUR },
      medium: { ackMs: 2 * HOUR, resolveMs: 72 * HOUR },
      low: { ackMs: 8 * HOUR, resolveMs: 5 * DAY },
    };
    expect(plan.levels[0]?.sla).toEqual(defaults);
    expect(plan.levels[1]?.sla).toEqual(defaults);
    expect(plan.levels[2]?.sla).toEqual(defaults);
    expect(plan.levels[2]?.sla.high).toEqual({ ackMs: 1_800_000, resolveMs: 86_400_000 });
  });

  it('gives senior leadership longer to acknowledge medium and low cases, keeping the default resolve targets', () => {
    expect(plan.levels[3]?.sla).toEqual({
      critical: { ackMs: 15 * MIN, resolveMs: 4 * HOUR },
      high: { ackMs: 30 * MIN, resolveMs: 24 * HOUR },
      medium: { ackMs: 4 * HOUR, resolveMs: 72 * HOUR },
      low: { ackMs: 1 * DAY, resolveMs: 5 * DAY },
    });
  });

  it('starts critical cases at team lead and every other priority at frontline', () => {
    expect(plan.startLevel).toEqual({ critical: 1, high: 0, medium: 0, low: 0 });
  });

  it('re-notifies the last level every 30 minutes, three times, and tells reporters on the log channel', () => {
    expect(plan.repeat).toEqual({ everyMs: 30 * MIN, times: 3 });
    expect(plan.reporterChannel).toBe('log');
  });

  it('is plain JSON the workflow can receive unchanged', () => {
    expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
    expect(Object.keys(plan).sort()).toEqual(['levels', 'name', 'repeat', 'reporterChannel', 'startLevel', 'version']);
  });
});

describe('plan version', () => {
  const exampleText = readFileSync(EXAMPLE, 'utf8');

  it('is the first 12 hex characters of a content hash', () => {
    expect(parseMatrix(exampleText).version).toMatch(/^[0-9a-f]{12}$/);
  });

  it('is the same for two compiles of the same matrix', () => {
    expect(parseMatrix(exampleText).version).toBe(loadMatrix(EXAMPLE).version);
  });

  it('does not depend on comments, layout or key order in the YAML', () => {
    const document = YAML.parse(exampleText) as Record<string, unknown>;
    const reordered = Object.fromEntries(Object.entries(document).reverse());
    const relaidOut = YAML.stringify(reordered, { collectionStyle: 'block' });
    expect(relaidOut).not.toBe(exampleText);
    expect(parseMatrix(relaidOut).version).toBe(parseMatrix(exampleText).version);
  });

  it('changes when a single target changes', () => {
    const changed = exampleText.replace('high: { ack: 30m, resolve: 24h }', 'high: { ack: 45m, resolve: 24h }');
    expect(changed).not.toBe(exampleText);
    expect(parseMatrix(changed).version).not.toBe(parseMatrix(exampleText).version);
  });

  it('changes when a notify address changes', () => {
    const changed = exampleText.replace('support-leads@example.com', 'support-leads-emea@example.com');
    expect(parseMatrix(changed).version).not.toBe(parseMatrix(exampleText).version);
  });

  it('hashes a canonical JSON, so key order in the plan object does not matter', () => {
    const { version, ...plan } = parseMatrix(exampleText);
    const shuffled = Object.fromEntries(Object.entries(plan).reverse()) as typeof plan;
    expect(planVersion(shuffled)).toBe(version);
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 'x' }] })).toBe('{"a":[{"c":"x","d":2}],"b":1}');
  });

  it('is computed by compileMatrix from the validated document alone', () => {
    const validation = validateMatrix(YAML.parse(exampleText));
    if (!validation.success) throw new Error(validation.errors.join('\n'));
    expect(compileMatrix(validation.document)).toEqual(parseMatrix(exampleText));
  });
});

describe('compiling a matrix', () => {
  it("lays a level's sla override over the defaults field by field", () => {
    const plan = loadMatrix(join(FIXTURES, 'good.yaml'));
    const [desk, lead] = plan.levels;
    // desk has no override: all defaults.
    expect(desk?.sla).toEqual({
      critical: { ackMs: 10 * MIN, resolveMs: 2 * HOUR },
      high: { ackMs: 30 * MIN, resolveMs: 24 * HOUR },
      medium: { ackMs: 2 * HOUR, resolveMs: 3 * DAY },
      low: { ackMs: 1 * DAY, resolveMs: 7 * DAY },
    });
    // lead overrides only high.ack and low.resolve; the other halves come from the defaults.
    expect(lead?.sla).toEqual({
      critical: { ackMs: 10 * MIN, resolveMs: 2 * HOUR },
      high: { ackMs: 10 * MIN, resolveMs: 24 * HOUR },
      medium: { ackMs: 2 * HOUR, resolveMs: 3 * DAY },
      low: { ackMs: 1 * DAY, resolveMs: 10 * DAY },
    });
  });

  it('turns start level ids into indexes and starts unlisted priorities at the first level', () => {
    expect(loadMatrix(join(FIXTURES, 'good.yaml')).startLevel).toEqual({ critical: 0, high: 1, medium: 0, low: 0 });
  });

  it('keeps every notify target of a level in order', () => {
    expect(loadMatrix(join(FIXTURES, 'good.yaml')).levels[1]?.targets).toEqual([
      { name: 'Dana Lead', channel: 'log', address: 'dana@example.com' },
      { name: 'Sam Lead', channel: 'log', address: 'sam@example.com' },
    ]);
  });

  it('defaults the reporter channel to log and repeat to every 30m, three times', () => {
    const plan = parseMatrix(MINIMAL);
    expect(plan.reporterChannel).toBe('log');
    expect(plan.repeat).toEqual({ everyMs: 30 * MIN, times: 3 });
    expect(plan.startLevel).toEqual({ critical: 0, high: 0, medium: 0, low: 0 });
  });

  it('accepts repeat.times 0 to switch re-notification off', () => {
    expect(parseMatrix(`${MINIMAL}repeat: { times: 0 }\n`).repeat).toEqual({ everyMs: 30 * MIN, times: 0 });
  });

  it('lets the levels supply a priority the defaults leave out', () => {
    const plan = parseMatrix(`
version: 1
name: Per-level low targets
sla:
  critical: { ack: 15m, resolve: 4h }
  high: { ack: 30m, resolve: 24h }
  medium: { ack: 2h, resolve: 72h }
levels:
  - id: frontline
    name: Frontline
    notify: [{ name: Queue, channel: log, address: queue@example.com }]
    sla: { low: { ack: 8h, resolve: 5d } }
  - id: team-lead
    name: Team lead
    notify: [{ name: Leads, channel: log, address: leads@example.com }]
    sla: { low: { ack: 1d, resolve: 1d } }
`);
    expect(plan.levels.map((level) => level.sla.low)).toEqual([
      { ackMs: 8 * HOUR, resolveMs: 5 * DAY },
      { ackMs: 1 * DAY, resolveMs: 1 * DAY },
    ]);
  });

  it('compiles the two-minute demo matrix with 2m ack and 10m resolve everywhere', () => {
    const plan: Plan = loadMatrix(join(__dirname, '..', '..', 'config', 'examples', 'two-minute.yaml'));
    expect(plan.levels.map((level) => level.id)).toEqual(['frontline', 'team-lead', 'manager']);
    for (const level of plan.levels) {
      expect(level.sla).toEqual({
        critical: { ackMs: 120_000, resolveMs: 600_000 },
        high: { ackMs: 120_000, resolveMs: 600_000 },
        medium: { ackMs: 120_000, resolveMs: 600_000 },
        low: { ackMs: 120_000, resolveMs: 600_000 },
      });
    }
    expect(plan.repeat).toEqual({ everyMs: 120_000, times: 2 });
  });
});

describe('rejecting a bad matrix', () => {
  // One fixture per rule; each expects exactly these lines, in this order.
  const expectedErrors: Record<string, string[]> = {
    'unsupported-version.yaml': ['version: unsupported version 2 (this release reads version 1)'],
    'no-levels.yaml': ['levels: needs at least one level: the first level is where cases start by default'],
    'duplicate-level-id.yaml': [
      'levels.2.id: duplicate id "frontline" (already used by levels.0): level ids must be unique',
    ],
    'level-id-not-kebab-case.yaml': [
      'levels.1.id: "Team_Lead" is not a kebab-case id (lowercase letters and digits joined by single dashes, e.g. team-lead)',
    ],
    'no-notify-targets.yaml': [
      'levels.1.notify: needs at least one target: who is told when a case reaches this level',
    ],
    'unknown-channel.yaml': [
      'reporter.channel: unknown channel "email" (known: log)',
      'levels.1.notify.0.channel: unknown channel "sms" (known: log)',
    ],
    'bad-duration.yaml': [
      'sla.high.ack: "30x" is not a duration (use e.g. 30m, 24h, 1h30m, 2d)',
      'sla.low.resolve: 5 is not a duration (use e.g. 30m, 24h, 1h30m, 2d)',
    ],
    'zero-duration.yaml': [
      'sla.critical.ack: "0m" is zero: must be longer than 0 (use e.g. 30m, 24h, 1h30m, 2d)',
      'repeat.every: "0s" is zero: must be longer than 0 (use e.g. 30m, 24h, 1h30m, 2d)',
    ],
    'repeat-times-out-of-range.yaml': ['repeat.times: must be a whole number from 0 to 100'],
    'missing-priority.yaml': [
      'sla.low: required: ack and resolve targets for low priority (set here, or in the sla of every level)',
    ],
    'incomplete-after-merge.yaml': [
      'levels.1.sla.medium.resolve: required: resolve target for medium priority (no default in sla.medium.resolve)',
    ],
    'ack-exceeds-resolve.yaml': [
      'sla.critical.ack: ack 5h must not exceed resolve 4h',
      'levels.1.sla.high.ack: ack 1d1h must not exceed resolve 1d (resolve inherited from sla.high.resolve)',
    ],
    'unknown-start-level.yaml': ['start.critical: no level with id "vp" (levels: frontline, team-lead)'],
    'unknown-keys.yaml': [
      'sla.urgent: unknown key (allowed here: critical, high, medium, low)',
      'levels.0.notify: required',
      'levels.0.nofity: unknown key (did you mean "notify"? allowed here: id, name, notify, sla)',
      'escalate_after: unknown key (allowed here: version, name, reporter, sla, start, repeat, levels)',
    ],
    'empty-address.yaml': ['levels.0.notify.0.name: must not be empty', 'levels.0.notify.0.address: must not be empty'],
    'many-problems.yaml': [
      'sla.high.ack: "30x" is not a duration (use e.g. 30m, 24h, 1h30m, 2d)',
      'repeat.times: must be a whole number from 0 to 100',
      'levels.1.notify.0.channel: unknown channel "sms" (known: log)',
      'levels.1.id: duplicate id "frontline" (already used by levels.0): level ids must be unique',
      'start.critical: no level with id "vp" (levels: frontline)',
    ],
  };

  it.each(Object.entries(expectedErrors))('reports %s with exact path: message lines', (file, errors) => {
    expect(matrixError(() => loadMatrix(join(BAD, file))).errors).toEqual(errors);
  });

  it('has an expectation for every bad fixture', () => {
    expect(readdirSync(BAD).sort()).toEqual(Object.keys(expectedErrors).sort());
  });

  it('reports every problem of a matrix in one error, field and cross-field rules alike', () => {
    const error = matrixError(() => loadMatrix(join(BAD, 'many-problems.yaml')));
    expect(error.errors).toHaveLength(5);
    for (const line of error.errors) expect(error.message).toContain(`\n  ${line}`);
  });

  it('throws a MatrixError naming its source, with every problem on its own line', () => {
    const file = join(BAD, 'unknown-channel.yaml');
    const error = matrixError(() => loadMatrix(file));
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('MatrixError');
    expect(error.source).toBe(file);
    expect(error.message).toBe(
      [
        `Invalid escalation matrix ${file} (2 problems):`,
        '  reporter.channel: unknown channel "email" (known: log)',
        '  levels.1.notify.0.channel: unknown channel "sms" (known: log)',
      ].join('\n'),
    );
  });

  it('names inline YAML <inline> unless given a source', () => {
    expect(matrixError(() => parseMatrix('')).source).toBe('<inline>');
    expect(matrixError(() => parseMatrix('', 'admin upload')).message).toMatch(
      /^Invalid escalation matrix admin upload/,
    );
  });

  it('reports an empty file', () => {
    expect(errorsOf('')).toEqual(['(root): the matrix is empty (start with "version: 1")']);
    expect(errorsOf('# only a comment\n')).toEqual(['(root): the matrix is empty (start with "version: 1")']);
  });

  it('reports a document that is not a map', () => {
    expect(errorsOf('- version: 1\n')).toEqual(['(root): expected a map (key: value lines), got a list']);
  });

  it('reports a missing version and a quoted one', () => {
    expect(errorsOf(MINIMAL.replace('version: 1\n', ''))).toEqual([
      'version: required: add "version: 1" at the top of the file',
    ]);
    expect(errorsOf(MINIMAL.replace('version: 1', 'version: "1"'))).toEqual([
      'version: expected the number 1, got text "1" (write version: 1, without quotes)',
    ]);
  });

  it('reports missing and empty required values', () => {
    expect(errorsOf(MINIMAL.replace('name: Minimal\n', ''))).toEqual(['name: required']);
    expect(errorsOf(MINIMAL.replace('name: Minimal', 'name:'))).toEqual(['name: expected text, got an empty value']);
    expect(errorsOf(MINIMAL.replace('channel: log', 'channel:'))).toEqual([
      'levels.0.notify.0.channel: is empty: expected a channel (known: log)',
    ]);
  });

  it('reports values of the wrong shape in YAML terms', () => {
    expect(errorsOf(`${MINIMAL}start: frontline\n`)).toEqual([
      'start: expected a map (key: value lines), got text "frontline"',
    ]);
    expect(errorsOf(MINIMAL.replace(/levels:[\s\S]*/, 'levels: { id: frontline }\n'))).toEqual([
      'levels: expected a list (- item lines), got a map',
    ]);
  });

  it('rejects a fractional or negative repeat count', () => {
    expect(errorsOf(`${MINIMAL}repeat: { times: 2.5 }\n`)).toEqual([
      'repeat.times: must be a whole number from 0 to 100',
    ]);
    expect(errorsOf(`${MINIMAL}repeat: { times: -1 }\n`)).toEqual([
      'repeat.times: must be a whole number from 0 to 100',
    ]);
  });

  it('reports a level that lacks a target no default covers, once per missing pair', () => {
    const text = MINIMAL.replace('  low: { ack: 8h, resolve: 5d }\n', '').replace(
      'address: frontline@example.com }\n',
      'address: frontline@example.com }\n    sla: { low: { ack: 8h, resolve: 5d } }\n' +
        '  - id: team-lead\n    name: Team lead\n    notify: [{ name: Leads, channel: log, address: leads@example.com }]\n',
    );
    expect(errorsOf(text)).toEqual([
      'levels.1.sla.low: required: ack and resolve targets for low priority (no default in sla.low)',
    ]);
  });

  it('lists only the known channels', () => {
    expect(KNOWN_CHANNELS).toEqual(['log']);
  });
});

describe('YAML syntax errors', () => {
  it('reports the line and column of a syntax error', () => {
    const error = matrixError(() => parseMatrix('version: 1\nname: x\nlevels:\n  - id: a\n   name: b\n'));
    expect(error.errors).toEqual(['line 5, column 1: Sequence item without - indicator']);
    expect(error.message).toMatch(/^YAML syntax error in escalation matrix <inline> \(1 problem\):\n {2}line 5/);
  });

  it('reports a duplicate key as a syntax error at its line', () => {
    expect(errorsOf('version: 1\nname: x\nname: y\nlevels: []\n')).toEqual([
      'line 3, column 1: Map keys must be unique',
    ]);
  });

  it('reports tab indentation', () => {
    expect(errorsOf('version: 1\n\tname: x\n')).toEqual(['line 2, column 1: Tabs are not allowed as indentation']);
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

  it('names the file in validation errors', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'matrix-')), 'matrix.yaml');
    writeFileSync(file, MINIMAL.replace('channel: log', 'channel: pager'));
    const error = matrixError(() => loadMatrix(file));
    expect(error.source).toBe(file);
    expect(error.message).toContain(`Invalid escalation matrix ${file} (1 problem):`);
    expect(error.errors).toEqual(['levels.0.notify.0.channel: unknown channel "pager" (known: log)']);
  });
});
