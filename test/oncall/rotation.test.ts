// On-call rotations: who holds the pager at an instant, handoffs at local wall time across DST, layers and overrides.
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { findOnCall, onCallAt, RotationError, shiftAt, validateRotation } from '../../src/oncall/rotation';
import { WEEKDAYS, type Rotation, type Weekday, type WorkingInterval } from '../../src/shared/plan';
import { weeklyRotation as weekly } from '../support/rotations';
import { thrownBy } from '../support/thrown';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const at = (iso: string) => Date.parse(iso);

const daily = (overrides: Partial<Rotation> = {}) =>
  weekly({ handoff: { every: 'daily', time: '09:00' }, ...overrides });

const rotationError = (run: () => unknown) => thrownBy(RotationError, run);

describe('a weekly rotation (Monday 09:00 Europe/Berlin, ana, ben, chloe)', () => {
  it('puts participant 0 on call from the start date at the handoff time', () => {
    // 09:00 CET is 08:00 UTC.
    expect(onCallAt(weekly(), at('2026-03-02T08:00:00Z'))).toEqual(['ana']);
    expect(shiftAt(weekly(), at('2026-03-02T08:00:00Z'))).toEqual({
      index: 0,
      startMs: at('2026-03-02T08:00:00Z'),
      endMs: at('2026-03-09T08:00:00Z'),
    });
  });

  it('keeps the previous person at Monday 08:59 and hands off to the next at 09:00', () => {
    expect(onCallAt(weekly(), at('2026-03-09T07:59:00Z'))).toEqual(['ana']);
    expect(onCallAt(weekly(), at('2026-03-09T07:59:59.999Z'))).toEqual(['ana']);
    expect(onCallAt(weekly(), at('2026-03-09T08:00:00Z'))).toEqual(['ben']);
  });

  it('cycles through the participants week after week and wraps around', () => {
    const mondays = ['2026-03-02', '2026-03-09', '2026-03-16', '2026-03-23', '2026-03-30', '2026-04-06', '2026-04-20'];
    // From 2026-03-30 Berlin is on CEST, so 09:00 local is 07:00 UTC.
    const whoAtTen = mondays.map((day) =>
      onCallAt(weekly(), DateTime.fromISO(`${day}T10:00`, { zone: 'Europe/Berlin' }).toMillis()),
    );
    expect(whoAtTen).toEqual([['ana'], ['ben'], ['chloe'], ['ana'], ['ben'], ['chloe'], ['ben']]);
    expect(shiftAt(weekly(), at('2026-04-20T07:00:00Z'))?.index).toBe(7);
  });

  it('has nobody on call before the first shift', () => {
    expect(onCallAt(weekly(), at('2026-03-02T07:59:59.999Z'))).toEqual([]);
    expect(onCallAt(weekly(), at('2025-12-24T12:00:00Z'))).toEqual([]);
    expect(shiftAt(weekly(), at('2026-03-02T07:59:59.999Z'))).toBeUndefined();
  });

  it('starts on the first handoff day on or after a start date that is not the handoff day', () => {
    const fromWednesday = weekly({ start: '2026-03-04' });
    expect(onCallAt(fromWednesday, at('2026-03-04T12:00:00Z'))).toEqual([]);
    expect(onCallAt(fromWednesday, at('2026-03-09T07:59:00Z'))).toEqual([]);
    expect(shiftAt(fromWednesday, at('2026-03-09T08:00:00Z'))).toEqual({
      index: 0,
      startMs: at('2026-03-09T08:00:00Z'),
      endMs: at('2026-03-16T08:00:00Z'),
    });
    expect(onCallAt(fromWednesday, at('2026-03-16T08:00:00Z'))).toEqual(['ben']);
  });

  it('keeps the handoff at 09:00 local across the spring DST change: that week is one hour shorter', () => {
    // Berlin moves to CEST on Sunday 2026-03-29: the shift from Monday 03-23 ends on Monday 03-30 at 09:00 CEST.
    const shift = shiftAt(weekly(), at('2026-03-29T12:00:00Z'));
    expect(shift).toEqual({ index: 3, startMs: at('2026-03-23T08:00:00Z'), endMs: at('2026-03-30T07:00:00Z') });
    expect(shift!.endMs - shift!.startMs).toBe(7 * DAY - HOUR);
    expect(onCallAt(weekly(), at('2026-03-30T06:59:59.999Z'))).toEqual(['ana']);
    expect(onCallAt(weekly(), at('2026-03-30T07:00:00Z'))).toEqual(['ben']);
  });

  it('keeps the handoff at 09:00 local across the autumn DST change: that week is one hour longer', () => {
    const shift = shiftAt(weekly(), at('2026-10-25T12:00:00Z'));
    expect(shift).toEqual({ index: 33, startMs: at('2026-10-19T07:00:00Z'), endMs: at('2026-10-26T08:00:00Z') });
    expect(shift!.endMs - shift!.startMs).toBe(7 * DAY + HOUR);
    // Shift 33 is ana's (33 mod 3 = 0); at 08:30 UTC (09:30 CET) on Monday it is ben's.
    expect(onCallAt(weekly(), at('2026-10-26T07:30:00Z'))).toEqual(['ana']);
    expect(onCallAt(weekly(), at('2026-10-26T08:30:00Z'))).toEqual(['ben']);
  });
});

