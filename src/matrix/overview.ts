// A short, readable account of a compiled plan: what the lint CLI prints so an author can check what they wrote.
import { formatDuration } from '../shared/duration';
import {
  PRIORITIES,
  describeWeek,
  type CalendarSpec,
  type LevelTargets,
  type Plan,
  type PlanLevel,
  type Priority,
  type TargetRef,
  type TargetSpec,
  type TriageRule,
} from '../shared/plan';

/** The plan as lines of text: header (with the case lifecycle), triage in order, paths with levels and targets,
 * calendars, rotations, jumps. */
export function describePlan(plan: Plan): string[] {
  const lines: string[] = [];
  const label = plan.versionName === undefined ? '' : ` "${plan.versionName}"`;
  lines.push(`${plan.name}: plan ${plan.version}${label}`);
  const about = [
    plan.owner && `owner ${plan.owner.name} <${plan.owner.email}>`,
    plan.reviewBy && `review by ${plan.reviewBy}`,
    `reporters hear on ${plan.reporterChannel}`,
  ].filter(Boolean);
  lines.push(`  ${about.join('; ')}`);
  lines.push(
    `  last level: re-notified every ${formatDuration(plan.repeat.everyMs)}, ${plan.repeat.times} time(s), then unowned`,
  );
  lines.push(
    `  pause reasons: ${plan.pauseReasons.length === 0 ? 'none (pausing not allowed)' : plan.pauseReasons.join(', ')}`,
  );
  lines.push(...describeLifecycle(plan).map((line) => `  ${line}`));

  lines.push('', 'Triage (first match wins):');
  const idWidth = Math.max(...plan.triage.map((rule) => rule.id.length));
  plan.triage.forEach((rule, index) => {
    lines.push(`  ${index + 1}. ${rule.id.padEnd(idWidth)}  ${describeRule(plan, rule)}`);
  });

  lines.push('', 'Paths:');
  for (const path of Object.values(plan.paths)) {
    const notes = [
      path.categories.length > 0 && `categories ${path.categories.join(', ')}`,
      path.id === plan.defaultPath && 'default path',
    ].filter(Boolean);
    lines.push(`  ${path.id}: ${path.name}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`);
    path.levels.forEach((level, index) => {
      const starts = PRIORITIES.filter((priority) => plan.startLevel[path.id]?.[priority] === index);
      const start = starts.length > 0 ? ` [start for ${starts.join(', ')}]` : '';
      lines.push(
        `    ${index + 1}. ${level.id}: ${level.name} -> ${level.targets.map(describeTarget).join(', ')}${start}`,
      );
      lines.push(...describeTargets(level, path.levels[index - 1]).map((line) => `         ${line}`));
    });
  }

  const calendars = Object.values(plan.calendars);
  if (calendars.length > 0) {
    lines.push('', 'Calendars:');
    for (const calendar of calendars) lines.push(`  ${calendar.id}: ${describeCalendar(calendar)}`);
  }

  const rotations = Object.values(plan.rotations);
  if (rotations.length > 0) {
    lines.push('', 'Rotations:');
    for (const rotation of rotations) {
      const when =
        rotation.handoff.every === 'weekly'
          ? `weekly, handoff ${rotation.handoff.day ?? '?'} ${rotation.handoff.time}`
          : `daily, handoff ${rotation.handoff.time}`;
      const layers = rotation.layers.map((layer) => layer.participants.join(' > ') || '(empty)').join(' | ');
      const overrides = rotation.overrides.length === 0 ? '' : `; ${rotation.overrides.length} override(s)`;
      const hours =
        rotation.onCallHours === undefined ? '' : `; on call ${describeWeek(rotation.onCallHours).join('; ')}`;
      lines.push(
        `  ${rotation.id}: ${rotation.name}, ${rotation.zone}, ${when}, from ${rotation.start}: ${layers}${overrides}${hours}`,
      );
    }
  }

  if (plan.jumps.length > 0) {
    lines.push('', 'Jumps (manual escalation may skip to):');
    for (const jump of plan.jumps) {
      const parts = [
        `to ${jump.to}`,
        jump.from && `from ${jump.from.join(', ')}`,
        jump.categories && `categories ${jump.categories.join(', ')}`,
        jump.priorities && `priorities ${jump.priorities.join(', ')}`,
      ].filter(Boolean);
      lines.push(`  ${jump.id}: ${parts.join('; ')}`);
    }
  }
  return lines;
}

