// Rule 1 with on-call hours, under the time-skipping server: a level whose rotation has nobody on call at that
// moment is recorded and skipped at once, and at the last level the case stays open, flagged unowned, saying why.
import { DateTime } from 'luxon';
import type { Plan, Rotation, Weekday, WorkingInterval } from '../../src/shared/plan';
import { openedUpdate, stateQuery } from '../../src/shared/messages';
import { caseFactory, eventsOf, plus } from '../support/cases';
import { MINUTE, testLevel, testPlan } from '../support/plan';
import { useHarness } from '../support/workflow-harness';

const harness = useHarness('time-skipping');

const newCase = caseFactory('GAP', { title: 'Refunds stuck since the evening batch' });

const ZONE = 'Europe/Berlin';

/** Weekday hours `from`-`to` on mon-fri, none at the weekend. */
function weekdays(start: string, end: string): Record<Weekday, WorkingInterval[]> {
  const day = [{ start, end }];
  return { mon: day, tue: day, wed: day, thu: day, fri: day, sat: [], sun: [] };
}

const rotation = (id: string, person: string, onCallHours: Record<Weekday, WorkingInterval[]>): Rotation => ({
  id,
  name: id,
  zone: ZONE,
  handoff: { every: 'weekly', day: 'mon', time: '09:00' },
  start: '2026-01-05',
  layers: [{ participants: [person] }],
  overrides: [],
  onCallHours,
});

/** Frontline -> team lead (on call in primary) -> manager -> duty director (on call in directors), 30m ack each. */
function officeHoursPlan(): Plan {
  return testPlan({
    people: {
      ana: { id: 'ana', name: 'Ana Ruiz', contacts: [{ channel: 'log', address: 'ana@example.com' }] },
      dora: { id: 'dora', name: 'Dora Diaz', contacts: [{ channel: 'log', address: 'dora@example.com' }] },
    },
    rotations: {
      primary: rotation('primary', 'ana', weekdays('08:00', '18:00')),
      directors: rotation('directors', 'dora', weekdays('09:00', '17:00')),
    },
    levels: [
      testLevel('frontline', 'Frontline support', 'frontline@example.com'),
      { ...testLevel('team-lead', 'Team lead', ''), targets: [{ kind: 'oncall', rotation: 'primary' }] },
      testLevel('manager', 'Manager', 'managers@example.com'),
      { ...testLevel('duty-director', 'Duty director', ''), targets: [{ kind: 'oncall', rotation: 'directors' }] },
    ],
  });
}

describe('a level whose rotation has nobody on call (outside its on-call hours)', () => {
  it('is recorded and skipped at the instant of the escalation, and the last level leaves the case unowned', async () => {
    // The next Saturday 20:00 in Berlin: both rotations are on call on weekdays only.
    let saturday = DateTime.fromMillis(await harness.env.currentTimeMs(), { zone: ZONE })
      .plus({ days: 1 })
      .startOf('day');
    while (saturday.weekday !== 6) saturday = saturday.plus({ days: 1 });
    await harness.skipTo(saturday.set({ hour: 20 }).toUTC().toISO()!);
    const handle = await harness.start(newCase(), officeHoursPlan());
    const opened = await handle.executeUpdate(openedUpdate);
    expect(opened.level).toMatchObject({ id: 'frontline' });
    const intoTeamLead = opened.sla.ackDueAt!;
    expect(intoTeamLead).toBe(plus(opened.createdAt, 30 * MINUTE));

    await harness.sleep(Date.parse(intoTeamLead) - Date.parse(opened.createdAt) + MINUTE);
    const skipped = await handle.query(stateQuery);
    // The escalation is stamped at the due instant; the level is entered (or skipped) at the workflow's clock when
    // the timer fired, a few milliseconds later on a busy machine: the instant on call is looked up.
    expect(eventsOf(skipped, 'escalated').map((e) => [e.at, e.level?.id])).toEqual([[intoTeamLead, 'team-lead']]);
    const firedAt = skipped.levelEnteredAt;
    expect(Date.parse(firedAt) - Date.parse(intoTeamLead)).toBeGreaterThanOrEqual(0);
    expect(Date.parse(firedAt) - Date.parse(intoTeamLead)).toBeLessThan(5000);
    const primaryGap = `nobody is on call in primary at ${firedAt} (outside its on-call hours mon-fri 08:00-18:00 Europe/Berlin)`;
    expect(eventsOf(skipped, 'level_skipped')).toEqual([
      {
        seq: expect.any(Number) as number,
        at: firedAt,
        type: 'level_skipped',
        level: { index: 1, id: 'team-lead', name: 'Team lead' },
        note: `nobody reachable at Team lead: ${primaryGap}`,
        details: { nobody: [primaryGap] },
      },
    ]);
    // Handed on to the manager at that same instant, with a full ack window from then.
    expect(eventsOf(skipped, 'handed_off').map((e) => [e.at, e.level?.id])).toEqual([
      [opened.createdAt, 'frontline'],
      [firedAt, 'manager'],
    ]);
    expect(skipped).toMatchObject({
      level: { index: 2, id: 'manager', name: 'Manager' },
      owner: 'Manager',
      unowned: false,
      sla: { ackDueAt: plus(firedAt, 30 * MINUTE) },
    });

    const intoDirector = skipped.sla.ackDueAt!;
    await harness.sleep(30 * MINUTE);
    const unowned = await handle.query(stateQuery);
    expect(eventsOf(unowned, 'escalated').map((e) => [e.at, e.level?.id])).toEqual([
      [intoTeamLead, 'team-lead'],
      [intoDirector, 'duty-director'],
    ]);
    const lastFiredAt = unowned.levelEnteredAt;
    expect(Date.parse(lastFiredAt) - Date.parse(intoDirector)).toBeGreaterThanOrEqual(0);
    expect(Date.parse(lastFiredAt) - Date.parse(intoDirector)).toBeLessThan(5000);
    const directorsGap = `nobody is on call in directors at ${lastFiredAt} (outside its on-call hours mon-fri 09:00-17:00 Europe/Berlin)`;
    expect(eventsOf(unowned, 'unowned')).toEqual([
      {
        seq: expect.any(Number) as number,
        at: lastFiredAt,
        type: 'unowned',
        level: { index: 3, id: 'duty-director', name: 'Duty director' },
        note: `nobody reachable at Duty director, the last level: ${directorsGap}`,
        details: { cause: 'nobody_reachable', nobody: [directorsGap] },
      },
    ]);
    expect(unowned).toMatchObject({
      status: 'open',
      level: { index: 3, id: 'duty-director' },
      owner: null,
      unowned: true,
    });
    expect(unowned.timeline.map((e) => e.type)).toEqual([
      'created',
      'triaged',
      'handed_off',
      'reporter_notified',
      'escalated',
      'level_skipped',
      'handed_off',
      'escalated',
      'unowned',
    ]);
  });
});