describe('a daily rotation (09:00 Europe/Berlin, ana, ben, chloe)', () => {
  it('hands off every day at 09:00 local', () => {
    expect(onCallAt(daily(), at('2026-03-02T08:00:00Z'))).toEqual(['ana']);
    expect(onCallAt(daily(), at('2026-03-03T07:59:59.999Z'))).toEqual(['ana']);
    expect(onCallAt(daily(), at('2026-03-03T08:00:00Z'))).toEqual(['ben']);
    expect(onCallAt(daily(), at('2026-03-04T08:00:00Z'))).toEqual(['chloe']);
    expect(onCallAt(daily(), at('2026-03-05T08:00:00Z'))).toEqual(['ana']);
    expect(shiftAt(daily(), at('2026-03-05T20:00:00Z'))).toEqual({
      index: 3,
      startMs: at('2026-03-05T08:00:00Z'),
      endMs: at('2026-03-06T08:00:00Z'),
    });
  });

  it('makes the shift over the spring DST change 23 hours long (2026-03-28 09:00 CET to 03-29 09:00 CEST)', () => {
    const shift = shiftAt(daily(), at('2026-03-28T12:00:00Z'));
    expect(shift).toEqual({ index: 26, startMs: at('2026-03-28T08:00:00Z'), endMs: at('2026-03-29T07:00:00Z') });
    expect(shift!.endMs - shift!.startMs).toBe(23 * HOUR);
    expect(onCallAt(daily(), at('2026-03-29T06:59:59.999Z'))).toEqual(['chloe']);
    expect(onCallAt(daily(), at('2026-03-29T07:00:00Z'))).toEqual(['ana']);
  });

  it('makes the shift over the autumn DST change 25 hours long (2026-10-24 09:00 CEST to 10-25 09:00 CET)', () => {
    const shift = shiftAt(daily(), at('2026-10-24T12:00:00Z'));
    expect(shift).toEqual({ index: 236, startMs: at('2026-10-24T07:00:00Z'), endMs: at('2026-10-25T08:00:00Z') });
    expect(shift!.endMs - shift!.startMs).toBe(25 * HOUR);
    expect(onCallAt(daily(), at('2026-10-25T07:59:59.999Z'))).toEqual(['chloe']);
    expect(onCallAt(daily(), at('2026-10-25T08:00:00Z'))).toEqual(['ana']);
  });

  it('hands off at 03:30 when 02:30 does not exist, and back at 02:30 the next day', () => {
    const nightly = daily({ handoff: { every: 'daily', time: '02:30' } });
    // 2026-03-29 02:00 CET jumps to 03:00 CEST: the handoff happens when the clock resumes, then returns to 02:30.
    expect(shiftAt(nightly, at('2026-03-29T03:00:00Z'))).toEqual({
      index: 27,
      startMs: at('2026-03-29T01:30:00Z'),
      endMs: at('2026-03-30T00:30:00Z'),
    });
  });
});

