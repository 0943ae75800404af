// The audit export of a case as Markdown: a facts table, the full timeline, escalations, every handoff notice as
// sent, notifications with their delivery status, the resolution and durations. Plain text a reviewer can archive.
import { formatDuration } from '../shared/duration';
import type { Addressee, CaseDocument, LevelInfo } from './case-record';

/** A Markdown table cell: pipes and backslashes escaped, line breaks as `<br>`, never empty-looking by accident. */
export function cell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  return String(value)
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/\r\n|\r|\n/g, '<br>');
}

/** Text on one line of prose (a heading or a list item): line breaks become spaces. */
function inline(value: string): string {
  return value.replace(/\s*(?:\r\n|\r|\n)\s*/g, ' ');
}

/** A fenced block that no backtick run inside the text can close early. */
function fenced(text: string, info = 'text'): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${info}\n${text}\n${fence}`;
}

function row(values: (string | number | null | undefined)[]): string {
  return `| ${values.map(cell).join(' | ')} |`;
}

function table(headers: string[], rows: (string | number | null | undefined)[][]): string {
  return [row(headers), `|${headers.map(() => '---').join('|')}|`, ...rows.map(row)].join('\n');
}

const levelText = (level: LevelInfo | null) => (level === null ? '' : level.name);

function addressee(to: Addressee): string {
  return `${to.name ?? '(name not recorded)'} <${to.address}> via ${to.channel}`;
}

/** `1h14m59s (4499750 ms)`; `—` when not (yet) known. */
export function durationText(ms: number | null): string {
  if (ms === null) return '—';
  return `${formatDuration(ms)} (${ms} ms)`;
}

function facts(doc: CaseDocument): string {
  return table(
    ['Field', 'Value'],
    [
      ['Case', doc.id],
      ['Title', doc.title],
      ['Status', doc.status],
      ['Priority', doc.priority],
      ['Category', doc.category],
      ['Reported by', `${doc.reporter.name} <${doc.reporter.email}>`],
      ['Raised at (UTC)', doc.raisedAt],
      ['Triage', doc.triage ?? '—'],
      ['Current level', `${doc.currentLevel.name} (level ${doc.currentLevel.index})`],
      ['Owner', doc.unowned ? 'UNOWNED' : (doc.owner ?? '—')],
      ['Matrix version', doc.matrixVersion],
      ['Workflow id', doc.workflowId],
    ],
  );
}

function timelineSection(doc: CaseDocument): string {
  return table(
    ['Time (UTC)', 'Event', 'Level', 'By', 'Note'],
    doc.timeline.map((event) => [event.at, event.type, levelText(event.level), event.by, event.note]),
  );
}

function escalationsSection(doc: CaseDocument): string {
  if (doc.escalations.length === 0) return '(none)';
  return doc.escalations
    .map((entry, i) => {
      const route = `${entry.from?.name ?? '(unknown level)'} -> ${entry.to?.name ?? '(unknown level)'}`;
      const how =
        entry.kind === 'automatic'
          ? `automatic, ${entry.missedTarget ? `${entry.missedTarget} target missed` : 'target missed'}`
          : `manual, by ${entry.by ?? '(unknown)'}`;
      return `${i + 1}. ${entry.at} — ${inline(route)} (${inline(how)}): ${inline(entry.reason ?? '(no reason recorded)')}`;
    })
    .join('\n');
}

function handoffsSection(doc: CaseDocument): string {
  if (doc.handoffs.length === 0) return '(none)';
  return doc.handoffs
    .map((handoff, i) =>
      [
        `### ${i + 1}. ${inline(levelText(handoff.level) || '(unknown level)')} — ${inline(addressee(handoff.to))}`,
        '',
        `- Handed off at (UTC): ${handoff.at}`,
        `- Delivery: ${handoff.status}${handoff.sentAt ? ` at ${handoff.sentAt}` : ''}`,
        `- Subject: ${inline(handoff.subject)}`,
        '',
        fenced(handoff.body),
      ].join('\n'),
    )
    .join('\n\n');
}

