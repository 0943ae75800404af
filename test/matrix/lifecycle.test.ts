// The case lifecycle after the ladder in the matrix YAML: statusUpdates, followUp, review and reminders. What each
// section compiles to, the defaults when it is left out, the plan version, and the exact error and warning lines
// (with YAML line:column) authors see.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { lintMatrix } from '../../src/matrix/lint';
import { loadMatrix, parseMatrix } from '../../src/matrix/load';
import { describePlan } from '../../src/matrix/overview';
import type { Plan } from '../../src/shared/plan';
import { errorsOf, short, TODAY, warningsOf } from '../support/matrix-lint';

const ROOT = resolve(__dirname, '../..');
const EXAMPLE = join(ROOT, 'config/matrix.yaml');
const DEMO = join(ROOT, 'config/examples/two-minute.yaml');

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** 18 lines: a person dana, a team desk, one path. Sections appended to it start on line 19. */
const MINIMAL = `version: 2
name: Minimal
people:
  dana: { name: Dana Lead, contacts: { log: dana@example.com } }
teams:
  desk: { name: Help desk, members: [dana] }
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
        notify: [{ team: desk }]
`;

const lifecycleOf = (plan: Plan) => ({
  statusUpdates: plan.statusUpdates,
  followUp: plan.followUp,
  review: plan.review,
  reminders: plan.reminders,
});

describe('the lifecycle of the example matrix config/matrix.yaml', () => {
  const plan = loadMatrix(EXAMPLE);

  it('compiles status updates, follow-up, review and reminders', () => {
    expect(lifecycleOf(plan)).toEqual({
      statusUpdates: {
        critical: { everyMs: 4 * HOUR, to: ['subscribers', 'reporter', 'owner'] },
        high: { everyMs: 8 * HOUR, to: ['subscribers', 'owner'] },
      },
      followUp: { windowMs: 5 * DAY, satisfiedAtLeast: 4 },
      review: {
        when: { priorities: ['critical', 'high'], breached: true, reopened: true },
        owner: 'erin',
        dueWithinMs: 5 * DAY,
        remindEveryMs: DAY,
      },
      reminders: { everyMs: 4 * HOUR },
    });
  });

  it('names an existing person as the review owner', () => {
    expect(plan.people[plan.review!.owner!]?.name).toBe('Erin Walsh');
  });
});

describe('the lifecycle of the two-minute demo config/examples/two-minute.yaml', () => {
  it('runs in minutes: updates for high cases, a 10-minute follow-up, quick reviews owned by the last level', () => {
    expect(lifecycleOf(loadMatrix(DEMO))).toEqual({
      statusUpdates: { high: { everyMs: 5 * MIN, to: ['subscribers', 'owner'] } },
      followUp: { windowMs: 10 * MIN, satisfiedAtLeast: 4 },
      review: {
        when: { priorities: ['critical', 'high'], reopened: true },
        dueWithinMs: 10 * MIN,
        remindEveryMs: 5 * MIN,
      },
      reminders: { everyMs: 5 * MIN },
    });
  });

  it('lints clean', () => {
    const result = lintMatrix(readFileSync(DEMO, 'utf8'), { today: TODAY });
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
  });
});

describe('a matrix without lifecycle sections', () => {
  const plan = parseMatrix(MINIMAL);

  it('compiles explicit defaults: no status updates, no follow-up, no reviews, reminders every day', () => {
    expect(lifecycleOf(plan)).toEqual({
      statusUpdates: {},
      followUp: null,
      review: null,
      reminders: { everyMs: DAY },
    });
  });

  it('keeps the defaults as plain JSON keys of the plan, not absent ones', () => {
    const json = JSON.parse(JSON.stringify(plan)) as Record<string, unknown>;
    expect(json).toMatchObject({ statusUpdates: {}, followUp: null, review: null, reminders: { everyMs: DAY } });
  });

  it('gets the default reminder interval from an empty reminders map and from empty statusUpdates', () => {
    expect(parseMatrix(`${MINIMAL}reminders: {}\nstatusUpdates: {}\n`).version).toBe(plan.version);
    expect(parseMatrix(`${MINIMAL}reminders: { every: 1d }\n`).version).toBe(plan.version);
    expect(parseMatrix(`${MINIMAL}reminders: { every: 24h }\n`).reminders).toEqual({ everyMs: DAY });
  });
});