describe('a rotation with layers', () => {
  const layered = weekly({
    layers: [{ participants: ['ana', 'ben', 'chloe'] }, { participants: ['dan', 'eve'] }],
  });

  it('puts every layer’s current participant on call, the later (primary) layer first', () => {
    expect(onCallAt(layered, at('2026-03-02T08:00:00Z'))).toEqual(['dan', 'ana']);
    expect(onCallAt(layered, at('2026-03-09T08:00:00Z'))).toEqual(['eve', 'ben']);
    expect(onCallAt(layered, at('2026-03-16T08:00:00Z'))).toEqual(['dan', 'chloe']);
    expect(onCallAt(layered, at('2026-03-23T08:00:00Z'))).toEqual(['eve', 'ana']);
  });

  it('lists a person on call in two layers once, where the primary layer puts them', () => {
    const overlapping = weekly({ layers: [{ participants: ['ana', 'ben'] }, { participants: ['ana'] }] });
    expect(onCallAt(overlapping, at('2026-03-02T08:00:00Z'))).toEqual(['ana']);
    expect(onCallAt(overlapping, at('2026-03-09T08:00:00Z'))).toEqual(['ana', 'ben']);
  });

  it('takes nobody from a layer without participants', () => {
    const withEmpty = weekly({ layers: [{ participants: ['ana', 'ben'] }, { participants: [] }] });
    expect(onCallAt(withEmpty, at('2026-03-09T08:00:00Z'))).toEqual(['ben']);
    expect(onCallAt(weekly({ layers: [] }), at('2026-03-09T08:00:00Z'))).toEqual([]);
    // The shift still runs: only who fills it is missing.
    expect(shiftAt(weekly({ layers: [] }), at('2026-03-09T08:00:00Z'))?.index).toBe(1);
  });
});

describe('rotation overrides', () => {
  // Week of Monday 2026-12-21 is shift 42, ana's; Berlin is on CET (UTC+1).
  const christmas = weekly({
    layers: [{ participants: ['ana', 'ben', 'chloe'] }, { participants: ['dan', 'eve'] }],
    overrides: [{ person: 'fay', from: '2026-12-24T18:00', to: '2026-12-27T09:00' }],
  });

  it('replaces every layer with the override person only inside [from, to)', () => {
    expect(onCallAt(christmas, at('2026-12-24T16:59:59.999Z'))).toEqual(['dan', 'ana']);
    expect(onCallAt(christmas, at('2026-12-24T17:00:00Z'))).toEqual(['fay']);
    expect(onCallAt(christmas, at('2026-12-26T12:00:00Z'))).toEqual(['fay']);
    expect(onCallAt(christmas, at('2026-12-27T07:59:59.999Z'))).toEqual(['fay']);
    expect(onCallAt(christmas, at('2026-12-27T08:00:00Z'))).toEqual(['dan', 'ana']);
  });

  it('does not change the shifts themselves', () => {
    expect(shiftAt(christmas, at('2026-12-25T12:00:00Z'))).toEqual({
      index: 42,
      startMs: at('2026-12-21T08:00:00Z'),
      endMs: at('2026-12-28T08:00:00Z'),
    });
  });

  it('puts the latest-listed of overlapping overrides first', () => {
    const overlapping = weekly({
      overrides: [
        { person: 'fay', from: '2026-12-24T18:00', to: '2026-12-27T09:00' },
        { person: 'gus', from: '2026-12-25T00:00', to: '2026-12-26T00:00' },
        { person: 'fay', from: '2026-12-25T08:00', to: '2026-12-25T10:00' },
      ],
    });
    expect(onCallAt(overlapping, at('2026-12-24T23:00:00Z'))).toEqual(['gus', 'fay']);
    expect(onCallAt(overlapping, at('2026-12-25T08:00:00Z'))).toEqual(['fay', 'gus']);
    expect(onCallAt(overlapping, at('2026-12-25T23:00:00Z'))).toEqual(['fay']);
  });

  it('applies before the first shift too: an override says explicitly who is on call', () => {
    const early = weekly({ overrides: [{ person: 'fay', from: '2026-02-28T00:00', to: '2026-03-02T09:00' }] });
    expect(onCallAt(early, at('2026-02-27T22:59:59.999Z'))).toEqual([]);
    expect(onCallAt(early, at('2026-03-01T12:00:00Z'))).toEqual(['fay']);
    expect(onCallAt(early, at('2026-03-02T08:00:00Z'))).toEqual(['ana']);
  });
});

