// The SLA clock's contract (DESIGN.md, "SLA clock semantics"): exact due instants for business hours, holidays,
// DST, odd offsets, after-hours targets, pauses and warnings, plus property tests over zones and week shapes.
import fc from 'fast-check';
import type { CalendarSpec, TargetSpec } from '../../src/shared/plan';
import {
  addBusinessTime,
  addCalendarTime,
  businessTimeBetween,
  CalendarError,
  computeDue,
  formatLocal,
  isWorkingTime,
  nextWorkingInstant,
  warningAt,
  workingIntervals,
  type Interval,
} from '../../src/sla/clock';
import {
  berlinEvenings,
  berlinLunch,
  berlinNights,
  berlinOffice,
  berlinSaturdayLate,
  berlinSundayEarly,
  calendar,
  CALENDARS,
  kathmanduOffice,
  kolkataOffice,
  lordHoweNights,
  lordHoweSundayEarly,
  newYorkNights,
  newYorkOffice,
  PROPERTY_WEEKS,
  PROPERTY_ZONES,
  weekdays,
} from './fixtures';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** An instant from an ISO string with its local offset, e.g. `2026-03-02T10:00+01:00` (Mon 10:00 in Berlin). */
const at = (text: string): number => {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new Error(`bad instant in test: ${text}`);
  return ms;
};
const iso = (ms: number): string => new Date(ms).toISOString();
const isoIntervals = (intervals: Interval[]): string[][] => intervals.map((i) => [iso(i.start), iso(i.end)]);

describe('business time on a Mon-Fri 09:00-17:00 Berlin calendar', () => {
  it('is due 30 business minutes after a start at Mon 10:00', () => {
    expect(iso(addBusinessTime(at('2026-03-02T10:00+01:00'), 30 * MINUTE, berlinOffice))).toBe(
      '2026-03-02T09:30:00.000Z',
    );
  });

  it('crosses the weekend: 30 minutes from Fri 16:45 are due Mon 09:15', () => {
    expect(iso(addBusinessTime(at('2026-03-06T16:45+01:00'), 30 * MINUTE, berlinOffice))).toBe(
      '2026-03-09T08:15:00.000Z',
    );
  });

  it('is due at closing time (Fri 17:00), not at the next opening, when the target runs out exactly then', () => {
    expect(iso(addBusinessTime(at('2026-03-06T16:30+01:00'), 30 * MINUTE, berlinOffice))).toBe(
      '2026-03-06T16:00:00.000Z',
    );
  });

  it('counts from the next opening when started at night', () => {
    expect(iso(addBusinessTime(at('2026-03-03T20:00+01:00'), HOUR, berlinOffice))).toBe('2026-03-04T09:00:00.000Z');
  });

  it('counts from Monday opening when started at the weekend', () => {
    expect(iso(addBusinessTime(at('2026-03-07T12:00+01:00'), HOUR, berlinOffice))).toBe('2026-03-09T09:00:00.000Z');
  });

  it('counts from the next working day when started on a holiday', () => {
    // Fri 2026-05-01 is a holiday: the clock starts Mon 2026-05-04 09:00 CEST.
    expect(iso(addBusinessTime(at('2026-05-01T10:00+02:00'), HOUR, berlinOffice))).toBe('2026-05-04T08:00:00.000Z');
  });

  it('counts from the end of the lunch break when started during it', () => {
    expect(iso(addBusinessTime(at('2026-03-02T12:15+01:00'), 30 * MINUTE, berlinLunch))).toBe(
      '2026-03-02T12:30:00.000Z',
    );
  });

  it('is due at the start of the lunch break when the target runs out then', () => {
    expect(iso(addBusinessTime(at('2026-03-02T11:00+01:00'), HOUR, berlinLunch))).toBe('2026-03-02T11:00:00.000Z');
  });

  it('counts from the next opening when started exactly at closing time', () => {
    expect(iso(addBusinessTime(at('2026-03-02T17:00+01:00'), 30 * MINUTE, berlinOffice))).toBe(
      '2026-03-03T08:30:00.000Z',
    );
  });

  it('is due at the start for a zero target started inside working hours', () => {
    expect(iso(addBusinessTime(at('2026-03-02T10:00+01:00'), 0, berlinOffice))).toBe('2026-03-02T09:00:00.000Z');
  });

  it('is due at the next opening for a zero target started outside working hours', () => {
    expect(iso(addBusinessTime(at('2026-03-02T17:00+01:00'), 0, berlinOffice))).toBe('2026-03-03T08:00:00.000Z');
    expect(iso(addBusinessTime(at('2026-03-07T12:00+01:00'), 0, berlinOffice))).toBe('2026-03-09T08:00:00.000Z');
  });

  it('handles a target longer than a week: 50 business hours from Mon 09:00 are due the Tuesday after 11:00', () => {
    expect(iso(addBusinessTime(at('2026-03-02T09:00+01:00'), 50 * HOUR, berlinOffice))).toBe(
      '2026-03-10T10:00:00.000Z',
    );
  });

  it('handles 100 business hours across the spring DST change and Easter', () => {
    // 72h by Thu 2026-04-02 (Good Friday and Easter Monday are holidays), 24h Tue-Thu, 4h on Fri 2026-04-10.
    expect(iso(addBusinessTime(at('2026-03-23T09:00+01:00'), 100 * HOUR, berlinOffice))).toBe(
      '2026-04-10T11:00:00.000Z',
    );
  });

  it('is exact to the millisecond', () => {
    expect(iso(addBusinessTime(at('2026-03-02T16:59:59.999+01:00'), 2, berlinOffice))).toBe('2026-03-03T08:00:00.001Z');
  });
});

