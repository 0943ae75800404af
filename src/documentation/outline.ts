// The documentation of one case laid out once, as titled sections of plain blocks (lines of text, lists, tables, text
// kept verbatim), shared by the Markdown export (./markdown.ts) and the PDF export (./pdf.ts) so both say exactly the
// same thing and each renderer only decides how it looks. A facts table, the full timeline, escalations, every handoff
// notice as sent, notifications with their delivery status, the resolution and durations; from the case's stored
// snapshot also evidence, teams, tasks, subscribers, feedback and reopens, a cancellation and the post-escalation review.
import type { RootCauseAnalysis } from '../shared/escalation';
import { formatDuration } from '../shared/duration';
import type { Addressee, CaseDocument, CaseLifecycle, LevelInfo, NoteEntry, WorkItemEntry } from './case-record';

export type Cell = string | number | null | undefined;

export type Block =
  /** One line of prose. */
  | { kind: 'text'; text: string }
  /** One line per item; numbered when `ordered`. */
  | { kind: 'list'; items: string[]; ordered?: boolean }
  | { kind: 'table'; headers: string[]; rows: Cell[][] }
  /** Text kept exactly as recorded (a notice as sent, a description). */
  | { kind: 'verbatim'; text: string }
  /** A heading inside a section (one handoff, one part of the review). */
  | { kind: 'subheading'; text: string };

export interface OutlineSection {
  title: string;
  blocks: Block[];
}

export interface CaseOutline {
  title: string;
  facts: [string, string][];
  sections: OutlineSection[];
}

const text = (value: string): Block => ({ kind: 'text', text: value });
const list = (items: string[], ordered = false): Block => ({ kind: 'list', items, ordered });
const table = (headers: string[], rows: Cell[][]): Block => ({ kind: 'table', headers, rows });
const verbatim = (value: string): Block => ({ kind: 'verbatim', text: value });
const subheading = (value: string): Block => ({ kind: 'subheading', text: value });
const NONE = text('(none)');

const levelText = (level: LevelInfo | null) => (level === null ? '' : level.name);

function addressee(to: Addressee): string {
  return `${to.name ?? '(name not recorded)'} <${to.address}> via ${to.channel}`;
}

/** `1h14m59s (4499750 ms)`; `—` when not (yet) known. */
export function durationText(ms: number | null): string {
  if (ms === null) return '—';
  return `${formatDuration(ms)} (${ms} ms)`;
}

const times = (n: number) => `${n} ${n === 1 ? 'time' : 'times'}`;
const ownerText = (owner: WorkItemEntry['owner']) => `${owner.name} (${owner.kind})`;

function occurredText(occurredAt: string, raisedAt: string): string {
  const before = Date.parse(raisedAt) - Date.parse(occurredAt);
  if (before < 0) return `${occurredAt} (${formatDuration(-before)} after it was raised)`;
  return `${occurredAt} (${formatDuration(before)} before it was raised)`;
}

function facts(doc: CaseDocument): [string, string][] {
  const life = doc.lifecycle;
  return [
    ['Case', doc.id],
    ['Title', doc.title],
    ['Status', doc.status],
    ['Priority', doc.priority],
    ['Category', doc.category],
    ['Reported by', `${doc.reporter.name} <${doc.reporter.email}>`],
    ...(life
      ? ([
          ['Reporter time zone', life.reporterTimeZone ?? 'UTC (none given)'],
          ['Occurred at (UTC)', life.occurredAt ? occurredText(life.occurredAt, doc.raisedAt) : '— (not given)'],
        ] as [string, string][])
      : []),
    ['Raised at (UTC)', doc.raisedAt],
    ['Triage', doc.triage ?? '—'],
    ['Current level', `${doc.currentLevel.name} (level ${doc.currentLevel.index})`],
    ['Owner', doc.unowned ? 'UNOWNED' : (doc.owner ?? '—')],
    ...(life
      ? ([
          ['Reopened', times(life.reopenCount)],
          ['Closed at (UTC)', life.closedAt ?? '—'],
        ] as [string, string][])
      : []),
    ['Matrix version', doc.matrixVersion],
    ['Workflow id', doc.workflowId],
  ];
}