/** On-call hours as a plan holds them: every weekday named, days left out without intervals. */
function hours(days: Partial<Record<Weekday, WorkingInterval[]>>): Record<Weekday, WorkingInterval[]> {
  return Object.fromEntries(WEEKDAYS.map((day) => [day, days[day] ?? []])) as Record<Weekday, WorkingInterval[]>;
}

const office = [{ start: '08:00', end: '18:00' }];

describe('on-call hours (weekly rotation, on call mon-fri 08:00-18:00 Europe/Berlin)', () => {
  const officeHours = weekly({
    onCallHours: hours({ mon: office, tue: office, wed: office, thu: office, fri: office }),
  });
  const outside = 'outside its on-call hours mon-fri 08:00-18:00 Europe/Berlin';

  it('puts the shift’s participant on call inside the hours', () => {
    // Tuesday 2026-12-01 12:00 CET is in shift 39 (from Monday 2026-11-30 09:00), ana's (39 mod 3 = 0).
    expect(findOnCall(officeHours, at('2026-12-01T11:00:00Z'))).toEqual({ people: ['ana'] });
  });

  it('starts the hours at 08:00:00.000 local, inclusive', () => {
    expect(findOnCall(officeHours, at('2026-12-01T06:59:59.999Z'))).toEqual({ people: [], nobody: outside });
    expect(findOnCall(officeHours, at('2026-12-01T07:00:00Z'))).toEqual({ people: ['ana'] });
  });

  it('ends the hours at 18:00 local, exclusive', () => {
    expect(findOnCall(officeHours, at('2026-12-01T16:59:59.999Z'))).toEqual({ people: ['ana'] });
    expect(findOnCall(officeHours, at('2026-12-01T17:00:00Z'))).toEqual({ people: [], nobody: outside });
  });

  it('has nobody on call in the weekend gap, and says why', () => {
    expect(findOnCall(officeHours, at('2026-12-05T21:00:00Z'))).toEqual({ people: [], nobody: outside });
    expect(onCallAt(officeHours, at('2026-12-06T12:00:00Z'))).toEqual([]);
    expect(onCallAt(officeHours, at('2026-12-04T16:59:59.999Z'))).toEqual(['ana']);
    // Monday 08:00 is inside the hours but before the 09:00 handoff: last week's participant is on call again.
    expect(onCallAt(officeHours, at('2026-12-07T07:00:00Z'))).toEqual(['ana']);
    expect(onCallAt(officeHours, at('2026-12-07T08:00:00Z'))).toEqual(['ben']);
  });

  it('keeps the shifts themselves: hours decide whether the participant is on call, not whose turn it is', () => {
    expect(shiftAt(officeHours, at('2026-12-05T21:00:00Z'))).toEqual({
      index: 39,
      startMs: at('2026-11-30T08:00:00Z'),
      endMs: at('2026-12-07T08:00:00Z'),
    });
  });

  it('follows local wall time across the spring DST change: 08:00 is 07:00 UTC on Friday, 06:00 UTC on Monday', () => {
    // Berlin moves to CEST on Sunday 2026-03-29.
    expect(onCallAt(officeHours, at('2026-03-27T06:59:59.999Z'))).toEqual([]);
    expect(onCallAt(officeHours, at('2026-03-27T07:00:00Z'))).toEqual(['ana']);
    expect(onCallAt(officeHours, at('2026-03-27T16:59:59.999Z'))).toEqual(['ana']);
    expect(onCallAt(officeHours, at('2026-03-27T17:00:00Z'))).toEqual([]);
    expect(onCallAt(officeHours, at('2026-03-30T05:59:59.999Z'))).toEqual([]);
    expect(onCallAt(officeHours, at('2026-03-30T06:00:00Z'))).toEqual(['ana']);
    expect(onCallAt(officeHours, at('2026-03-30T15:59:59.999Z'))).toEqual(['ben']);
    expect(onCallAt(officeHours, at('2026-03-30T16:00:00Z'))).toEqual([]);
  });

  it('counts a night across the spring DST change in real time: Sat 22:00 CET to Sun 06:00 CEST is 7 hours', () => {
    const nights = weekly({ onCallHours: hours({ sat: [{ start: '22:00', end: '06:00' }] }) });
    expect(onCallAt(nights, at('2026-03-28T20:59:59.999Z'))).toEqual([]);
    expect(onCallAt(nights, at('2026-03-28T21:00:00Z'))).toEqual(['ana']);
    expect(onCallAt(nights, at('2026-03-29T03:59:59.999Z'))).toEqual(['ana']);
    expect(findOnCall(nights, at('2026-03-29T04:00:00Z'))).toEqual({
      people: [],
      nobody: 'outside its on-call hours sat 22:00-06:00 Europe/Berlin',
    });
  });

  it('moves a boundary in the DST gap forward by the gap: 02:30 on 2026-03-29 is 03:30 CEST', () => {
    const early = weekly({ onCallHours: hours({ sun: [{ start: '02:30', end: '05:00' }] }) });
    expect(onCallAt(early, at('2026-03-29T01:29:59.999Z'))).toEqual([]);
    expect(onCallAt(early, at('2026-03-29T01:30:00Z'))).toEqual(['ana']);
    expect(onCallAt(early, at('2026-03-29T02:59:59.999Z'))).toEqual(['ana']);
    expect(onCallAt(early, at('2026-03-29T03:00:00Z'))).toEqual([]);
  });

  it('takes the first occurrence of a boundary in the repeated hour: 02:30 on 2026-10-25 is 02:30 CEST', () => {
    const early = weekly({ onCallHours: hours({ sun: [{ start: '02:30', end: '04:00' }] }) });
    expect(onCallAt(early, at('2026-10-25T00:29:59.999Z'))).toEqual([]);
    // Shift 33 (from Monday 2026-10-19) is ana's.
    expect(onCallAt(early, at('2026-10-25T00:30:00Z'))).toEqual(['ana']);
    // Until 04:00 CET, after the repeated hour: two and a half hours of real time on call.
    expect(onCallAt(early, at('2026-10-25T02:59:59.999Z'))).toEqual(['ana']);
    expect(onCallAt(early, at('2026-10-25T03:00:00Z'))).toEqual([]);
  });

  it('lets an override put somebody on call outside the hours', () => {
    const covered = weekly({
      onCallHours: officeHours.onCallHours!,
      overrides: [{ person: 'fay', from: '2026-12-05T20:00', to: '2026-12-06T08:00' }],
    });
    expect(findOnCall(covered, at('2026-12-05T21:00:00Z'))).toEqual({ people: ['fay'] });
    expect(findOnCall(covered, at('2026-12-06T07:00:00Z'))).toEqual({ people: [], nobody: outside });
  });

  it('rejects hours that cannot be read, and hours with no interval on any day', () => {
    const badStart = weekly({ onCallHours: hours({ mon: [{ start: '8:00', end: '18:00' }] }) });
    expect(rotationError(() => validateRotation(badStart)).message).toBe(
      'rotation billing-oncall: onCallHours.mon[0].start "8:00" is not a local time HH:MM (00:00 to 23:59, e.g. 09:00)',
    );
    const emptyInterval = weekly({ onCallHours: hours({ tue: [{ start: '08:00', end: '08:00' }] }) });
    expect(rotationError(() => validateRotation(emptyInterval)).message).toBe(
      'rotation billing-oncall: onCallHours.tue[0] 08:00-08:00 is empty: start and end are the same time',
    );
    expect(rotationError(() => validateRotation(weekly({ onCallHours: hours({}) }))).message).toBe(
      'rotation billing-oncall: onCallHours has no interval on any day: nobody would ever be on call (leave it out for round the clock)',
    );
    expect(() =>
      validateRotation(weekly({ onCallHours: hours({ sun: [{ start: '18:00', end: '24:00' }] }) })),
    ).not.toThrow();
  });
});