describe('working hours', () => {
  it('are start-inclusive and end-exclusive', () => {
    expect(isWorkingTime(at('2026-03-02T09:00+01:00'), berlinOffice)).toBe(true);
    expect(isWorkingTime(at('2026-03-02T16:59:59.999+01:00'), berlinOffice)).toBe(true);
    expect(isWorkingTime(at('2026-03-02T17:00+01:00'), berlinOffice)).toBe(false);
    expect(isWorkingTime(at('2026-03-02T08:59:59.999+01:00'), berlinOffice)).toBe(false);
  });

  it('are listed clipped to the range asked for', () => {
    expect(
      isoIntervals(workingIntervals(at('2026-03-06T12:00+01:00'), at('2026-03-09T10:00+01:00'), berlinOffice)),
    ).toEqual([
      ['2026-03-06T11:00:00.000Z', '2026-03-06T16:00:00.000Z'],
      ['2026-03-09T08:00:00.000Z', '2026-03-09T09:00:00.000Z'],
    ]);
  });

  it('merge where they touch (Mon 22:00-24:00 and Tue 00:00-06:00 are one interval)', () => {
    const touching = calendar('touching', 'Europe/Berlin', {
      ...weekdays(),
      mon: [{ start: '22:00', end: '24:00' }],
      tue: [{ start: '00:00', end: '06:00' }],
    });
    expect(
      isoIntervals(workingIntervals(at('2026-03-02T00:00+01:00'), at('2026-03-04T00:00+01:00'), touching)),
    ).toEqual([['2026-03-02T21:00:00.000Z', '2026-03-03T05:00:00.000Z']]);
  });

  it('start at the next opening, or at the instant itself when it is working time', () => {
    expect(iso(nextWorkingInstant(at('2026-03-06T17:00+01:00'), berlinOffice))).toBe('2026-03-09T08:00:00.000Z');
    expect(iso(nextWorkingInstant(at('2026-03-06T12:34:56.789+01:00'), berlinOffice))).toBe('2026-03-06T11:34:56.789Z');
  });

  it('count as working time only inside [start, end) when measured between two instants', () => {
    expect(businessTimeBetween(at('2026-03-06T16:00+01:00'), at('2026-03-09T10:00+01:00'), berlinOffice)).toBe(
      2 * HOUR,
    );
    expect(businessTimeBetween(at('2026-03-09T10:00+01:00'), at('2026-03-06T16:00+01:00'), berlinOffice)).toBe(0);
  });
});