function timelineBlocks(doc: CaseDocument): Block[] {
  return [
    table(
      ['Time (UTC)', 'Event', 'Level', 'By', 'Note'],
      doc.timeline.map((event) => [event.at, event.type, levelText(event.level), event.by, event.note]),
    ),
  ];
}

function escalationBlocks(doc: CaseDocument): Block[] {
  if (doc.escalations.length === 0) return [NONE];
  return [
    list(
      doc.escalations.map((entry) => {
        const route = `${entry.from?.name ?? '(unknown level)'} -> ${entry.to?.name ?? '(unknown level)'}`;
        const how =
          entry.kind === 'automatic'
            ? `automatic, ${entry.missedTarget ? `${entry.missedTarget} target missed` : 'target missed'}`
            : `manual, by ${entry.by ?? '(unknown)'}`;
        return `${entry.at} — ${route} (${how}): ${entry.reason ?? '(no reason recorded)'}`;
      }),
      true,
    ),
  ];
}

function handoffBlocks(doc: CaseDocument): Block[] {
  if (doc.handoffs.length === 0) return [NONE];
  return doc.handoffs.flatMap((handoff, i) => [
    subheading(`${i + 1}. ${levelText(handoff.level) || '(unknown level)'} — ${addressee(handoff.to)}`),
    list([
      `Handed off at (UTC): ${handoff.at}`,
      `Delivery: ${handoff.status}${handoff.sentAt ? ` at ${handoff.sentAt}` : ''}`,
      `Subject: ${handoff.subject}`,
    ]),
    verbatim(handoff.body),
  ]);
}

function notificationBlocks(doc: CaseDocument): Block[] {
  if (doc.notifications.length === 0) return [NONE];
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
  if (unmatched.length === 0) return [rows];
  return [
    rows,
    text('Delivery failures not matched to a stored notification:'),
    list(unmatched.map((failure) => `${failure.at}: ${failure.note ?? '(no detail)'}`)),
  ];
}

function noteBlocks(entries: NoteEntry[]): Block[] {
  if (entries.length === 0) return [NONE];
  return [
    table(
      ['Time (UTC)', 'Level', 'By', 'Note'],
      entries.map((entry) => [entry.at, levelText(entry.level), entry.by, entry.note]),
    ),
  ];
}

function pauseBlocks(doc: CaseDocument): Block[] {
  if (doc.pauses.length === 0) return [NONE];
  return [
    table(
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
    ),
  ];
}

function resolutionBlocks(doc: CaseDocument): Block[] {
  const life = doc.lifecycle;
  const earlier: Block[] =
    life && life.earlierResolutions.length > 0
      ? [
          text('Earlier resolutions, each followed by a reopen:'),
          list(
            life.earlierResolutions.map(
              (entry) => `${entry.at} — by ${entry.by ?? '(not recorded)'}: ${entry.note ?? '(no summary recorded)'}`,
            ),
            true,
          ),
        ]
      : [];
  if (!doc.resolution) return [text('Not resolved.'), ...earlier];
  const { resolution } = doc;
  const detail = life?.resolution && life.resolution.at === resolution.at ? life.resolution : null;
  const reopened = life?.reopens.find((entry) => entry.at >= resolution.at);
  const fields = [
    `Resolved by: ${resolution.by ?? '(not recorded)'}`,
    `Resolved at (UTC): ${resolution.at}`,
    ...(detail
      ? [
          `Resolved at level: ${detail.level.name}`,
          `Root cause: ${detail.rootCause ?? '(not given)'}`,
          ...(detail.fix === null ? ['Fix: (not given)'] : []),
          ...(detail.forced !== null ? [`Forced with blocking tasks open: ${detail.forced}`] : []),
        ]
      : []),
    ...(reopened ? [`Reopened afterwards: ${reopened.at} by ${reopened.by ?? '(not recorded)'}`] : []),
  ];
  return [
    list(fields),
    verbatim(resolution.summary ?? '(no summary recorded)'),
    ...(detail?.fix ? [text('Fix:'), verbatim(detail.fix)] : []),
    ...earlier,
  ];
}

