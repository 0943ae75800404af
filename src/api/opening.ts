// The state a new case opens in, computed by the API from the same pure transitions the workflow runs (triage,
// entering the start level, skipping levels that reach nobody, the reporter's receipt), so that a create answers at
// once instead of waiting for a worker to pick the case up. The workflow computes the same state from the same
// input and raise instant; the levels' facts come from the functions its local activities call.
import { levelTimes } from '../activities';
import { resolveTargets } from '../oncall/resolve-targets';
import type { CaseInput, EscalationState } from '../shared/escalation';
import type { Plan } from '../shared/plan';
import { calendarSlaTimes, contactRecipients, type LevelFacts } from '../workflows/level-facts';
import { enterLevel, levelAt, notifyReporter, openCase, startReason, type Transition } from '../workflows/transitions';

function levelFactsNow(t: Transition, index: number, startMs: number): LevelFacts {
  const level = levelAt(t.path, index);
  const targets = level.sla[t.state.priority];
  const sla =
    calendarSlaTimes(startMs, targets, level.warning, []) ??
    levelTimes({ startMs, targets, warning: level.warning, calendars: t.plan.calendars, pauses: [] });
  const contacts = contactRecipients(level);
  if (contacts) return { sla, recipients: contacts, nobody: [] };
  const { recipients, nobody } = resolveTargets(level.targets, t.plan, startMs);
  return { sla, recipients: recipients.map(({ name, channel, address }) => ({ name, channel, address })), nobody };
}

/** The case as it opens when raised at `raisedAtMs` on `plan`: level, owner, due times and next action. */
export function openingState(input: CaseInput, plan: Plan, raisedAtMs: number): EscalationState {
  const { transition: t, startIndex } = openCase(input, plan, raisedAtMs);
  const why = startReason(t.state, plan, startIndex);
  for (let at = startIndex; enterLevel(t, at, why, levelFactsNow(t, at, t.now)) !== 'entered'; at++);
  notifyReporter(t);
  return t.decision().state;
}