describe('holidays', () => {
  it('skip a Friday holiday (1 May)', () => {
    expect(iso(addBusinessTime(at('2026-04-30T16:00+02:00'), 2 * HOUR, berlinOffice))).toBe('2026-05-04T08:00:00.000Z');
  });

  it('skip a Monday holiday (Whit Monday)', () => {
    expect(iso(addBusinessTime(at('2026-05-22T16:00+02:00'), 2 * HOUR, berlinOffice))).toBe('2026-05-26T08:00:00.000Z');
  });

  it('let a night shift that started the evening before run to its end, and drop the one starting on the holiday', () => {
    // Christmas Day (Fri 2026-12-25) is a holiday for the 22:00-06:00 night shift.
    expect(
      isoIntervals(workingIntervals(at('2026-12-24T12:00+01:00'), at('2026-12-27T12:00+01:00'), berlinNights)),
    ).toEqual([
      ['2026-12-24T21:00:00.000Z', '2026-12-25T05:00:00.000Z'],
      ['2026-12-26T21:00:00.000Z', '2026-12-27T05:00:00.000Z'],
    ]);
    expect(isWorkingTime(at('2026-12-25T05:59+01:00'), berlinNights)).toBe(true);
    expect(isWorkingTime(at('2026-12-25T23:00+01:00'), berlinNights)).toBe(false);
  });

  it('count the rest of the pre-holiday night shift, then resume the night after the holiday', () => {
    // 1h until 06:00 on the holiday morning, then 1h of the Sat 2026-12-26 22:00 shift.
    expect(iso(addBusinessTime(at('2026-12-25T05:00+01:00'), 2 * HOUR, berlinNights))).toBe('2026-12-26T22:00:00.000Z');
  });
});

describe('daylight saving time', () => {
  it('counts the real 7 hours of a 22:00-06:00 night shift on the Berlin spring-forward night', () => {
    const night = workingIntervals(at('2026-03-28T12:00+01:00'), at('2026-03-29T12:00+02:00'), berlinNights);
    expect(isoIntervals(night)).toEqual([['2026-03-28T21:00:00.000Z', '2026-03-29T04:00:00.000Z']]);
    expect(iso(addBusinessTime(at('2026-03-28T22:00+01:00'), 7 * HOUR, berlinNights))).toBe('2026-03-29T04:00:00.000Z');
    expect(iso(addBusinessTime(at('2026-03-28T22:00+01:00'), 8 * HOUR, berlinNights))).toBe('2026-03-29T21:00:00.000Z');
  });

  it('counts the real 9 hours of a 22:00-06:00 night shift on the Berlin fall-back night', () => {
    expect(businessTimeBetween(at('2026-10-24T12:00+02:00'), at('2026-10-25T12:00+01:00'), berlinNights)).toBe(
      9 * HOUR,
    );
    expect(iso(addBusinessTime(at('2026-10-24T22:00+02:00'), 9 * HOUR, berlinNights))).toBe('2026-10-25T05:00:00.000Z');
  });

  it('counts the real 7 and 9 hours of New York night shifts on its DST nights', () => {
    expect(businessTimeBetween(at('2026-03-07T12:00-05:00'), at('2026-03-08T12:00-04:00'), newYorkNights)).toBe(
      7 * HOUR,
    );
    expect(businessTimeBetween(at('2026-10-31T12:00-04:00'), at('2026-11-01T12:00-05:00'), newYorkNights)).toBe(
      9 * HOUR,
    );
  });

  it('keeps New York office hours at local 09:00-17:00 across both changes', () => {
    expect(iso(addBusinessTime(at('2026-03-06T16:00-05:00'), 2 * HOUR, newYorkOffice))).toBe(
      '2026-03-09T14:00:00.000Z',
    );
    expect(iso(addBusinessTime(at('2026-10-30T16:00-04:00'), 2 * HOUR, newYorkOffice))).toBe(
      '2026-11-02T15:00:00.000Z',
    );
  });

  it('counts the real 8.5 and 7.5 hours of Lord Howe night shifts on its 30-minute DST nights', () => {
    expect(businessTimeBetween(at('2026-04-04T12:00+11:00'), at('2026-04-05T12:00+10:30'), lordHoweNights)).toBe(
      8.5 * HOUR,
    );
    expect(businessTimeBetween(at('2026-10-03T12:00+10:30'), at('2026-10-04T12:00+11:00'), lordHoweNights)).toBe(
      7.5 * HOUR,
    );
  });

  it("moves a boundary at 02:15 in Lord Howe's 30-minute spring gap forward by 30 minutes, to 02:45", () => {
    expect(
      isoIntervals(workingIntervals(at('2026-10-04T00:00+10:30'), at('2026-10-05T00:00+11:00'), lordHoweSundayEarly)),
    ).toEqual([['2026-10-03T15:45:00.000Z', '2026-10-03T19:00:00.000Z']]);
  });

  it('moves a start boundary at 02:30 in the spring gap forward by the gap, to 03:30', () => {
    expect(
      isoIntervals(workingIntervals(at('2026-03-29T00:00+01:00'), at('2026-03-30T00:00+02:00'), berlinSundayEarly)),
    ).toEqual([['2026-03-29T01:30:00.000Z', '2026-03-29T04:00:00.000Z']]);
  });

  it('moves an end boundary at 02:30 in the spring gap forward by the gap, to 03:30', () => {
    expect(
      isoIntervals(workingIntervals(at('2026-03-28T12:00+01:00'), at('2026-03-29T12:00+02:00'), berlinSaturdayLate)),
    ).toEqual([['2026-03-28T19:00:00.000Z', '2026-03-29T01:30:00.000Z']]);
  });

  it('takes the first occurrence of a start boundary at 02:30 in the repeated autumn hour', () => {
    expect(
      isoIntervals(workingIntervals(at('2026-10-25T00:00+02:00'), at('2026-10-26T00:00+01:00'), berlinSundayEarly)),
    ).toEqual([['2026-10-25T00:30:00.000Z', '2026-10-25T05:00:00.000Z']]);
  });

  it('takes the first occurrence of an end boundary at 02:30 in the repeated autumn hour', () => {
    expect(
      isoIntervals(workingIntervals(at('2026-10-24T12:00+02:00'), at('2026-10-25T12:00+01:00'), berlinSaturdayLate)),
    ).toEqual([['2026-10-24T18:00:00.000Z', '2026-10-25T00:30:00.000Z']]);
  });
});