function durationBlocks(doc: CaseDocument): Block[] {
  return [
    table(
      ['Measure', 'Duration'],
      [
        ['Time to first acknowledgement', durationText(doc.durations.toFirstAcknowledgementMs)],
        ['Time to resolution', durationText(doc.durations.toResolutionMs)],
        ['Time paused', durationText(doc.durations.pausedMs)],
      ],
    ),
    table(
      ['Level', 'Entered (UTC)', 'Left (UTC)', 'Time at level', 'Of which paused'],
      doc.durations.levels.map((stint) => [
        stint.level.name,
        stint.enteredAt,
        stint.leftAt ?? 'still there',
        durationText(stint.durationMs),
        durationText(stint.pausedMs),
      ]),
    ),
  ];
}

function evidenceBlocks(life: CaseLifecycle): Block[] {
  if (life.evidence.length === 0) return [NONE];
  return [
    table(
      ['Id', 'Type', 'Title', 'URL', 'Content type', 'Size (bytes)', 'SHA-256', 'Added by', 'Added at (UTC)', 'Note'],
      life.evidence.map((e) => [
        e.id,
        e.type,
        e.title,
        e.url,
        e.contentType,
        e.sizeBytes,
        e.sha256,
        e.addedBy,
        e.addedAt,
        e.note,
      ]),
    ),
  ];
}

function teamBlocks(life: CaseLifecycle): Block[] {
  if (life.teams.length === 0) return [NONE];
  return [
    table(
      ['Team', 'Added by', 'Added at (UTC)', 'Note'],
      life.teams.map((team) => [`${team.name} (${team.id})`, team.addedBy, team.addedAt, team.note]),
    ),
  ];
}

function workItemTable(items: WorkItemEntry[], kind: 'Task' | 'Item'): Block {
  const task = kind === 'Task';
  return table(
    [
      kind,
      'Title',
      'Owner',
      'Due (UTC)',
      ...(task ? ['Blocking'] : []),
      'State',
      'Created (UTC)',
      'Created by',
      'Closed (UTC)',
      'Closed by',
      'Note',
    ],
    items.map((item) => [
      item.id,
      item.title,
      ownerText(item.owner),
      item.dueAt,
      ...(task ? [item.blocking ? 'yes' : 'no'] : []),
      item.state,
      item.createdAt,
      item.createdBy,
      item.closedAt,
      item.closedBy,
      item.note,
    ]),
  );
}

function taskBlocks(life: CaseLifecycle): Block[] {
  return life.tasks.length === 0 ? [NONE] : [workItemTable(life.tasks, 'Task')];
}

function subscriberBlocks(life: CaseLifecycle): Block[] {
  if (life.subscribers.length === 0) return [NONE];
  return [
    table(
      ['Name', 'Channel', 'Address', 'Audience', 'Added by', 'Added at (UTC)'],
      life.subscribers.map((s) => [s.name, s.channel, s.address, s.audience, s.addedBy, s.addedAt]),
    ),
  ];
}

function feedbackBlocks(life: CaseLifecycle): Block[] {
  const awaiting = life.awaitingFeedback;
  const blocks: Block[] = [
    list([
      `Reopened: ${times(life.reopenCount)}`,
      ...(awaiting
        ? [`Waiting for the reporter's feedback on round ${awaiting.round} until (UTC): ${awaiting.closesAt}`]
        : []),
    ]),
    life.feedback.length === 0
      ? text('No feedback received.')
      : table(
          ['Round', 'Time (UTC)', 'By', 'Score', 'Satisfied', 'Comment'],
          life.feedback.map((f) => [f.round, f.at, f.by, `${f.score}/5`, f.satisfied ? 'yes' : 'no', f.comment]),
        ),
  ];
  if (life.reopens.length > 0) {
    blocks.push(
      table(
        ['Reopened (UTC)', 'Level', 'By', 'Reason'],
        life.reopens.map((entry) => [entry.at, levelText(entry.level), entry.by, entry.note]),
      ),
    );
  }
  return blocks;
}

