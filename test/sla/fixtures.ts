// Calendars the SLA clock tests run on: office hours, lunch breaks, night shifts, DST edges, odd offsets.
import type { CalendarSpec, Holiday, WorkingInterval } from '../../src/shared/plan';

type Week = CalendarSpec['week'];

const NONE: WorkingInterval[] = [];

/** The same intervals Monday to Friday, nothing at the weekend. */
export function weekdays(...intervals: WorkingInterval[]): Week {
  return { mon: intervals, tue: intervals, wed: intervals, thu: intervals, fri: intervals, sat: NONE, sun: NONE };
}

/** The same intervals every day of the week. */
export function everyDay(...intervals: WorkingInterval[]): Week {
  return {
    mon: intervals,
    tue: intervals,
    wed: intervals,
    thu: intervals,
    fri: intervals,
    sat: intervals,
    sun: intervals,
  };
}

export function calendar(id: string, zone: string, week: Week, holidays: Holiday[] = []): CalendarSpec {
  return { id, name: id, zone, week, holidays };
}

const NINE_TO_FIVE = { start: '09:00', end: '17:00' };

/** German public holidays in 2026 that fall on weekdays (1 May is a Friday, Whit Monday a Monday). */
export const BERLIN_HOLIDAYS_2026: Holiday[] = [
  { date: '2026-01-01', name: 'Neujahr' },
  { date: '2026-04-03', name: 'Karfreitag' },
  { date: '2026-04-06', name: 'Ostermontag' },
  { date: '2026-05-01', name: 'Tag der Arbeit' },
  { date: '2026-05-25', name: 'Pfingstmontag' },
  { date: '2026-12-25', name: '1. Weihnachtstag' },
];

/** Mon-Fri 09:00-17:00 in Berlin with the 2026 holidays. */
export const berlinOffice = calendar('berlin-office', 'Europe/Berlin', weekdays(NINE_TO_FIVE), BERLIN_HOLIDAYS_2026);

/** Mon-Fri 09:00-12:00 and 13:00-17:00 in Berlin (lunch break). */
export const berlinLunch = calendar(
  'berlin-lunch',
  'Europe/Berlin',
  weekdays({ start: '09:00', end: '12:00' }, { start: '13:00', end: '17:00' }),
);

/** A night shift 22:00-06:00 every night in Berlin; Christmas Day is a holiday. */
export const berlinNights = calendar('berlin-nights', 'Europe/Berlin', everyDay({ start: '22:00', end: '06:00' }), [
  { date: '2026-12-25', name: '1. Weihnachtstag' },
]);

/** A night shift 22:00-06:00 every night in New York. */
export const newYorkNights = calendar(
  'new-york-nights',
  'America/New_York',
  everyDay({ start: '22:00', end: '06:00' }),
);

/** Mon-Fri 09:00-17:00 in New York. */
export const newYorkOffice = calendar('new-york-office', 'America/New_York', weekdays(NINE_TO_FIVE));

/** Sundays only, 02:30-06:00 in Berlin: a start boundary inside the spring gap and the autumn repeated hour. */
export const berlinSundayEarly = calendar('berlin-sunday-early', 'Europe/Berlin', {
  ...weekdays(),
  sun: [{ start: '02:30', end: '06:00' }],
});

/** Saturdays only, 20:00 to Sunday 02:30 in Berlin: an end boundary inside the gap / repeated hour. */
export const berlinSaturdayLate = calendar('berlin-saturday-late', 'Europe/Berlin', {
  ...weekdays(),
  sat: [{ start: '20:00', end: '02:30' }],
});

/** Mon-Fri 09:00-17:00 in Kolkata (UTC+5:30, no DST). */
export const kolkataOffice = calendar('kolkata-office', 'Asia/Kolkata', weekdays(NINE_TO_FIVE));

/** Mon-Fri 09:00-17:00 in Kathmandu (UTC+5:45, no DST). */
export const kathmanduOffice = calendar('kathmandu-office', 'Asia/Kathmandu', weekdays(NINE_TO_FIVE));

/** Mon-Fri 16:00-24:00 in Berlin: `end: 24:00` closes at the next local midnight. */
export const berlinEvenings = calendar('berlin-evenings', 'Europe/Berlin', weekdays({ start: '16:00', end: '24:00' }));

/** Weekdays 08:00-16:00 in Lord Howe (UTC+10:30, DST +11:00: a 30-minute shift at 02:00). */
export const lordHoweOffice = calendar(
  'lord-howe-office',
  'Australia/Lord_Howe',
  weekdays({ start: '08:00', end: '16:00' }),
);

/** A night shift 22:00-06:00 every night in Lord Howe, and a Sunday 02:15-06:00 shift starting in its 30-minute gap. */
export const lordHoweNights = calendar(
  'lord-howe-nights',
  'Australia/Lord_Howe',
  everyDay({ start: '22:00', end: '06:00' }),
);
export const lordHoweSundayEarly = calendar('lord-howe-sunday-early', 'Australia/Lord_Howe', {
  ...weekdays(),
  sun: [{ start: '02:15', end: '06:00' }],
});

/** Calendars keyed by id, as a plan holds them. */
export const CALENDARS: Record<string, CalendarSpec> = Object.fromEntries(
  [
    berlinOffice,
    berlinLunch,
    berlinNights,
    newYorkNights,
    newYorkOffice,
    berlinSundayEarly,
    berlinSaturdayLate,
    kolkataOffice,
    kathmanduOffice,
    berlinEvenings,
    lordHoweOffice,
    lordHoweNights,
    lordHoweSundayEarly,
  ].map((c) => [c.id, c]),
);

/** Week shapes the property tests combine with every zone: they cover merging, midnight, 24:00 and DST gaps. */
export const PROPERTY_WEEKS: Record<string, Week> = {
  office: weekdays(NINE_TO_FIVE),
  lunch: weekdays({ start: '09:00', end: '12:00' }, { start: '13:00', end: '17:00' }),
  nights: everyDay({ start: '22:00', end: '06:00' }),
  // 00:00-02:30 and 02:15-... overlap; 23:00-24:00 touches the next day's 00:00: all must merge.
  ragged: {
    mon: [
      { start: '00:00', end: '02:30' },
      { start: '02:15', end: '03:00' },
      { start: '23:00', end: '24:00' },
    ],
    tue: [
      { start: '00:00', end: '01:00' },
      { start: '12:00', end: '12:01' },
    ],
    wed: [],
    thu: [{ start: '01:45', end: '02:15' }],
    fri: [{ start: '18:00', end: '18:00' }],
    sat: [],
    sun: [
      { start: '02:00', end: '03:00' },
      { start: '03:00', end: '04:00' },
    ],
  },
};

/** Zones the property tests run in: DST of an hour either hemisphere-side, a half-hour offset, a 30-minute DST. */
export const PROPERTY_ZONES = ['Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe'];