describe('half-hour and 45-minute offsets, and 24:00', () => {
  it('opens at 09:00 IST (03:30Z) in Kolkata and crosses the weekend there', () => {
    expect(iso(nextWorkingInstant(at('2026-03-02T00:00+05:30'), kolkataOffice))).toBe('2026-03-02T03:30:00.000Z');
    expect(iso(addBusinessTime(at('2026-03-06T16:45+05:30'), 30 * MINUTE, kolkataOffice))).toBe(
      '2026-03-09T03:45:00.000Z',
    );
  });

  it('opens at 09:00 NPT (03:15Z) in Kathmandu and crosses the weekend there', () => {
    expect(iso(nextWorkingInstant(at('2026-03-02T00:00+05:45'), kathmanduOffice))).toBe('2026-03-02T03:15:00.000Z');
    expect(iso(addBusinessTime(at('2026-03-06T16:45+05:45'), 30 * MINUTE, kathmanduOffice))).toBe(
      '2026-03-09T03:30:00.000Z',
    );
  });

  it('closes a 16:00-24:00 day at the next local midnight', () => {
    expect(
      isoIntervals(workingIntervals(at('2026-03-02T00:00+01:00'), at('2026-03-03T00:00+01:00'), berlinEvenings)),
    ).toEqual([['2026-03-02T15:00:00.000Z', '2026-03-02T23:00:00.000Z']]);
    expect(isWorkingTime(at('2026-03-02T23:59:59.999+01:00'), berlinEvenings)).toBe(true);
    expect(isWorkingTime(at('2026-03-03T00:00+01:00'), berlinEvenings)).toBe(false);
    expect(iso(addBusinessTime(at('2026-03-02T23:30+01:00'), HOUR, berlinEvenings))).toBe('2026-03-03T15:30:00.000Z');
  });
});

describe('after-hours targets', () => {
  const respond: TargetSpec = { kind: 'business', ms: 30 * MINUTE, calendar: 'berlin-office', afterHoursMs: 12 * HOUR };

  it('uses 30 business minutes when raised in hours', () => {
    expect(computeDue(at('2026-03-02T10:00+01:00'), respond, CALENDARS)).toEqual({
      dueMs: at('2026-03-02T10:30+01:00'),
      afterHours: false,
      basis: 'business',
    });
  });

  it('uses 12 calendar hours when raised at 17:00:00 exactly (after hours)', () => {
    const due = computeDue(at('2026-03-02T17:00+01:00'), respond, CALENDARS);
    expect({ ...due, dueMs: iso(due.dueMs) }).toEqual({
      dueMs: '2026-03-03T04:00:00.000Z',
      afterHours: true,
      basis: 'after-hours',
    });
  });

  it('uses business time when raised at 16:59:59.999', () => {
    const due = computeDue(at('2026-03-02T16:59:59.999+01:00'), respond, CALENDARS);
    expect({ ...due, dueMs: iso(due.dueMs) }).toEqual({
      dueMs: '2026-03-03T08:29:59.999Z',
      afterHours: false,
      basis: 'business',
    });
  });

  it('counts business time from the next opening when a business target has no after-hours alternative', () => {
    const due = computeDue(at('2026-03-02T17:00+01:00'), { ...respond, afterHoursMs: undefined }, CALENDARS);
    expect(iso(due.dueMs)).toBe('2026-03-03T08:30:00.000Z');
    expect(due.basis).toBe('business');
  });

  it('ignores calendars for a calendar-time target', () => {
    const due = computeDue(at('2026-03-06T16:00+01:00'), { kind: 'calendar', ms: 4 * HOUR }, {});
    expect({ ...due, dueMs: iso(due.dueMs) }).toEqual({
      dueMs: '2026-03-06T19:00:00.000Z',
      afterHours: false,
      basis: 'calendar',
    });
  });

  it('names a missing calendar', () => {
    const target: TargetSpec = { kind: 'business', ms: HOUR, calendar: 'mars-office' };
    expect(() => computeDue(at('2026-03-02T10:00+01:00'), target, CALENDARS)).toThrow(CalendarError);
    expect(() => computeDue(at('2026-03-02T10:00+01:00'), target, CALENDARS)).toThrow(/"mars-office"/);
  });
});

