// Turns a level's targets (people, teams, on-call rotations, bare addresses) into the addresses to notify at an instant.
import type { Recipient } from '../shared/escalation';
import type { ContactPoint, Person, Rotation, Team, TargetRef } from '../shared/plan';
import { findOnCall } from './rotation';

/** The people, teams and rotations targets refer to (the plan's own maps). */
export interface Directory {
  people: Record<string, Person>;
  teams: Record<string, Team>;
  rotations: Record<string, Rotation>;
}

/** A recipient and how they were reached, e.g. `person ana`, `team billing-leads`, `on call in billing-leads`. */
export interface ResolvedRecipient extends Recipient {
  via: string;
}

export interface ResolvedTargets {
  /** De-duplicated by channel and address; the first target to reach an address names it. */
  recipients: ResolvedRecipient[];
  /** One human-readable reason per target that reached nobody. */
  nobody: string[];
}

/** A target names an id the directory lacks: the matrix compiler rejects such matrices, so this is a bug. */
export class TargetError extends Error {
  override readonly name = 'TargetError';

  constructor(
    /** The missing person, team or rotation id. */
    readonly id: string,
    message: string,
  ) {
    super(message);
  }
}

/** An absent or empty `channels` list means every channel: an empty filter would silently notify nobody. */
function channelFilter(channels: string[] | undefined): (contact: ContactPoint) => boolean {
  if (!channels || channels.length === 0) return () => true;
  return (contact) => channels.includes(contact.channel);
}

function onChannels(channels: string[] | undefined): string {
  return channels && channels.length > 0 ? `on channels ${channels.join(', ')}` : 'at all';
}

function lookup<T>(map: Record<string, T>, id: string, what: string, context: string): T {
  // Own-property check: an id such as `constructor` must not find Object.prototype members.
  const found = Object.prototype.hasOwnProperty.call(map, id) ? map[id] : undefined;
  if (found === undefined) throw new TargetError(id, `${context} names unknown ${what} ${JSON.stringify(id)}`);
  return found;
}

/**
 * Resolves targets at `atMs` (on-call rotations are read at that instant, i.e. at handoff time).
 * Person: their contact points. Team: its shared contact points, else each member's. On call: each person on call.
 * Contact: as given. `channels` restricts contact points to those channels. Throws TargetError for unknown ids.
 */
export function resolveTargets(targets: TargetRef[], directory: Directory, atMs: number): ResolvedTargets {
  const recipients: ResolvedRecipient[] = [];
  const nobody: string[] = [];
  const seen = new Set<string>();
  const add = (name: string, contact: ContactPoint, via: string) => {
    const key = JSON.stringify([contact.channel, contact.address]);
    if (seen.has(key)) return;
    seen.add(key);
    recipients.push({ name, channel: contact.channel, address: contact.address, via });
  };
  const personIn = (id: string, context: string) => lookup(directory.people, id, 'person', context);

  for (const target of targets) {
    // Counted per target, before de-duplication: a target whose addresses another target already reached is covered.
    let reached = 0;
    const reach = (name: string, contacts: ContactPoint[], via: string) => {
      for (const contact of contacts) {
        add(name, contact, via);
        reached += 1;
      }
    };
    switch (target.kind) {
      case 'person': {
        const person = personIn(target.person, 'target');
        reach(person.name, person.contacts.filter(channelFilter(target.channels)), `person ${target.person}`);
        if (reached === 0) nobody.push(`person ${target.person} has no contact ${onChannels(target.channels)}`);
        break;
      }
      case 'team': {
        const team = lookup(directory.teams, target.team, 'team', 'target');
        const keep = channelFilter(target.channels);
        reach(team.name, team.contacts.filter(keep), `team ${target.team}`);
        // Members stand in when the team has no shared contact point on the wanted channels.
        if (reached === 0) {
          for (const memberId of team.members) {
            const member = personIn(memberId, `team ${target.team}`);
            reach(member.name, member.contacts.filter(keep), `member ${memberId} of team ${target.team}`);
          }
        }
        if (reached === 0) {
          nobody.push(
            team.contacts.length === 0 && team.members.length === 0
              ? `team ${target.team} has no contact points and no members`
              : `team ${target.team} has no contact ${onChannels(target.channels)}, nor do its members`,
          );
        }
        break;
      }
      case 'oncall': {
        const rotation = lookup(directory.rotations, target.rotation, 'rotation', 'target');
        const at = new Date(atMs).toISOString();
        const onCall = findOnCall(rotation, atMs);
        const keep = channelFilter(target.channels);
        for (const id of onCall.people) {
          const person = personIn(id, `rotation ${target.rotation}`);
          reach(person.name, person.contacts.filter(keep), `on call in ${target.rotation}`);
        }
        if (onCall.people.length === 0) {
          const why = onCall.nobody === undefined ? '' : ` (${onCall.nobody})`;
          nobody.push(`nobody is on call in ${target.rotation} at ${at}${why}`);
        } else if (reached === 0) {
          const who = onCall.people.join(', ');
          nobody.push(`on call in ${target.rotation} at ${at}: ${who}, with no contact ${onChannels(target.channels)}`);
        }
        break;
      }
      case 'contact':
        reach(target.name, [{ channel: target.channel, address: target.address }], 'contact');
        break;
    }
  }
  return { recipients, nobody };
}
