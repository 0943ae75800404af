// The sentences timeline events were written with before they carried typed details, read back. Only events without
// details come here; new events are read from their details (./facts), so these patterns are frozen: they describe
// what was written then, and must not follow today's wording.
import { PRIORITIES, type Priority } from '../shared/plan';
import type { Addressee, SlaTarget } from '../shared/timeline';

/** `Grace Hopper, Alan Turing: new case` -> names and why (a `handed_off` note). */
export function splitHandoffNote(note: string | null): { names: string[]; why: string | null } {
  if (note === null) return { names: [], why: null };
  const colon = note.indexOf(': ');
  if (colon < 0) return { names: [], why: note };
  return { names: note.slice(0, colon).split(', '), why: note.slice(colon + 2) };
}

/** `Alan Turing <U024BE7LH> via slack: channel_not_found` (a `notification_failed` note). */
export function parseFailure(note: string | null): { to: Addressee; reason: string } | null {
  if (note === null) return null;
  const match = /^(.*) <([^<>]*)> via (\S+): ([\s\S]*)$/.exec(note);
  if (!match) return null;
  const [, name = '', address = '', channel = '', reason = ''] = match;
  return { to: { name, address, channel }, reason };
}

/**
 * An `escalated` note: automatic ones end `(ack target)` / `(resolve target)`; manual ones were written
 * `escalated by <who> from <level>: <reason>`.
 */
export function escalationFromNote(
  note: string | null,
  by: string | null,
  fromName: string | null,
): { missedTarget: SlaTarget | null; reason: string | null } {
  if (note === null) return { missedTarget: null, reason: null };
  if (by === null) {
    const missed = /\((ack|resolve) target\)\s*$/.exec(note);
    return { missedTarget: missed ? (missed[1] as SlaTarget) : null, reason: note };
  }
  const prefix = fromName !== null ? `escalated by ${by} from ${fromName}: ` : `escalated by ${by} from `;
  if (fromName !== null)
    return { missedTarget: null, reason: note.startsWith(prefix) ? note.slice(prefix.length) : note };
  const reason = note.startsWith(prefix) ? note.slice(note.indexOf(': ', prefix.length) + 2) : note;
  return { missedTarget: null, reason };
}

/** `<reason>: SLA clocks stopped` (a `paused` note); the reason is a matrix id without colons. */
export function pauseReasonFromNote(note: string | null): string | null {
  const suffix = ': SLA clocks stopped';
  return note?.endsWith(suffix) ? note.slice(0, -suffix.length) : note;
}

/** `<from> -> <to>: <reason>; ack due ...` (a `reprioritised` note). */
export function reprioritisationFromNote(note: string | null): { priority: Priority; reason: string } | undefined {
  const moved = /^\w+ -> (\w+): (.*?)(?:; (?:ack|resolve) due .*)?$/.exec(note ?? '');
  const priority = PRIORITIES.find((p) => p === moved?.[1]);
  return priority ? { priority, reason: moved?.[2] || 'reprioritised' } : undefined;
}

/** `score <n>/5 (...)[: <comment>]` (a `feedback_received` note). */
export function feedbackFromNote(note: string | null): { score: number; comment?: string } | undefined {
  const feedback = /^score ([1-5])\/5 \([^)]*\)(?:: ([\s\S]*))?$/.exec(note ?? '');
  if (!feedback) return undefined;
  const comment = feedback[2];
  return { score: Number(feedback[1]), ...(comment ? { comment } : {}) };
}

/** Staff reopens were written `by <who>: <reason>`; the others followed an unsatisfied score. */
export function staffReopenFromNote(note: string | null, by: string | null): string | undefined {
  const prefix = `by ${by}: `;
  return note !== null && by !== null && note.startsWith(prefix) ? note.slice(prefix.length) : undefined;
}
