// Who a person or team of the matrix is, and where they are reached: pure look-ups in the plan's directory, so the
// workflow can assign tasks, reviews and cases without an activity (people and teams do not change with the clock;
// on-call rotations do, and go through the resolveRecipients local activity instead).
import type { Assignee, Recipient } from '../shared/escalation';
import type { AssigneeInput } from '../shared/messages';
import type { Plan, PlanLevel } from '../shared/plan';

export interface Reached {
  assignee: Assignee;
  recipients: Recipient[];
}

const own = <T>(map: Record<string, T>, id: string): T | undefined =>
  Object.prototype.hasOwnProperty.call(map, id) ? map[id] : undefined;

function personRecipients(plan: Plan, id: string): Recipient[] {
  const person = own(plan.people, id);
  return person ? person.contacts.map((c) => ({ name: person.name, channel: c.channel, address: c.address })) : [];
}

/**
 * The assignee and recipients for an id of the matrix (a person, else a team: its shared contacts, else its
 * members') or an outside contact (reached by email on the reporter channel); a string when nobody can be reached.
 */
export function reach(plan: Plan, who: AssigneeInput): Reached | string {
  if (typeof who !== 'string') {
    return {
      assignee: { kind: 'contact', id: who.email, name: who.name },
      recipients: [{ name: who.name, channel: plan.reporterChannel, address: who.email }],
    };
  }
  const person = own(plan.people, who);
  if (person) {
    const recipients = personRecipients(plan, who);
    if (recipients.length === 0) return `person "${who}" has no contact points in matrix ${plan.version}`;
    return { assignee: { kind: 'person', id: who, name: person.name }, recipients };
  }
  const team = own(plan.teams, who);
  if (team) {
    const shared = team.contacts.map((c) => ({ name: team.name, channel: c.channel, address: c.address }));
    const recipients = shared.length > 0 ? shared : team.members.flatMap((member) => personRecipients(plan, member));
    if (recipients.length === 0) return `team "${who}" has no contact points and no reachable members`;
    return { assignee: { kind: 'team', id: who, name: team.name }, recipients };
  }
  const known = [...Object.keys(plan.people), ...Object.keys(plan.teams)];
  return (
    `matrix ${plan.version} has no person or team "${who}"` +
    (known.length > 0 ? ` (known: ${known.join(', ')})` : '; give {"name", "email"} for somebody outside it')
  );
}

/** The ids a level's targets name (people, teams, rotations, contacts by name): who the worklist files it under. */
export function levelAssignees(level: PlanLevel, recipients: Recipient[]): string[] {
  const ids = level.targets.map((target) => {
    switch (target.kind) {
      case 'person':
        return target.person;
      case 'team':
        return target.team;
      case 'oncall':
        return target.rotation;
      case 'contact':
        return target.name;
    }
  });
  return [...new Set([...ids, ...recipients.map((r) => r.name)])];
}