describe('why nobody is on call', () => {
  it('before the first shift: the rotation has not started', () => {
    expect(findOnCall(weekly(), at('2026-03-02T07:59:59.999Z'))).toEqual({
      people: [],
      nobody: 'before its start: the first shift begins 2026-03-02 09:00 Europe/Berlin',
    });
    // A start date off the handoff day starts at the next handoff.
    expect(findOnCall(weekly({ start: '2026-03-04' }), at('2026-03-04T12:00:00Z')).nobody).toBe(
      'before its start: the first shift begins 2026-03-09 09:00 Europe/Berlin',
    );
  });

  it('an empty layer: a rotation only overrides staff', () => {
    const byOverride = weekly({
      layers: [{ participants: [] }],
      overrides: [{ person: 'fay', from: '2026-12-24T18:00', to: '2026-12-27T09:00' }],
    });
    expect(findOnCall(byOverride, at('2026-12-24T16:59:59.999Z'))).toEqual({ people: [], nobody: 'empty layer' });
    expect(findOnCall(byOverride, at('2026-12-24T17:00:00Z'))).toEqual({ people: ['fay'] });
    expect(findOnCall(weekly({ layers: [{ participants: [] }, { participants: [] }] }), 0).nobody).toBe(
      'every layer is empty',
    );
    expect(findOnCall(weekly({ layers: [] }), 0).nobody).toBe('no layers');
  });

  it('gives no reason when somebody is on call', () => {
    expect(findOnCall(weekly(), at('2026-03-02T08:00:00Z'))).toEqual({ people: ['ana'] });
  });
});