/** Status updates, follow-up, reviews and reminders; a plan compiled before they existed has none of them. */
function describeLifecycle(plan: Plan): string[] {
  const updates = PRIORITIES.flatMap((priority) => {
    const policy = plan.statusUpdates?.[priority];
    return policy === undefined
      ? []
      : [`${priority} every ${formatDuration(policy.everyMs)} to ${policy.to.join(', ')}`];
  });
  const followUp = plan.followUp
    ? `the reporter rates the resolution within ${formatDuration(plan.followUp.windowMs)}; a score below ${plan.followUp.satisfiedAtLeast} reopens the case, silence closes it`
    : 'none (a resolved case is final)';
  let review = 'none';
  if (plan.review) {
    const { when, owner, dueWithinMs, remindEveryMs } = plan.review;
    const selected = [
      when.priorities && `priority ${when.priorities.join('|')}`,
      when.categories && `category ${when.categories.join('|')}`,
      when.breached && 'breached',
      when.reopened && 'reopened',
    ].filter(Boolean);
    const by = owner === undefined ? 'owner: whoever was handed the case last' : `owner ${owner}`;
    review = `closed cases that are ${selected.join(' or ')}; ${by}; due ${formatDuration(dueWithinMs)} after closing, reminded every ${formatDuration(remindEveryMs)}`;
  }
  const reminders = plan.reminders
    ? `at due time, then every ${formatDuration(plan.reminders.everyMs)}`
    : 'once, at due time';
  return [
    `status updates: ${updates.length === 0 ? 'none' : updates.join('; ')}`,
    `follow-up: ${followUp}`,
    `reviews: ${review}`,
    `overdue tasks and action items: reminded ${reminders}`,
  ];
}

function describeRule(plan: Plan, rule: TriageRule): string {
  const when = rule.when;
  const conditions = [
    when.categories && `category ${when.categories.join('|')}`,
    when.tags && `tag ${when.tags.join('|')}`,
    when.priorities && `priority ${when.priorities.join('|')}`,
    when.urgencies && `urgency ${when.urgencies.join('|')}`,
    when.legalThreat !== undefined && (when.legalThreat ? 'legal threat' : 'no legal threat'),
    when.minUsersAffected !== undefined && `users affected >= ${when.minUsersAffected}`,
    when.minRevenueAtRisk !== undefined && `revenue at risk >= ${when.minRevenueAtRisk}`,
  ].filter(Boolean);
  const outcome = [
    rule.priority === undefined ? "caller's priority" : `priority ${rule.priority}`,
    rule.path === undefined ? `path by category (else ${plan.defaultPath})` : `path ${rule.path}`,
    rule.startLevel === undefined ? undefined : `start at ${rule.startLevel}`,
  ].filter(Boolean);
  return `${conditions.length === 0 ? 'any case' : conditions.join(' and ')} -> ${outcome.join(', ')}`;
}

function describeTarget(target: TargetRef): string {
  const channels = 'channels' in target && target.channels ? ` (${target.channels.join(', ')})` : '';
  switch (target.kind) {
    case 'person':
      return `person ${target.person}${channels}`;
    case 'team':
      return `team ${target.team}${channels}`;
    case 'oncall':
      return `on call in ${target.rotation}${channels}`;
    case 'contact':
      return `${target.name} <${target.channel}:${target.address}>`;
  }
}

/** One line per priority whose targets differ from the level above (all four on the first level), then warnings. */
function describeTargets(level: PlanLevel, above: PlanLevel | undefined): string[] {
  const same = (priority: Priority) =>
    above !== undefined && JSON.stringify(above.sla[priority]) === JSON.stringify(level.sla[priority]);
  const changed = PRIORITIES.filter((priority) => !same(priority));
  const lines = changed.map((priority) => `${priority.padEnd(8)} ${describeLevelTargets(level.sla[priority])}`);
  if (changed.length < PRIORITIES.length && above !== undefined) {
    lines.push(changed.length === 0 ? 'targets as the level above' : 'other priorities as the level above');
  }
  const warning =
    level.warning === null
      ? 'no breach warnings'
      : `warn at ${Math.round(level.warning.atFraction * 1000) / 10}%${level.warning.notifyNextLevel ? ', also telling the next level' : ''}`;
  lines.push(warning);
  return lines;
}

function describeLevelTargets(targets: LevelTargets): string {
  return `ack ${describeSpec(targets.ack)}, resolve ${describeSpec(targets.resolve)}`;
}

function describeSpec(spec: TargetSpec): string {
  if (spec.kind === 'calendar') return formatDuration(spec.ms);
  const afterHours = spec.afterHoursMs === undefined ? '' : `, ${formatDuration(spec.afterHoursMs)} after hours`;
  return `${formatDuration(spec.ms)} business (${spec.calendar}${afterHours})`;
}

function describeCalendar(calendar: CalendarSpec): string {
  const week = describeWeek(calendar.week);
  const holidays =
    calendar.holidays.length === 0
      ? 'no holidays'
      : `holidays ${calendar.holidays.map((holiday) => holiday.date).join(', ')}`;
  return `${calendar.name}, ${calendar.zone}: ${week.length === 0 ? 'no working hours' : week.join('; ')}; ${holidays}`;
}