describe('compiling the lifecycle sections', () => {
  it('gives status updates only to the priorities listed, with their audiences in the order written', () => {
    const plan = parseMatrix(`${MINIMAL}statusUpdates:
  low: { every: 2d, to: [teams] }
  critical: { every: 1h30m, to: [owner, reporter, teams, subscribers] }
`);
    expect(plan.statusUpdates).toEqual({
      critical: { everyMs: HOUR + 30 * MIN, to: ['owner', 'reporter', 'teams', 'subscribers'] },
      low: { everyMs: 2 * DAY, to: ['teams'] },
    });
  });

  it('compiles the follow-up window and the lowest satisfied score', () => {
    expect(parseMatrix(`${MINIMAL}followUp: { window: 3d12h, satisfiedAtLeast: 1 }\n`).followUp).toEqual({
      windowMs: 3 * DAY + 12 * HOUR,
      satisfiedAtLeast: 1,
    });
    expect(parseMatrix(`${MINIMAL}followUp: { window: 30m, satisfiedAtLeast: 5 }\n`).followUp).toEqual({
      windowMs: 30 * MIN,
      satisfiedAtLeast: 5,
    });
  });

  it('compiles a review with only the conditions written, a team as owner, or no owner', () => {
    const review = (text: string) => parseMatrix(`${MINIMAL}review:\n${text}`).review;
    expect(
      review('  when: { categories: [legal, privacy] }\n  owner: desk\n  dueWithin: 2d\n  remindEvery: 12h\n'),
    ).toEqual({
      when: { categories: ['legal', 'privacy'] },
      owner: 'desk',
      dueWithinMs: 2 * DAY,
      remindEveryMs: 12 * HOUR,
    });
    expect(review('  when: { breached: true }\n  owner: dana\n  dueWithin: 1d\n  remindEvery: 1m\n')).toEqual({
      when: { breached: true },
      owner: 'dana',
      dueWithinMs: DAY,
      remindEveryMs: MIN,
    });
    const all = review(
      '  when: { priorities: [low], categories: [billing], breached: true, reopened: true }\n  dueWithin: 7d\n  remindEvery: 2d\n',
    );
    expect(all).toEqual({
      when: { priorities: ['low'], categories: ['billing'], breached: true, reopened: true },
      dueWithinMs: 7 * DAY,
      remindEveryMs: 2 * DAY,
    });
    expect(all).not.toHaveProperty('owner');
  });
});

describe('the plan version and the lifecycle', () => {
  const base = `${MINIMAL}statusUpdates:
  high: { every: 8h, to: [subscribers] }
followUp: { window: 5d, satisfiedAtLeast: 4 }
review:
  when: { priorities: [critical], reopened: true }
  owner: dana
  dueWithin: 5d
  remindEvery: 1d
reminders: { every: 4h }
`;
  const version = (text: string) => parseMatrix(text).version;

  it.each([
    ['a status update interval', 'every: 8h, to: [subscribers]', 'every: 6h, to: [subscribers]'],
    ['a status update audience', 'to: [subscribers]', 'to: [subscribers, reporter]'],
    ['the follow-up window', 'window: 5d', 'window: 4d'],
    ['the satisfied score', 'satisfiedAtLeast: 4', 'satisfiedAtLeast: 3'],
    ['a review condition', 'reopened: true', 'breached: true'],
    ['the review owner', 'owner: dana', 'owner: desk'],
    ['the review due time', 'dueWithin: 5d', 'dueWithin: 6d'],
    ['the review reminder interval', 'remindEvery: 1d', 'remindEvery: 2d'],
    ['the task reminder interval', 'reminders: { every: 4h }', 'reminders: { every: 2h }'],
  ])('changes when %s changes', (_what, from, to) => {
    const changed = base.replace(from, to);
    expect(changed).not.toBe(base);
    expect(version(changed)).not.toBe(version(base));
  });

  it('changes when a section is added or removed', () => {
    expect(version(base)).not.toBe(version(MINIMAL));
    expect(version(base.replace('followUp: { window: 5d, satisfiedAtLeast: 4 }\n', ''))).not.toBe(version(base));
    expect(version(base.replace(/review:\n(?: {2}.*\n)+/, ''))).not.toBe(version(base));
  });
});

