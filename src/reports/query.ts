// The report window as people give it (UTC days, end excluded), validated the same way for the API and the CLI.
import { z } from 'zod';
import { GROUP_BYS } from './summary';

/** Longest window a report covers; its baseline reads four more windows of the same length. */
export const MAX_WINDOW_DAYS = 366;
const DAY_MS = 86_400_000;

const utcDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date YYYY-MM-DD (a UTC day)', abort: true })
  .refine((day) => {
    const iso = `${day}T00:00:00.000Z`;
    return !Number.isNaN(Date.parse(iso)) && new Date(iso).toISOString() === iso;
  }, 'is not a calendar date');

function checkWindow(value: { from: string; to: string }, ctx: z.RefinementCtx): void {
  const from = Date.parse(`${value.from}T00:00:00.000Z`);
  const to = Date.parse(`${value.to}T00:00:00.000Z`);
  if (Number.isNaN(from) || Number.isNaN(to)) return;
  if (from >= to) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from (the end day is excluded)' });
  } else if (to - from > MAX_WINDOW_DAYS * DAY_MS) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: `the window must be at most ${MAX_WINDOW_DAYS} days` });
  }
}

const windowShape = {
  from: utcDay,
  to: utcDay,
  groupBy: z.enum(GROUP_BYS).default('category'),
};

export const reportPageQuery = z.strictObject(windowShape).superRefine(checkWindow);
export const reportSummaryQuery = z
  .strictObject({ ...windowShape, format: z.enum(['json', 'csv']).default('json') })
  .superRefine(checkWindow);

/** A UTC day's midnight as an ISO instant. */
export const dayStart = (day: string) => `${day}T00:00:00.000Z`;