describe('pauses', () => {
  const start = at('2026-03-02T10:00+01:00');

  it('shift the due time by the paused working time', () => {
    const pauses = [{ start: at('2026-03-02T10:30+01:00'), end: at('2026-03-02T11:00+01:00') }];
    expect(iso(addBusinessTime(start, 2 * HOUR, berlinOffice, pauses))).toBe('2026-03-02T11:30:00.000Z');
  });

  it('shift it only by the working part of a pause that spans the night', () => {
    // Paused Mon 16:00 - Tue 10:00: 1h on Monday and 1h on Tuesday count as paused.
    const pauses = [{ start: at('2026-03-02T16:00+01:00'), end: at('2026-03-03T10:00+01:00') }];
    expect(iso(addBusinessTime(start, 8 * HOUR, berlinOffice))).toBe('2026-03-03T09:00:00.000Z');
    expect(iso(addBusinessTime(start, 8 * HOUR, berlinOffice, pauses))).toBe('2026-03-03T11:00:00.000Z');
  });

  it('change nothing when they lie outside working hours', () => {
    const pauses = [{ start: at('2026-03-02T18:00+01:00'), end: at('2026-03-03T08:00+01:00') }];
    expect(iso(addBusinessTime(at('2026-03-02T16:00+01:00'), 2 * HOUR, berlinOffice, pauses))).toBe(
      '2026-03-03T09:00:00.000Z',
    );
  });

  it('count overlapping pauses once', () => {
    const pauses = [
      { start: at('2026-03-02T10:30+01:00'), end: at('2026-03-02T11:00+01:00') },
      { start: at('2026-03-02T10:45+01:00'), end: at('2026-03-02T11:15+01:00') },
    ];
    expect(iso(addBusinessTime(start, 2 * HOUR, berlinOffice, pauses))).toBe('2026-03-02T11:45:00.000Z');
    expect(businessTimeBetween(start, at('2026-03-02T12:00+01:00'), berlinOffice, pauses)).toBe(75 * MINUTE);
  });

  it('is due when the pause starts if the target runs out exactly then', () => {
    const pauses = [{ start: at('2026-03-02T11:00+01:00'), end: at('2026-03-02T12:00+01:00') }];
    expect(iso(addBusinessTime(start, HOUR, berlinOffice, pauses))).toBe('2026-03-02T10:00:00.000Z');
  });

  it('skip paused calendar time', () => {
    const pauses = [
      { start: at('2026-03-02T08:00+01:00'), end: at('2026-03-02T09:00+01:00') }, // before the start: ignored
      { start: at('2026-03-02T11:00+01:00'), end: at('2026-03-02T12:30+01:00') },
    ];
    expect(iso(addCalendarTime(start, 4 * HOUR, pauses))).toBe('2026-03-02T14:30:00.000Z');
    expect(iso(computeDue(start, { kind: 'calendar', ms: 4 * HOUR }, {}, pauses).dueMs)).toBe(
      '2026-03-02T14:30:00.000Z',
    );
  });

  it('skip paused calendar time in an after-hours target', () => {
    const target: TargetSpec = {
      kind: 'business',
      ms: 30 * MINUTE,
      calendar: 'berlin-office',
      afterHoursMs: 12 * HOUR,
    };
    const pauses = [{ start: at('2026-03-02T20:00+01:00'), end: at('2026-03-02T22:00+01:00') }];
    expect(iso(computeDue(at('2026-03-02T17:00+01:00'), target, CALENDARS, pauses).dueMs)).toBe(
      '2026-03-03T06:00:00.000Z',
    );
  });

  it('make a calendar clock started inside a pause begin when the pause ends', () => {
    const pauses = [{ start: at('2026-03-02T09:00+01:00'), end: at('2026-03-02T11:00+01:00') }];
    expect(iso(addCalendarTime(start, 0, pauses))).toBe('2026-03-02T10:00:00.000Z');
    expect(iso(addCalendarTime(start, HOUR, pauses))).toBe('2026-03-02T11:00:00.000Z');
  });
});