describe('rejecting bad lifecycle sections', () => {
  it('reports unknown priorities and audiences, empty and repeated audiences, and intervals under a minute', () => {
    const text = `${MINIMAL}statusUpdates:
  urgent: { every: 1h, to: [owner] }
  critical: { every: 30s, to: [team, owner, owner] }
  high: { every: 0m, to: [] }
  medium: { every: 5, to: owner }
  low: { every: 1h, too: [owner] }
`;
    expect(errorsOf(text)).toEqual([
      '20:3 statusUpdates.urgent: unknown key (allowed here: critical, high, medium, low)',
      '21:15 statusUpdates.critical.every: "30s" is too often: must be at least 1m',
      '21:32 statusUpdates.critical.to.0: unknown audience "team" (one of: subscribers, reporter, owner, teams)',
      '21:45 statusUpdates.critical.to.2: audience "owner" is listed twice (already statusUpdates.critical.to.1)',
      '22:11 statusUpdates.high.every: "0m" is zero: must be longer than 0 (use e.g. 30m, 24h, 1h30m, 2d)',
      '22:22 statusUpdates.high.to: must list at least one (or leave the key out)',
      '23:13 statusUpdates.medium.every: 5 is not a duration (use e.g. 30m, 24h, 1h30m, 2d)',
      '23:23 statusUpdates.medium.to: expected a list (- item lines), got text "owner"',
      '24:3 statusUpdates.low.to: required',
      '24:21 statusUpdates.low.too: unknown key (did you mean "to"? allowed here: every, to)',
    ]);
  });

  it('reports a status update that is not a map, and a statusUpdates list', () => {
    expect(errorsOf(`${MINIMAL}statusUpdates: { high: 4h }\n`)).toEqual([
      '19:18 statusUpdates.high: expected a map (key: value lines), got text "4h"',
    ]);
    expect(errorsOf(`${MINIMAL}statusUpdates: [high]\n`)).toEqual([
      '19:1 statusUpdates: expected a map (key: value lines), got a list',
    ]);
  });

  it('reports a follow-up without a window, a zero window, and a score that is not a whole number from 1 to 5', () => {
    const score = 'must be a whole number from 1 to 5 (the lowest score that does not reopen the case)';
    expect(errorsOf(`${MINIMAL}followUp: { satisfiedAtLeast: 4 }\n`)).toEqual(['19:1 followUp.window: required']);
    expect(errorsOf(`${MINIMAL}followUp: { window: 5d }\n`)).toEqual(['19:1 followUp.satisfiedAtLeast: required']);
    expect(errorsOf(`${MINIMAL}followUp: { window: 0d, satisfiedAtLeast: 0 }\n`)).toEqual([
      '19:13 followUp.window: "0d" is zero: must be longer than 0 (use e.g. 30m, 24h, 1h30m, 2d)',
      `19:25 followUp.satisfiedAtLeast: ${score}`,
    ]);
    for (const value of ['6', '3.5', '-1', '"4"', 'high']) {
      expect(errorsOf(`${MINIMAL}followUp: { window: 5d, satisfiedAtLeast: ${value} }\n`)).toEqual([
        `19:25 followUp.satisfiedAtLeast: ${score}`,
      ]);
    }
    expect(errorsOf(`${MINIMAL}followUp: { window: 5d, satisfiedAtLeast: 4, reopen: true }\n`)).toEqual([
      '19:46 followUp.reopen: unknown key (allowed here: window, satisfiedAtLeast)',
    ]);
  });

  it('reports a review without conditions, or without when, dueWithin or remindEvery', () => {
    expect(errorsOf(`${MINIMAL}review:\n  when: {}\n  dueWithin: 5d\n  remindEvery: 1d\n`)).toEqual([
      '20:3 review.when: needs at least one condition (priorities, categories, breached: true, reopened: true): a closed case is reviewed when any of them holds',
    ]);
    expect(errorsOf(`${MINIMAL}review: { owner: dana }\n`)).toEqual([
      '19:1 review.when: required',
      '19:1 review.dueWithin: required',
      '19:1 review.remindEvery: required',
    ]);
  });

  it('reports bad review conditions: false flags, unknown priorities, empty lists', () => {
    const text = `${MINIMAL}review:
  when: { breached: false, reopened: yes, priorities: [urgent], categories: [] }
  dueWithin: 5d
  remindEvery: 1d
`;
    expect(errorsOf(text)).toEqual([
      '20:11 review.when.breached: write breached: true to select these cases, or leave the key out',
      '20:28 review.when.reopened: write reopened: true to select these cases, or leave the key out',
      '20:56 review.when.priorities.0: unknown priority "urgent" (one of: critical, high, medium, low)',
      '20:65 review.when.categories: must list at least one (or leave the key out)',
    ]);
    expect(errorsOf(text.replace('breached: false', 'breachd: true'))).toContain(
      '20:11 review.when.breachd: unknown key (did you mean "breached"? allowed here: priorities, categories, breached, reopened)',
    );
  });

  it('reports review durations that are not durations, zero, or repeat more than once a minute', () => {
    const text = `${MINIMAL}review:\n  when: { reopened: true }\n  dueWithin: 5\n  remindEvery: 10s\n`;
    expect(errorsOf(text)).toEqual([
      '21:3 review.dueWithin: 5 is not a duration (use e.g. 30m, 24h, 1h30m, 2d)',
      '22:3 review.remindEvery: "10s" is too often: must be at least 1m',
    ]);
    expect(errorsOf(text.replace('dueWithin: 5', 'dueWithin: 0h').replace('10s', '0m'))).toEqual([
      '21:3 review.dueWithin: "0h" is zero: must be longer than 0 (use e.g. 30m, 24h, 1h30m, 2d)',
      '22:3 review.remindEvery: "0m" is zero: must be longer than 0 (use e.g. 30m, 24h, 1h30m, 2d)',
    ]);
  });

  it('reports a review owner that is no person or team of the matrix', () => {
    const withOwner = (owner: string) =>
      `${MINIMAL}review:\n  when: { reopened: true }\n  owner: ${owner}\n  dueWithin: 5d\n  remindEvery: 1d\n`;
    expect(errorsOf(withOwner('dnaa'))).toEqual([
      '21:3 review.owner: no person or team "dnaa" in people or teams (did you mean "dana"?)',
    ]);
    expect(errorsOf(withOwner('erin'))).toEqual([
      '21:3 review.owner: no person or team "erin" in people or teams (known: dana, desk)',
    ]);
    expect(errorsOf(withOwner('""'))).toEqual(['21:3 review.owner: must not be empty']);
  });

  it('reports a review owner that is a person and a team at once', () => {
    const text = `${MINIMAL.replace(
      '  desk: { name: Help desk, members: [dana] }\n',
      "  desk: { name: Help desk, members: [dana] }\n  dana: { name: Dana's desk, members: [dana] }\n",
    )}review:\n  when: { reopened: true }\n  owner: dana\n  dueWithin: 5d\n  remindEvery: 1d\n`;
    expect(errorsOf(text)).toEqual([
      '22:3 review.owner: "dana" is both a person and a team: rename one, so it is clear who owns reviews',
    ]);
  });

  it('reports task reminders more often than once a minute, and unknown keys', () => {
    expect(errorsOf(`${MINIMAL}reminders: { every: 59s }\n`)).toEqual([
      '19:14 reminders.every: "59s" is too often: must be at least 1m',
    ]);
    expect(errorsOf(`${MINIMAL}reminders: { evry: 4h }\n`)).toEqual([
      '19:14 reminders.evry: unknown key (did you mean "every"? allowed here: every)',
    ]);
    expect(errorsOf(`${MINIMAL}reminders: 4h\n`)).toEqual([
      '19:1 reminders: expected a map (key: value lines), got text "4h"',
    ]);
  });

  it('reports every lifecycle problem together with the rest of the matrix', () => {
    const text = `${MINIMAL.replace('ack: 8h', 'ack: 8x')}followUp: { window: 5d, satisfiedAtLeast: 9 }\nreminders: { every: 30s }\n`;
    expect(errorsOf(text)).toEqual([
      '11:10 sla.low.ack: "8x" is not a duration (use e.g. 30m, 24h, 1h30m, 2d)',
      '19:25 followUp.satisfiedAtLeast: must be a whole number from 1 to 5 (the lowest score that does not reopen the case)',
      '20:14 reminders.every: "30s" is too often: must be at least 1m',
    ]);
  });
});