describe('a rotation in America/New_York (weekly, Friday 17:00)', () => {
  const ny = weekly({
    id: 'us-oncall',
    zone: 'America/New_York',
    handoff: { every: 'weekly', day: 'fri', time: '17:00' },
    start: '2026-03-06',
    layers: [{ participants: ['ana', 'ben'] }],
  });

  it('hands off at 17:00 New York time, EST then EDT (DST starts 2026-03-08)', () => {
    expect(onCallAt(ny, at('2026-03-06T21:59:59.999Z'))).toEqual([]);
    expect(onCallAt(ny, at('2026-03-06T22:00:00Z'))).toEqual(['ana']);
    expect(shiftAt(ny, at('2026-03-10T12:00:00Z'))).toEqual({
      index: 0,
      startMs: at('2026-03-06T22:00:00Z'),
      endMs: at('2026-03-13T21:00:00Z'),
    });
    expect(onCallAt(ny, at('2026-03-13T20:59:59.999Z'))).toEqual(['ana']);
    expect(onCallAt(ny, at('2026-03-13T21:00:00Z'))).toEqual(['ben']);
  });

  it('lengthens the week over the end of DST (2026-11-01)', () => {
    // Friday 2026-10-30 17:00 EDT = 21:00 UTC; Friday 2026-11-06 17:00 EST = 22:00 UTC.
    expect(shiftAt(ny, at('2026-11-02T12:00:00Z'))).toEqual({
      index: 34,
      startMs: at('2026-10-30T21:00:00Z'),
      endMs: at('2026-11-06T22:00:00Z'),
    });
  });
});

describe('invalid rotation specs', () => {
  it('rejects an unknown time zone, naming the rotation and an example', () => {
    const error = rotationError(() => onCallAt(weekly({ zone: 'Europe/Berln' }), 0));
    expect(error.name).toBe('RotationError');
    expect(error.rotation).toBe('billing-oncall');
    expect(error.message).toBe(
      'rotation billing-oncall: zone "Europe/Berln" is not an IANA time zone (e.g. Europe/Berlin)',
    );
  });

  it.each(['9:00', '24:00', '09:60', '0900', ''])('rejects the handoff time %j', (time) => {
    const error = rotationError(() => shiftAt(daily({ handoff: { every: 'daily', time } }), 0));
    expect(error.message).toBe(
      `rotation billing-oncall: handoff.time ${JSON.stringify(time)} is not a local time HH:MM (00:00 to 23:59, e.g. 09:00)`,
    );
  });

  it.each(['2026-02-30', '2026-3-2', '02.03.2026'])('rejects the start date %j', (start) => {
    expect(rotationError(() => validateRotation(weekly({ start }))).message).toBe(
      `rotation billing-oncall: start ${JSON.stringify(start)} is not a calendar date YYYY-MM-DD (e.g. 2026-03-02)`,
    );
  });

  it('rejects a weekly rotation without a handoff day', () => {
    expect(rotationError(() => validateRotation(weekly({ handoff: { every: 'weekly', time: '09:00' } }))).message).toBe(
      'rotation billing-oncall: handoff.day undefined must be one of mon, tue, wed, thu, fri, sat, sun for a weekly rotation',
    );
  });

  it('rejects overrides with a malformed date-time or that end before they start', () => {
    const malformed = weekly({ overrides: [{ person: 'fay', from: '2026-12-24 18:00', to: '2026-12-27T09:00' }] });
    expect(rotationError(() => validateRotation(malformed)).message).toBe(
      'rotation billing-oncall: overrides[0].from "2026-12-24 18:00" is not a local date-time YYYY-MM-DDTHH:MM in Europe/Berlin (e.g. 2026-12-24T18:00)',
    );
    const backwards = weekly({ overrides: [{ person: 'fay', from: '2026-12-27T09:00', to: '2026-12-24T18:00' }] });
    expect(rotationError(() => validateRotation(backwards)).message).toBe(
      'rotation billing-oncall: overrides[0] for fay ends (2026-12-24T18:00) before it starts (2026-12-27T09:00)',
    );
  });

  it('accepts a valid spec', () => {
    expect(() => validateRotation(weekly())).not.toThrow();
  });
});