function cancellationBlocks(life: CaseLifecycle): Block[] {
  const cancellation = life.cancellation;
  if (!cancellation) return [text('Not cancelled.')];
  return [
    list([
      `Cancelled by: ${cancellation.by}`,
      `Cancelled at (UTC): ${cancellation.at}`,
      `Reason: ${cancellation.reason}${cancellation.duplicateOf ? ` of ${cancellation.duplicateOf}` : ''}`,
    ]),
    verbatim(cancellation.note),
  ];
}

function rootCauseBlocks(rootCause: RootCauseAnalysis | null): Block[] {
  if (rootCause === null) return [subheading('Root cause analysis'), text('(not yet submitted)')];
  if (rootCause.method === 'five-whys') {
    return [subheading('Root cause analysis (five whys)'), list(rootCause.whys, true)];
  }
  return [subheading('Root cause analysis'), verbatim(rootCause.analysis)];
}

function reviewBlocks(life: CaseLifecycle): Block[] {
  const review = life.review;
  if (!review) return [text('No review.')];
  const points = (items: string[]) => (items.length === 0 ? text('(none recorded)') : list(items));
  return [
    list([
      `Status: ${review.status}`,
      `Owner: ${ownerText(review.owner)}`,
      `Why reviewed: ${review.reasons.join('; ') || '(not recorded)'}`,
      `Opened at (UTC): ${review.openedAt}`,
      `Due (UTC): ${review.dueAt}`,
      `Submitted: ${review.submittedAt ? `${review.submittedAt} by ${review.submittedBy ?? '(not recorded)'}` : 'not yet'}`,
      `Completed at (UTC): ${review.completedAt ?? '—'}`,
      `Root cause category: ${review.rootCauseCategory ?? '(not given)'}`,
    ]),
    subheading('What happened'),
    review.whatHappened === null ? text('(not yet submitted)') : verbatim(review.whatHappened),
    ...rootCauseBlocks(review.rootCause),
    subheading('What went well'),
    points(review.wentWell),
    subheading('What went badly'),
    points(review.wentBadly),
    subheading('Action items'),
    review.actionItems.length === 0 ? NONE : workItemTable(review.actionItems, 'Item'),
  ];
}

/** The whole documentation of a case, section by section; lifecycle sections only when the store has a snapshot. */
export function caseOutline(doc: CaseDocument): CaseOutline {
  const life = doc.lifecycle;
  const steps: Block = doc.attemptedSteps.length > 0 ? list(doc.attemptedSteps) : text('(none recorded)');
  const sections: [string, Block[] | null][] = [
    ['Description', [doc.description === null ? text('(none given)') : verbatim(doc.description)]],
    ['Steps attempted', [steps]],
    ['Evidence', life && evidenceBlocks(life)],
    ['Timeline', timelineBlocks(doc)],
    ['Escalations', escalationBlocks(doc)],
    ['Handoffs as sent', handoffBlocks(doc)],
    ['Notifications', notificationBlocks(doc)],
    ['Acknowledgements', noteBlocks(doc.acknowledgements)],
    ['Comments', noteBlocks(doc.comments)],
    ['Pauses', pauseBlocks(doc)],
    ['Teams added', life && teamBlocks(life)],
    ['Tasks', life && taskBlocks(life)],
    ['Subscribers', life && subscriberBlocks(life)],
    ['Resolution', resolutionBlocks(doc)],
    ['Feedback and reopens', life && feedbackBlocks(life)],
    ['Cancellation', life && cancellationBlocks(life)],
    ['Durations', durationBlocks(doc)],
    ['Review', life && reviewBlocks(life)],
  ];
  return {
    title: `Escalation ${doc.id}: ${doc.title}`,
    facts: facts(doc),
    sections: sections
      .filter((entry): entry is [string, Block[]] => entry[1] !== null)
      .map(([title, blocks]) => ({ title, blocks })),
  };
}