describe('lifecycle warnings', () => {
  it('flag status updates to the reporter more often than hourly', () => {
    const text = `${MINIMAL}statusUpdates:
  critical: { every: 30m, to: [owner, reporter] }
  high: { every: 30m, to: [owner, subscribers] }
  medium: { every: 1h, to: [reporter] }
`;
    expect(warningsOf(text)).toEqual([
      '20:15 statusUpdates.critical.every: sends the reporter an update every 30m: more than once an hour is usually too often for a reporter (use 1h or more, or leave reporter out of to)',
    ]);
    expect(lintMatrix(text, { today: TODAY }).ok).toBe(true);
  });

  it('are not repeated for an interval that is already an error', () => {
    const result = lintMatrix(`${MINIMAL}statusUpdates: { critical: { every: 10s, to: [reporter] } }\n`);
    expect(result.errors.map(short)).toEqual([
      '19:30 statusUpdates.critical.every: "10s" is too often: must be at least 1m',
    ]);
    expect(result.warnings).toEqual([]);
  });
});

describe('the overview of the lifecycle', () => {
  it('lists status updates, follow-up, reviews and reminders in the header of the example', () => {
    const lines = describePlan(loadMatrix(EXAMPLE));
    expect(lines.slice(4, 8)).toEqual([
      '  status updates: critical every 4h to subscribers, reporter, owner; high every 8h to subscribers, owner',
      '  follow-up: the reporter rates the resolution within 5d; a score below 4 reopens the case, silence closes it',
      '  reviews: closed cases that are priority critical|high or breached or reopened; owner erin; due 5d after closing, reminded every 1d',
      '  overdue tasks and action items: reminded at due time, then every 4h',
    ]);
    expect(lines[8]).toBe('');
  });

  it('says what a matrix without lifecycle sections does', () => {
    expect(describePlan(parseMatrix(MINIMAL)).slice(4, 8)).toEqual([
      '  status updates: none',
      '  follow-up: none (a resolved case is final)',
      '  reviews: none',
      '  overdue tasks and action items: reminded at due time, then every 1d',
    ]);
  });

  it('describes a plan compiled before the lifecycle existed', () => {
    const { statusUpdates: _s, followUp: _f, review: _r, reminders: _m, ...old } = parseMatrix(MINIMAL);
    expect(describePlan(old).slice(4, 8)).toEqual([
      '  status updates: none',
      '  follow-up: none (a resolved case is final)',
      '  reviews: none',
      '  overdue tasks and action items: reminded once, at due time',
    ]);
  });
});

describe('lintMatrix never throws on lifecycle sections of any shape', () => {
  it.each([
    'statusUpdates: null\nfollowUp: null\nreview: null\nreminders: null\n',
    'statusUpdates: { high: [] }\nfollowUp: []\nreview: 3\nreminders: { every: [] }\n',
    'statusUpdates: { high: { every: {}, to: [null, 1, {}] } }\nreview: { when: [], owner: [] }\n',
    'review: { when: { priorities: high, breached: 1 }, owner: 7, dueWithin: null, remindEvery: {} }\n',
  ])('for %j', (extra) => {
    const result = lintMatrix(`${MINIMAL}${extra}`, { today: TODAY });
    expect(result.ok).toBe(false);
    expect(result.plan).toBeUndefined();
    for (const issue of result.errors) expect(issue.message).not.toContain('internal error');
  });
});
