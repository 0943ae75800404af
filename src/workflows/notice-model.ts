// The view model a notice's template is rendered with (by the notify activity, from files an organisation can
// edit): the case's facts plus what the event adds. Pure and JSON-serialisable, built next to the fallback text
// so both say the same thing; kept small (no timeline, no plan) because it travels in workflow history with every
// notification.
import type { EscalationState, Review, WorkItem } from '../shared/escalation';
import type { TemplateName } from '../shared/notifications';

export interface WorkItemModel {
  id: string;
  title: string;
  owner: string;
  dueAt: string;
  blocking: boolean;
  state: string;
  remindersSent: number;
}

/** What every notice's model holds about the case. */
export interface CaseModel {
  id: string;
  title: string;
  priority: string;
  category: string;
  status: string;
  description?: string;
  reporter: { name: string; email: string; timeZone?: string };
  createdAt: string;
  occurredAt?: string;
  attemptedSteps: string[];
  evidence: { id: string; title: string; url: string }[];
  /** The current level. */
  level: { name: string };
  /** Who owns it now (the acknowledging person, the assignee, else the level); null when unowned. */
  owner: string | null;
  acknowledgedAt?: string;
  /** True while the case waits for an acknowledgement (its ack target is what is due). */
  awaitingAck: boolean;
  sla: { ackDueAt?: string; resolveDueAt?: string };
  paused?: { since: string; reason: string };
  resolvedAt?: string;
  /** Levels the case was handed to before the current one (from the timeline the state holds), oldest first. */
  previousOwners: { level: string; at: string }[];
  openTasks: WorkItemModel[];
  /** SLA targets missed so far (automatic escalations, resolve breaches at the top). */
  breaches: number;
  reopenCount: number;
  /** `/escalations/<id>`: the case's page relative to PUBLIC_URL. */
  caseUrlPath: string;
}

/** What an event adds; each notice sets the fields its template uses. */
export interface EventModel {
  /** The event, e.g. `handoff`: the part of the template name after the audience. */
  event: string;
  /** Why the case came to this level (handoff, reassignment). */
  why?: string;
  /** The level handed to is the last of the path (a leadership handoff, a last-level warning). */
  lastLevel?: boolean;
  /** Breach warnings: which target, due when, and the level the case would move to. */
  target?: 'ack' | 'resolve';
  dueAt?: string;
  upcoming?: string;
  /** Last-level reminders: this is reminder `attempt` of `of`. */
  attempt?: number;
  of?: number;
  /** Who did it (reassign, reprioritise, add a team, subscribe) and why. */
  by?: string;
  reason?: string;
  note?: string;
  /** Reprioritised: the previous priority. */
  from?: string;
  /** Team added: the team's name. */
  team?: string;
  task?: WorkItemModel;
  item?: WorkItemModel;
  review?: { owner: string; dueAt: string; reasons: string[]; remindersSent: number };
  /** Review requests: how often the case was escalated. */
  escalations?: number;
  resolution?: { by: string; summary: string; rootCause?: string; fix?: string; at: string; forced?: string };
  cancellation?: { by: string; reason: string; note: string; duplicateOf?: string; at: string };
  followUp?: { closesAt: string };
  /** Delivery failures being reported. */
  failures?: string[];
  /** Status updates: the latest events (at most three), oldest first. */
  recent?: { at: string; type: string; note?: string }[];
}

export type NoticeModel = CaseModel & EventModel;

const optional = <K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> =>
  (value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>;

export function workItemModel(item: WorkItem): WorkItemModel {
  return {
    id: item.id,
    title: item.title,
    owner: item.owner.name,
    dueAt: item.dueAt,
    blocking: item.blocking,
    state: item.state,
    remindersSent: item.remindersSent,
  };
}

export function reviewModel(review: Review): NonNullable<EventModel['review']> {
  return {
    owner: review.owner.name,
    dueAt: review.dueAt,
    reasons: review.reasons,
    remindersSent: review.remindersSent,
  };
}

function previousOwners(state: EscalationState): CaseModel['previousOwners'] {
  const handoffs = state.timeline.filter((event) => event.type === 'handed_off' && event.level);
  const last = handoffs.at(-1);
  // The latest handoff is the current ownership when it entered the current level: not a previous owner.
  const current = last?.level?.index === state.level.index && last.at === state.levelEnteredAt;
  return (current ? handoffs.slice(0, -1) : handoffs).map((event) => ({
    level: event.level?.name ?? '',
    at: event.at,
  }));
}

export function caseModel(state: EscalationState): CaseModel {
  const { reporter } = state;
  return {
    id: state.id,
    title: state.title,
    priority: state.priority,
    category: state.category,
    status: state.status,
    ...optional('description', state.description),
    reporter: { name: reporter.name, email: reporter.email, ...optional('timeZone', reporter.timeZone) },
    createdAt: state.createdAt,
    ...optional('occurredAt', state.occurredAt),
    attemptedSteps: state.attemptedSteps,
    evidence: (state.evidence ?? []).map(({ id, title, url }) => ({ id, title, url })),
    level: { name: state.level.name },
    owner: state.owner,
    ...optional('acknowledgedAt', state.acknowledgedAt),
    awaitingAck: state.status === 'open' && state.sla.ackDueAt !== undefined,
    sla: { ...optional('ackDueAt', state.sla.ackDueAt), ...optional('resolveDueAt', state.sla.resolveDueAt) },
    ...(state.paused ? { paused: { since: state.paused.since, reason: state.paused.reason } } : {}),
    ...optional('resolvedAt', state.resolvedAt),
    previousOwners: previousOwners(state),
    openTasks: state.tasks.filter((task) => task.state === 'open').map(workItemModel),
    breaches: state.breaches,
    reopenCount: state.reopenCount,
    caseUrlPath: `/escalations/${encodeURIComponent(state.id)}`,
  };
}

export function resolutionModel(state: EscalationState): EventModel['resolution'] {
  const r = state.resolution;
  if (!r) return undefined;
  return {
    by: r.by,
    summary: r.summary,
    ...optional('rootCause', r.rootCause),
    ...optional('fix', r.fix),
    at: r.at,
    ...optional('forced', r.forced),
  };
}

export function cancellationModel(state: EscalationState): EventModel['cancellation'] {
  const c = state.cancellation;
  if (!c) return undefined;
  return { by: c.by, reason: c.reason, note: c.note, ...optional('duplicateOf', c.duplicateOf), at: c.at };
}

/** The model of one notice: the case's facts and the event's own fields (undefined ones left out). */
export function noticeModel(
  state: EscalationState,
  event: string,
  fields: Omit<EventModel, 'event'> = {},
): NoticeModel {
  const defined = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
  return { ...caseModel(state), event, ...defined };
}

/** The `template` and `model` fields of a notice. */
export function templated(
  template: TemplateName,
  state: EscalationState,
  fields: Omit<EventModel, 'event'> = {},
): { template: TemplateName; model: NoticeModel } {
  const event = template.slice(template.indexOf('/') + 1);
  return { template, model: noticeModel(state, event, fields) };
}
