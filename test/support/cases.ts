// Case inputs and timeline helpers the workflow tests share: numbered cases, instants moved by a duration, events.
import type { CaseInput, EscalationState, TimelineEvent } from '../../src/shared/escalation';

/**
 * Numbered case inputs for one test file: `caseFactory('WF')` makes WF-1, WF-2 and so on. `defaults` are what the
 * file's cases have in common (a title, steps tried), `overrides` what one test needs.
 */
export function caseFactory(
  prefix: string,
  defaults: Partial<CaseInput> = {},
): (overrides?: Partial<CaseInput>) => CaseInput {
  let counter = 0;
  return (overrides = {}) => {
    counter += 1;
    return {
      id: `${prefix}-${counter}`,
      title: 'Checkout fails for EU customers',
      category: 'technical',
      priority: 'high',
      reporter: { name: 'Ada Lovelace', email: 'ada@example.com' },
      attemptedSteps: [],
      ...defaults,
      ...overrides,
    };
  };
}

/** The instant `ms` after `iso`; an absent instant throws (Invalid time value), failing the test where it is used. */
export const plus = (iso: string | undefined, ms: number) => new Date(Date.parse(iso ?? 'invalid') + ms).toISOString();

/** The case's timeline events of one type, oldest first. */
export const eventsOf = (state: EscalationState, type: TimelineEvent['type']) =>
  state.timeline.filter((e) => e.type === type);