describe('single-layer rotations (property)', () => {
  // Hours 01–03 are left out so no handoff falls into a DST gap, where it would move to the end of the gap.
  const hours = fc.oneof(fc.constant(0), fc.integer({ min: 4, max: 23 }));
  const spec = fc.record({
    zone: fc.constantFrom('Europe/Berlin', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata', 'UTC'),
    weekly: fc.boolean(),
    day: fc.constantFrom(...WEEKDAYS),
    hour: hours,
    minute: fc.integer({ min: 0, max: 59 }),
    startDay: fc.integer({ min: 0, max: 365 * 10 }),
    n: fc.integer({ min: 1, max: 6 }),
    // At least 8 days after the start date: past the first handoff whatever the zone and weekday.
    offsetMs: fc.integer({ min: 8 * DAY, max: 3 * 365 * DAY }),
    within: fc.nat(),
  });

  it('has exactly one person on call after the start, changing only at handoff instants', () => {
    fc.assert(
      fc.property(spec, (s) => {
        const participants = Array.from({ length: s.n }, (_, i) => `p${i}`);
        const startDate = DateTime.fromISO('2020-01-01', { zone: 'utc' }).plus({ days: s.startDay });
        const time = `${String(s.hour).padStart(2, '0')}:${String(s.minute).padStart(2, '0')}`;
        const rotation = weekly({
          zone: s.zone,
          handoff: s.weekly ? { every: 'weekly', day: s.day, time } : { every: 'daily', time },
          start: startDate.toISODate()!,
          layers: [{ participants }],
        });
        const t = startDate.toMillis() + s.offsetMs;
        const shift = shiftAt(rotation, t)!;
        const owner = [participants[shift.index % s.n]];

        expect(shift.startMs).toBeLessThanOrEqual(t);
        expect(t).toBeLessThan(shift.endMs);
        expect(onCallAt(rotation, t)).toEqual(owner);
        // Constant over the whole shift...
        expect(onCallAt(rotation, shift.startMs)).toEqual(owner);
        expect(onCallAt(rotation, shift.endMs - 1)).toEqual(owner);
        expect(onCallAt(rotation, shift.startMs + (s.within % (shift.endMs - shift.startMs)))).toEqual(owner);
        // ...handed on at its end to the next participant, in a shift that starts exactly there.
        expect(shiftAt(rotation, shift.endMs)).toMatchObject({ index: shift.index + 1, startMs: shift.endMs });
        expect(onCallAt(rotation, shift.endMs)).toEqual([participants[(shift.index + 1) % s.n]]);
        if (s.n > 1) expect(onCallAt(rotation, shift.endMs)).not.toEqual(owner);
        // Handoffs happen at the handoff's local wall time (and weekday), one day or week apart give or take DST.
        const local = DateTime.fromMillis(shift.startMs, { zone: s.zone });
        expect([local.hour, local.minute]).toEqual([s.hour, s.minute]);
        if (s.weekly) expect(WEEKDAYS[local.weekday - 1]).toBe(s.day);
        const nominal = (s.weekly ? 7 : 1) * DAY;
        expect(Math.abs(shift.endMs - shift.startMs - nominal)).toBeLessThanOrEqual(HOUR);
        // Nobody before the start date begins anywhere on Earth.
        expect(onCallAt(rotation, startDate.toMillis() - 15 * HOUR)).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});
