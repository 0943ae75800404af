// Warnings: a matrix that compiles but probably does not do what its author meant, or needs attention soon.
// Like the rules, they read the parsed YAML defensively, so a matrix with errors still gets its warnings.
import { formatDuration } from '../shared/duration';
import { PRIORITIES } from '../shared/plan';
import type { PathIssue } from './issues';
import { MIN_REPEAT_MS } from './schema';
import { dict, isRecord, list } from './rules';
import { positiveDuration } from './values';

/** Status updates to the reporter more often than this are likely to annoy rather than inform. */
const REPORTER_UPDATES_AT_MOST_EVERY_MS = 3_600_000;

/** Every warning for a matrix (parsed YAML); `today` is the local date `YYYY-MM-DD` to compare dates with. */
export function matrixWarnings(data: unknown, today: string): PathIssue[] {
  if (!isRecord(data)) return [];
  const warnings: PathIssue[] = [];
  const warn = (path: PathIssue['path'], message: string) => warnings.push({ path, message });

  if (typeof data.reviewBy === 'string' && data.reviewBy < today) {
    warn(
      ['reviewBy'],
      `review date ${data.reviewBy} has passed (today is ${today}): review the matrix, then move reviewBy forward`,
    );
  }

  for (const [id, value] of Object.entries(dict(data.teams))) {
    const team = dict(value);
    if (list(team.members).length === 0 && Object.keys(dict(team.contacts)).length === 0) {
      warn(['teams', id], 'has no contacts and no members: notifying this team reaches nobody');
    }
  }

  for (const [id, value] of Object.entries(dict(data.rotations))) {
    const rotation = dict(value);
    list(rotation.layers).forEach((layer, index) => {
      if (Array.isArray(layer) && layer.length === 0) {
        warn(['rotations', id, 'layers', index], 'empty layer: it puts nobody on call');
      }
    });
    if (typeof rotation.start === 'string' && rotation.start > today) {
      warn(
        ['rotations', id, 'start'],
        `starts ${rotation.start}, after today (${today}): nobody is on call in this rotation until then, except by overrides`,
      );
    }
  }

  for (const [id, value] of Object.entries(dict(data.calendars))) {
    const hours = dict(value).hours;
    if (isRecord(hours) && Object.values(hours).every((intervals) => list(intervals).length === 0)) {
      warn(['calendars', id, 'hours'], 'no working hours on any day: business time never passes on this calendar');
    }
  }

  const pathIds = Object.keys(dict(data.paths));
  const rules = list(data.triage).map(dict);
  const reached = new Set<unknown>([
    pathIds.length === 1 ? pathIds[0] : data.defaultPath,
    ...rules.map((rule) => rule.path),
    ...pathIds.filter((id) => list(dict(dict(data.paths)[id]).categories).length > 0),
  ]);
  for (const id of pathIds) {
    if (!reached.has(id)) {
      warn(
        ['paths', id],
        'unreachable: it lists no categories, no triage rule names it and it is not the defaultPath, so no case takes it',
      );
    }
  }

  // A rule after one with an empty `when` never runs (the default rule's own misplacement is an error).
  const catchAll = rules.findIndex(
    (rule) => rule.default !== true && isRecord(rule.when) && Object.keys(rule.when).length === 0,
  );
  if (catchAll >= 0) {
    for (let index = catchAll + 1; index < rules.length; index++) {
      warn(
        ['triage', index],
        `never matches: rule ${String(rules[catchAll]!.id)} (triage.${catchAll}) has an empty when and takes every case first`,
      );
    }
  }
  for (const priority of PRIORITIES) {
    const updates = dict(dict(data.statusUpdates)[priority]);
    const every = positiveDuration(updates.every);
    // Shorter than MIN_REPEAT_MS is an error already.
    if (every === undefined || every < MIN_REPEAT_MS || every >= REPORTER_UPDATES_AT_MOST_EVERY_MS) continue;
    if (list(updates.to).includes('reporter')) {
      warn(
        ['statusUpdates', priority, 'every'],
        `sends the reporter an update every ${formatDuration(every)}: more than once an hour is usually too often for a reporter (use 1h or more, or leave reporter out of to)`,
      );
    }
  }
  return warnings;
}
