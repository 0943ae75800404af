// Who hears of a step: the reporter, subscribers of one audience, and lists merged without sending twice to an
// address. Shared by the ladder (./transitions) and the lifecycle (./lifecycle).
import type { EscalationState, Recipient, Subscriber } from '../shared/escalation';
import type { Plan } from '../shared/plan';

/** `known` followed by those of `added` not reached already on the same channel and address. */
export function withRecipients(known: Recipient[], added: Recipient[]): Recipient[] {
  const has = (r: Recipient) => known.some((k) => k.channel === r.channel && k.address === r.address);
  return [...known, ...added.filter((r) => !has(r))];
}

/** The reporter, on the matrix's reporter channel at their email address. */
export function reporterOf(state: EscalationState, plan: Plan): Recipient {
  return { name: state.reporter.name, channel: plan.reporterChannel, address: state.reporter.email };
}

/** The case's subscribers of one audience, as recipients. */
export function subscribersOf(state: EscalationState, audience: Subscriber['audience']): Recipient[] {
  return state.subscribers
    .filter((s) => s.audience === audience)
    .map(({ name, channel, address }) => ({ name, channel, address }));
}

/**
 * The next instant of a cadence that started at `at`: one interval on, or, when that has already passed (after
 * downtime), one full interval from now.
 */
export function nextOnCadence(at: string, everyMs: number, now: number): string {
  const onCadence = Date.parse(at) + everyMs;
  return new Date(onCadence > now ? onCadence : now + everyMs).toISOString();
}