describe('warnings', () => {
  const respond: TargetSpec = { kind: 'business', ms: 30 * MINUTE, calendar: 'berlin-office', afterHoursMs: 12 * HOUR };

  it('fall at 75% of a business target', () => {
    expect(iso(warningAt(at('2026-03-02T10:00+01:00'), respond, 0.75, CALENDARS))).toBe('2026-03-02T09:22:30.000Z');
  });

  it('fall at 75% of business time across the weekend', () => {
    // 15 minutes on Friday, 7.5 on Monday.
    expect(iso(warningAt(at('2026-03-06T16:45+01:00'), respond, 0.75, CALENDARS))).toBe('2026-03-09T08:07:30.000Z');
  });

  it('fall at 75% of the after-hours target when raised after hours', () => {
    expect(iso(warningAt(at('2026-03-02T17:00+01:00'), respond, 0.75, CALENDARS))).toBe('2026-03-03T01:00:00.000Z');
  });

  it('fall at 75% of a calendar target, skipping pauses', () => {
    const pauses = [{ start: at('2026-03-02T11:00+01:00'), end: at('2026-03-02T12:00+01:00') }];
    expect(iso(warningAt(at('2026-03-02T10:00+01:00'), { kind: 'calendar', ms: 4 * HOUR }, 0.75, {}, pauses))).toBe(
      '2026-03-02T13:00:00.000Z',
    );
  });

  it('coincide with the due time at 100%', () => {
    const start = at('2026-03-06T16:45+01:00');
    expect(warningAt(start, respond, 1, CALENDARS)).toBe(computeDue(start, respond, CALENDARS).dueMs);
  });
});

describe('calendar errors', () => {
  const start = at('2026-03-02T10:00+01:00');

  it('reject a calendar with no working hours at all', () => {
    const empty = calendar('empty', 'Europe/Berlin', weekdays());
    expect(() => addBusinessTime(start, HOUR, empty)).toThrow(CalendarError);
    expect(() => nextWorkingInstant(start, empty)).toThrow(/"empty" has no working hours/);
  });

  it('reject a calendar whose every working day for 3 years is a holiday', () => {
    const holidays = Array.from({ length: 4 * 366 }, (_, i) => ({
      date: iso(start + i * DAY).slice(0, 10),
      name: 'x',
    }));
    const closed = calendar('closed', 'Europe/Berlin', weekdays({ start: '09:00', end: '17:00' }), holidays);
    expect(() => nextWorkingInstant(start, closed)).toThrow(CalendarError);
    expect(() => addBusinessTime(start, HOUR, closed)).toThrow(/"closed" has no working time for 3 years/);
  });

  it('reject an unknown zone, a malformed wall time and a malformed holiday', () => {
    const badZone = calendar('bad-zone', 'Europe/Atlantis', weekdays({ start: '09:00', end: '17:00' }));
    const badTime = calendar('bad-time', 'Europe/Berlin', weekdays({ start: '9:00', end: '17:00' }));
    const lateStart = calendar('late-start', 'Europe/Berlin', weekdays({ start: '24:00', end: '17:00' }));
    const badHoliday = calendar('bad-holiday', 'Europe/Berlin', weekdays({ start: '09:00', end: '17:00' }), [
      { date: '2026-02-30', name: 'nope' },
    ]);
    expect(() => isWorkingTime(start, badZone)).toThrow(/"Europe\/Atlantis" is not an IANA time zone/);
    expect(() => isWorkingTime(start, badTime)).toThrow(/"9:00" is not a wall time/);
    expect(() => isWorkingTime(start, lateStart)).toThrow(CalendarError);
    expect(() => isWorkingTime(start, badHoliday)).toThrow(/"2026-02-30" is not a date/);
  });

  it('are CalendarErrors by name', () => {
    const error = new CalendarError('x');
    expect(error.name).toBe('CalendarError');
    expect(error).toBeInstanceOf(Error);
  });
});