function notificationsSection(doc: CaseDocument): string {
  if (doc.notifications.length === 0) return '(none)';
  const rows = table(
    ['Requested (UTC)', 'Audience', 'Recipient', 'Channel', 'Subject', 'Status', 'Sent (UTC)', 'Failure'],
    doc.notifications.map((n) => [
      n.requestedAt,
      n.audience,
      n.to.name === null ? n.to.address : `${n.to.name} <${n.to.address}>`,
      n.to.channel,
      n.subject,
      n.status,
      n.sentAt ?? '',
      n.failure ? `${n.failure.at}: ${n.failure.reason}` : '',
    ]),
  );
  const unmatched = doc.deliveryFailures.filter((failure) => failure.notificationKey === null);
  if (unmatched.length === 0) return rows;
  return [
    rows,
    '',
    'Delivery failures not matched to a stored notification:',
    '',
    ...unmatched.map((failure) => `- ${failure.at}: ${inline(failure.note ?? '(no detail)')}`),
  ].join('\n');
}

function notesSection(entries: CaseDocument['comments']): string {
  if (entries.length === 0) return '(none)';
  return table(
    ['Time (UTC)', 'Level', 'By', 'Note'],
    entries.map((entry) => [entry.at, levelText(entry.level), entry.by, entry.note]),
  );
}

function pausesSection(doc: CaseDocument): string {
  if (doc.pauses.length === 0) return '(none)';
  return table(
    ['From (UTC)', 'To (UTC)', 'Level', 'By', 'Reason', 'Ended', 'Duration'],
    doc.pauses.map((pause) => [
      pause.from,
      pause.to ?? 'still paused',
      levelText(pause.level),
      pause.by,
      pause.reason,
      pause.ended === null ? '' : `${pause.ended}${pause.endedBy ? ` by ${pause.endedBy}` : ''}`,
      durationText(pause.durationMs),
    ]),
  );
}

function resolutionSection(doc: CaseDocument): string {
  if (!doc.resolution) return 'Not resolved.';
  return [
    `- Resolved by: ${inline(doc.resolution.by ?? '(not recorded)')}`,
    `- Resolved at (UTC): ${doc.resolution.at}`,
    '',
    fenced(doc.resolution.summary ?? '(no summary recorded)'),
  ].join('\n');
}

function durationsSection(doc: CaseDocument): string {
  const totals = table(
    ['Measure', 'Duration'],
    [
      ['Time to first acknowledgement', durationText(doc.durations.toFirstAcknowledgementMs)],
      ['Time to resolution', durationText(doc.durations.toResolutionMs)],
      ['Time paused', durationText(doc.durations.pausedMs)],
    ],
  );
  const levels = table(
    ['Level', 'Entered (UTC)', 'Left (UTC)', 'Time at level', 'Of which paused'],
    doc.durations.levels.map((stint) => [
      stint.level.name,
      stint.enteredAt,
      stint.leftAt ?? 'still there',
      durationText(stint.durationMs),
      durationText(stint.pausedMs),
    ]),
  );
  return [totals, '', levels].join('\n');
}

export function caseMarkdown(doc: CaseDocument): string {
  const steps =
    doc.attemptedSteps.length > 0 ? doc.attemptedSteps.map((step) => `- ${inline(step)}`) : ['(none recorded)'];
  const sections: [string, string][] = [
    ['Description', doc.description === null ? '(none given)' : fenced(doc.description)],
    ['Steps attempted', steps.join('\n')],
    ['Timeline', timelineSection(doc)],
    ['Escalations', escalationsSection(doc)],
    ['Handoffs as sent', handoffsSection(doc)],
    ['Notifications', notificationsSection(doc)],
    ['Acknowledgements', notesSection(doc.acknowledgements)],
    ['Comments', notesSection(doc.comments)],
    ['Pauses', pausesSection(doc)],
    ['Resolution', resolutionSection(doc)],
    ['Durations', durationsSection(doc)],
  ];
  return [
    `# Escalation ${inline(doc.id)}: ${inline(doc.title)}`,
    '',
    facts(doc),
    ...sections.flatMap(([title, body]) => ['', `## ${title}`, '', body]),
    '',
  ].join('\n');
}