describe('formatLocal', () => {
  it('shows local weekday, date, time and zone abbreviation', () => {
    expect(formatLocal(at('2026-03-02T09:30+01:00'), 'Europe/Berlin')).toBe('Mon 2026-03-02 09:30 CET');
    expect(formatLocal(at('2026-07-03T09:30+02:00'), 'Europe/Berlin')).toBe('Fri 2026-07-03 09:30 CEST');
    expect(formatLocal(at('2026-03-02T09:30-05:00'), 'America/New_York')).toBe('Mon 2026-03-02 09:30 EST');
    expect(formatLocal(at('2026-03-02T09:30+05:30'), 'Asia/Kolkata')).toBe('Mon 2026-03-02 09:30 GMT+5:30');
  });

  it('shows seconds and milliseconds only when the instant has them', () => {
    expect(formatLocal(at('2026-03-02T16:59:59.999+01:00'), 'Europe/Berlin')).toBe('Mon 2026-03-02 16:59:59.999 CET');
    expect(formatLocal(at('2026-03-02T16:59:30+01:00'), 'Europe/Berlin')).toBe('Mon 2026-03-02 16:59:30 CET');
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Properties over zones with and without DST (Lord Howe's DST is 30 minutes), week shapes with lunch breaks,
// night shifts, touching/overlapping and 24-hour intervals, random holidays and pauses.

const RANGE_START = Date.parse('2025-01-01T00:00:00Z');
const RANGE_END = Date.parse('2028-12-31T00:00:00Z');
/** Instants near DST changes in the property zones, so edges are hit far more often than by chance. */
const DST_CHANGES = [
  '2026-03-29T01:00:00Z', // Berlin spring forward
  '2026-10-25T01:00:00Z', // Berlin fall back
  '2026-03-08T07:00:00Z', // New York spring forward
  '2026-11-01T06:00:00Z', // New York fall back
  '2026-04-04T15:00:00Z', // Lord Howe back 30 minutes (02:00 LHDT)
  '2026-10-03T15:30:00Z', // Lord Howe forward 30 minutes (02:00 LHST)
].map(Date.parse);

const arbInstant: fc.Arbitrary<number> = fc.oneof(
  fc.integer({ min: RANGE_START, max: RANGE_END }),
  // Whole quarter hours: starts and ends exactly at openings and closings.
  fc.integer({ min: RANGE_START / (15 * MINUTE), max: RANGE_END / (15 * MINUTE) }).map((q) => q * 15 * MINUTE),
  fc
    .tuple(fc.constantFrom(...DST_CHANGES), fc.integer({ min: -3 * 24 * 4, max: 3 * 24 * 4 }))
    .map(([change, quarters]) => change + quarters * 15 * MINUTE),
);

const arbDuration: fc.Arbitrary<number> = fc.oneof(
  fc.integer({ min: 1, max: 60 * HOUR }),
  fc.integer({ min: 1, max: 240 }).map((quarters) => quarters * 15 * MINUTE),
);

const arbCalendar: fc.Arbitrary<CalendarSpec> = fc
  .record({
    zone: fc.constantFrom(...PROPERTY_ZONES),
    week: fc.constantFrom(...Object.keys(PROPERTY_WEEKS)),
    holidays: fc.uniqueArray(fc.integer({ min: RANGE_START / DAY, max: RANGE_END / DAY }), { maxLength: 30 }),
  })
  .map(({ zone, week, holidays }) =>
    calendar(
      `${week}-${zone}`,
      zone,
      PROPERTY_WEEKS[week]!,
      holidays.map((day) => ({ date: iso(day * DAY).slice(0, 10), name: 'holiday' })),
    ),
  );

const arbPauses: fc.Arbitrary<Interval[]> = fc.array(
  fc.tuple(arbInstant, fc.integer({ min: 0, max: 3 * DAY })).map(([start, length]) => ({ start, end: start + length })),
  { maxLength: 4 },
);

const RUNS = { numRuns: 200 };

describe('properties of the business clock', () => {
  it('is strictly monotonic in the duration', () => {
    fc.assert(
      fc.property(arbCalendar, arbInstant, arbDuration, arbDuration, (cal, start, d1, d2) => {
        const [shorter, longer] = d1 <= d2 ? [d1, d2] : [d2, d1];
        const early = addBusinessTime(start, shorter, cal);
        const late = addBusinessTime(start, longer, cal);
        return shorter === longer ? early === late : early < late;
      }),
      RUNS,
    );
  });

  it('is additive for positive parts, also with pauses', () => {
    // Only for b > 0: add(s, a) may be a closing instant (or a pause's start), and a zero target from there is
    // due at the next opening by definition, while add(s, a + 0) is that closing instant. For b > 0 the second
    // leg skips the closed time in both readings, so they agree.
    fc.assert(
      fc.property(arbCalendar, arbInstant, arbDuration, arbDuration, arbPauses, (cal, start, a, b, pauses) => {
        const whole = addBusinessTime(start, a + b, cal, pauses);
        const inTwoLegs = addBusinessTime(addBusinessTime(start, a, cal, pauses), b, cal, pauses);
        expect(iso(inTwoLegs)).toBe(iso(whole));
      }),
      RUNS,
    );
  });

  it('lands inside a working interval or exactly at its end for positive durations', () => {
    fc.assert(
      fc.property(arbCalendar, arbInstant, arbDuration, (cal, start, duration) => {
        const due = addBusinessTime(start, duration, cal);
        const around = workingIntervals(due - 2 * DAY, due + 2 * DAY, cal);
        return around.some((i) => i.start < due && due <= i.end);
      }),
      RUNS,
    );
  });

  it('lands on working time for a zero duration', () => {
    fc.assert(
      fc.property(arbCalendar, arbInstant, (cal, start) => {
        const due = addBusinessTime(start, 0, cal);
        return due >= start && isWorkingTime(due, cal) && businessTimeBetween(start, due, cal) === 0;
      }),
      RUNS,
    );
  });

  it('round-trips: the working time up to the due instant is the duration, and 1 ms less just before it', () => {
    fc.assert(
      fc.property(arbCalendar, arbInstant, arbDuration, arbPauses, (cal, start, duration, pauses) => {
        const due = addBusinessTime(start, duration, cal, pauses);
        expect(businessTimeBetween(start, due, cal, pauses)).toBe(duration);
        expect(businessTimeBetween(start, due - 1, cal, pauses)).toBe(duration - 1);
      }),
      RUNS,
    );
  });

  it('agrees between isWorkingTime and workingIntervals', () => {
    fc.assert(
      fc.property(arbCalendar, arbInstant, (cal, instant) => {
        const around = workingIntervals(instant - 2 * DAY, instant + 2 * DAY, cal);
        return isWorkingTime(instant, cal) === around.some((i) => i.start <= instant && instant < i.end);
      }),
      RUNS,
    );
  });

  it('lists working intervals sorted, disjoint, not touching and inside the range asked for', () => {
    fc.assert(
      fc.property(arbCalendar, arbInstant, fc.integer({ min: 0, max: 10 * DAY }), (cal, from, length) => {
        const intervals = workingIntervals(from, from + length, cal);
        intervals.forEach((interval, index) => {
          expect(interval.start).toBeLessThan(interval.end);
          expect(interval.start).toBeGreaterThanOrEqual(from);
          expect(interval.end).toBeLessThanOrEqual(from + length);
          if (index > 0) expect(interval.start).toBeGreaterThan(intervals[index - 1]!.end);
        });
      }),
      RUNS,
    );
  });

  it('splits working time at any instant: between(a, c) = between(a, b) + between(b, c)', () => {
    fc.assert(
      fc.property(arbCalendar, arbInstant, fc.nat(5 * DAY), fc.nat(5 * DAY), (cal, a, ab, bc) => {
        const b = a + ab;
        const c = b + bc;
        return businessTimeBetween(a, c, cal) === businessTimeBetween(a, b, cal) + businessTimeBetween(b, c, cal);
      }),
      RUNS,
    );
  });
});

describe('properties of the calendar clock', () => {
  it('round-trips: elapsed minus paused time up to the due instant is the duration', () => {
    fc.assert(
      fc.property(arbInstant, arbDuration, arbPauses, (start, duration, pauses) => {
        const due = addCalendarTime(start, duration, pauses);
        const counted = due - start - overlapWithUnion(start, due, pauses);
        expect(counted).toBe(duration);
      }),
      RUNS,
    );
  });
});

/** Length of [from, to) covered by the union of `intervals` (a reference implementation by sweeping). */
function overlapWithUnion(from: number, to: number, intervals: Interval[]): number {
  const sorted = intervals
    .map((i) => ({ start: Math.max(i.start, from), end: Math.min(i.end, to) }))
    .filter((i) => i.end > i.start)
    .sort((x, y) => x.start - y.start);
  let covered = 0;
  let reach = from;
  for (const i of sorted) {
    if (i.end <= reach) continue;
    covered += i.end - Math.max(i.start, reach);
    reach = i.end;
  }
  return covered;
}
