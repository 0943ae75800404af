// The case store in SQL, written once against SqlClient so PGlite and PostgreSQL behave the same.
import type { Priority } from '../shared/plan';
import type { Status } from '../shared/escalation';
import type { Audience } from '../shared/notifications';
import type { CaseSnapshot } from '../shared/snapshot';
import type {
  CommandRequest,
  CommandStatus,
  CaseFilter,
  CaseRecord,
  CaseStore,
  MigrationFilter,
  NotificationClaim,
  NotificationRecord,
  NotificationStatus,
  OpenCaseCount,
  TimelineRecord,
  WorklistFilter,
} from './case-store';
import { StoreInvalidInput, StoreUnavailable, causeMessage } from './errors';
import { migrate } from './migrations';
import type { SqlClient } from './sql-client';

export const DEFAULT_LIST_LIMIT = 100;
export const MAX_LIST_LIMIT = 1000;
/** A replay window's cases are all loaded into memory and run at once; beyond this, narrow the window. */
export const MAX_WINDOW_LIMIT = 5000;
/** Case ids per query in timelinesFor: keeps each statement's array parameter small. */
export const TIMELINE_CHUNK = 1000;

/** Drivers return timestamptz as Date (pg, PGlite) or text; records always carry ISO strings. */
type Timestamp = Date | string;

interface CaseRow {
  id: string;
  workflow_id: string;
  title: string;
  description: string | null;
  category: string;
  priority: Priority;
  status: Status;
  level_index: number;
  level_name: string;
  owner: string | null;
  unowned: boolean;
  reporter_name: string;
  reporter_email: string;
  attempted_steps: string[];
  matrix_version: string;
  ack_due_at: Timestamp | null;
  resolve_due_at: Timestamp | null;
  next_action: string | null;
  next_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  resolved_at: Timestamp | null;
  resolution: string | null;
  revision: number;
  assignees: string[];
  sla_due_at: Timestamp | null;
  paused: boolean;
  snapshot: CaseSnapshot | null;
}

interface TimelineRow {
  case_id: string;
  seq: number;
  at: Timestamp;
  type: string;
  level_index: number | null;
  level_name: string | null;
  by: string | null;
  note: string | null;
  details: object | null;
}

interface NotificationRow {
  idempotency_key: string;
  case_id: string;
  channel: string;
  recipient: string;
  audience: Audience;
  subject: string;
  body: string;
  requested_at: Timestamp;
  status: NotificationStatus;
  sent_at: Timestamp | null;
  attempts: number;
  failure_reason: string | null;
  failed_at: Timestamp | null;
}

const CASE_COLUMNS = [
  'id',
  'workflow_id',
  'title',
  'description',
  'category',
  'priority',
  'status',
  'level_index',
  'level_name',
  'owner',
  'unowned',
  'reporter_name',
  'reporter_email',
  'attempted_steps',
  'matrix_version',
  'ack_due_at',
  'resolve_due_at',
  'next_action',
  'next_at',
  'created_at',
  'updated_at',
  'resolved_at',
  'resolution',
  'revision',
  'assignees',
  'sla_due_at',
  'paused',
  'snapshot',
] as const;

/** Parameter casts: pg sends a JS array as an array literal (right for text[]) and JSON as text. */
const CASTS: Partial<Record<(typeof CASE_COLUMNS)[number], string>> = {
  attempted_steps: '::jsonb',
  assignees: '::text[]',
  snapshot: '::jsonb',
};

const CASE_SELECT = `SELECT ${CASE_COLUMNS.join(', ')} FROM cases`;

const UPSERT_CASE = `
INSERT INTO cases (${CASE_COLUMNS.join(', ')})
VALUES (${CASE_COLUMNS.map((column, i) => `$${i + 1}${CASTS[column] ?? ''}`).join(', ')})
ON CONFLICT (id) DO UPDATE SET
${CASE_COLUMNS.filter((column) => column !== 'id')
  .map((column) => `  ${column} = excluded.${column}`)
  .join(',\n')}
WHERE cases.revision < excluded.revision`;

// By the generated rank columns rather than CASE expressions, so the urgency indexes can serve this order.
const URGENCY_ORDER = 'ORDER BY priority_rank, status_rank, next_at ASC NULLS LAST, created_at, id';

// The order cases_worklist_idx holds: priority, running before paused, the nearest SLA target (breached first).
const WORKLIST_ORDER = 'ORDER BY priority_rank, paused, sla_due_at ASC NULLS LAST, created_at, id';

const NOTIFICATION_COLUMNS =
  'idempotency_key, case_id, channel, recipient, audience, subject, body, requested_at, status, sent_at, attempts, failure_reason, failed_at';

interface CommandRow {
  case_id: string;
  request_id: string;
  command: string;
  fingerprint: string;
  status: CommandStatus;
  reason: string | null;
  detail: string | null;
  created_at: Date | string;
  finished_at: Date | string | null;
}

const isoOf = (value: Date | string) => new Date(value).toISOString();

export class SqlCaseStore implements CaseStore {
  constructor(private readonly client: SqlClient) {}

  migrate(): Promise<void> {
    return migrate(this.client);
  }

  async recordTransition(snapshot: CaseRecord, events: TimelineRecord[]): Promise<void> {
    const foreign = events.find((event) => event.caseId !== snapshot.id);
    if (foreign !== undefined) {
      throw new StoreInvalidInput(
        `timeline event ${foreign.seq} belongs to case ${foreign.caseId}, not to the snapshot's case ${snapshot.id}`,
      );
    }
    await this.client.transaction(async (tx) => {
      await tx.query(UPSERT_CASE, caseParams(snapshot));
      if (events.length === 0) return;
      const values = events.map(
        (_, i) => `(${Array.from({ length: 9 }, (_, j) => `$${i * 9 + j + 1}${j === 8 ? '::jsonb' : ''}`).join(', ')})`,
      );
      const params = events.flatMap((event) => [
        event.caseId,
        event.seq,
        event.at,
        event.type,
        event.levelIndex,
        event.levelName,
        event.by,
        event.note,
        event.details === undefined || event.details === null ? null : JSON.stringify(event.details),
      ]);
      // A retried activity replays the same events: the (case_id, seq) key makes the replay a no-op.
      await tx.query(
        `INSERT INTO timeline_events (case_id, seq, at, type, level_index, level_name, by, note, details)
         VALUES ${values.join(', ')}
         ON CONFLICT (case_id, seq) DO NOTHING`,
        params,
      );
    });
  }

  async getCase(id: string): Promise<CaseRecord | undefined> {
    const result = await this.client.query<CaseRow>(`${CASE_SELECT} WHERE id = $1`, [id]);
    const row = result.rows[0];
    return row === undefined ? undefined : toCaseRecord(row);
  }

  async listCases(filter: CaseFilter): Promise<CaseRecord[]> {
    const conditions: string[] = [];
    const params: unknown[] = [];
    if (filter.status !== undefined) {
      params.push(filter.status);
      conditions.push(`status = $${params.length}`);
    }
    if (filter.priority !== undefined) {
      params.push(filter.priority);
      conditions.push(`priority = $${params.length}`);
    }
    params.push(listLimit(filter.limit, 'listCases'));
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    const result = await this.client.query<CaseRow>(
      `${CASE_SELECT} ${where} ${URGENCY_ORDER} LIMIT $${params.length}`,
      params,
    );
    return result.rows.map(toCaseRecord);
  }

  async migrationCandidates(filter: MigrationFilter): Promise<CaseRecord[]> {
    const params: unknown[] = [filter.status ? [filter.status] : ['open', 'acknowledged'], filter.toVersion];
    const conditions = ['status = ANY($1::text[])', 'matrix_version <> $2'];
    if (filter.fromVersion !== undefined) {
      params.push(filter.fromVersion);
      conditions.push(`matrix_version = $${params.length}`);
    }
    if (filter.priority !== undefined) {
      params.push(filter.priority);
      conditions.push(`priority = $${params.length}`);
    }
    params.push(listLimit(filter.limit, 'migrationCandidates'));
    const result = await this.client.query<CaseRow>(
      `${CASE_SELECT} WHERE ${conditions.join(' AND ')} ORDER BY created_at, id LIMIT $${params.length}`,
      params,
    );
    return result.rows.map(toCaseRecord);
  }

  async countOpenCases(): Promise<OpenCaseCount[]> {
    const result = await this.client.query<{ level_name: string; priority: Priority; count: number }>(
      `SELECT level_name, priority, count(*)::int AS count FROM cases
       WHERE status IN ('open', 'acknowledged') GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    return result.rows.map((row) => ({ levelName: row.level_name, priority: row.priority, count: Number(row.count) }));
  }

  async worklist(filter: WorklistFilter): Promise<CaseRecord[]> {
    if (filter.owner === undefined && filter.team === undefined) {
      throw new StoreInvalidInput('worklist needs an owner or a team (or both)');
    }
    const conditions = ["status IN ('open', 'acknowledged')"];
    const params: unknown[] = [];
    // "assignees @> ARRAY[x]" is "x = ANY(assignees)" in a form the GIN index on assignees can serve.
    if (filter.owner !== undefined) {
      params.push(filter.owner);
      conditions.push(`(owner = $${params.length} OR assignees @> ARRAY[$${params.length}::text])`);
    }
    if (filter.team !== undefined) {
      params.push(filter.team);
      conditions.push(`assignees @> ARRAY[$${params.length}::text]`);
    }
    params.push(listLimit(filter.limit, 'worklist'));
    const result = await this.client.query<CaseRow>(
      `${CASE_SELECT} WHERE ${conditions.join(' AND ')} ${WORKLIST_ORDER} LIMIT $${params.length}`,
      params,
    );
    return result.rows.map(toCaseRecord);
  }

  async casesCreatedBetween(fromIso: string, toIso: string, limit: number): Promise<CaseRecord[]> {
    const from = instant(fromIso, 'fromIso');
    const to = instant(toIso, 'toIso');
    if (from > to) {
      throw new StoreInvalidInput(`casesCreatedBetween: fromIso ${fromIso} is after toIso ${toIso}`);
    }
    // Rejected rather than clamped like listCases: a silently shortened window would skew a replay's totals.
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_WINDOW_LIMIT) {
      throw new StoreInvalidInput(
        `casesCreatedBetween limit must be an integer from 1 to ${MAX_WINDOW_LIMIT}, got ${limit}; narrow the window instead`,
      );
    }
    const result = await this.client.query<CaseRow>(
      `${CASE_SELECT} WHERE created_at >= $1 AND created_at < $2 ORDER BY created_at, id LIMIT $3`,
      [new Date(from).toISOString(), new Date(to).toISOString(), limit],
    );
    return result.rows.map(toCaseRecord);
  }

  async timeline(caseId: string): Promise<TimelineRecord[]> {
    const result = await this.client.query<TimelineRow>(
      `SELECT case_id, seq, at, type, level_index, level_name, by, note, details
       FROM timeline_events WHERE case_id = $1 ORDER BY seq`,
      [caseId],
    );
    return result.rows.map(toTimelineRecord);
  }

  async timelinesFor(caseIds: string[]): Promise<Map<string, TimelineRecord[]>> {
    const timelines = new Map<string, TimelineRecord[]>();
    for (const id of caseIds) timelines.set(id, []);
    const ids = [...timelines.keys()];
    for (let start = 0; start < ids.length; start += TIMELINE_CHUNK) {
      const result = await this.client.query<TimelineRow>(
        `SELECT case_id, seq, at, type, level_index, level_name, by, note, details
         FROM timeline_events WHERE case_id = ANY($1::text[]) ORDER BY case_id, seq`,
        [ids.slice(start, start + TIMELINE_CHUNK)],
      );
      for (const row of result.rows) timelines.get(row.case_id)?.push(toTimelineRecord(row));
    }
    return timelines;
  }

  async claimNotification(record: NotificationClaim): Promise<'new' | NotificationStatus> {
    const inserted = await this.client.query<{ idempotency_key: string }>(
      `INSERT INTO notifications (idempotency_key, case_id, channel, recipient, audience, subject, body, requested_at, status, attempts)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', 1)
       ON CONFLICT (idempotency_key) DO NOTHING
       RETURNING idempotency_key`,
      [
        record.idempotencyKey,
        record.caseId,
        record.channel,
        record.recipient,
        record.audience,
        record.subject,
        record.body,
        record.requestedAt,
      ],
    );
    if (inserted.rows.length > 0) return 'new';
    // Another attempt at a pending notification counts; a sent or failed one is left as it is.
    const stored = await this.client.query<{ status: NotificationStatus }>(
      `UPDATE notifications SET attempts = attempts + CASE WHEN status = 'pending' THEN 1 ELSE 0 END
       WHERE idempotency_key = $1 RETURNING status`,
      [record.idempotencyKey],
    );
    const row = stored.rows[0];
    if (row === undefined) throw new StoreUnavailable(`notification ${record.idempotencyKey} vanished while claimed`);
    return row.status;
  }

  async claimNotifications(records: NotificationClaim[]): Promise<Map<string, 'new' | NotificationStatus>> {
    const claimed = new Map<string, 'new' | NotificationStatus>();
    if (records.length === 0) return claimed;
    const column = <K extends keyof NotificationClaim>(key: K) => records.map((record) => record[key]);
    const inserted = await this.client.query<{ idempotency_key: string }>(
      `INSERT INTO notifications (idempotency_key, case_id, channel, recipient, audience, subject, body, requested_at, status, attempts)
       SELECT k, c, ch, r, a, s, b, t, 'pending', 1
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[])
         AS claim(k, c, ch, r, a, s, b, t)
       ON CONFLICT (idempotency_key) DO NOTHING
       RETURNING idempotency_key`,
      [
        column('idempotencyKey'),
        column('caseId'),
        column('channel'),
        column('recipient'),
        column('audience'),
        column('subject'),
        column('body'),
        column('requestedAt'),
      ],
    );
    for (const row of inserted.rows) claimed.set(row.idempotency_key, 'new');
    const existing = records.map((record) => record.idempotencyKey).filter((key) => !claimed.has(key));
    if (existing.length > 0) {
      // Another attempt at a pending notification counts; a sent or failed one is left as it is.
      const stored = await this.client.query<{ idempotency_key: string; status: NotificationStatus }>(
        `UPDATE notifications SET attempts = attempts + CASE WHEN status = 'pending' THEN 1 ELSE 0 END
         WHERE idempotency_key = ANY($1::text[]) RETURNING idempotency_key, status`,
        [existing],
      );
      for (const row of stored.rows) claimed.set(row.idempotency_key, row.status);
    }
    const missing = records.find((record) => !claimed.has(record.idempotencyKey));
    if (missing) throw new StoreUnavailable(`notification ${missing.idempotencyKey} vanished while claimed`);
    return claimed;
  }

  async markNotificationFailed(idempotencyKey: string, reason: string, failedAt: string): Promise<void> {
    const result = await this.client.query<{ idempotency_key: string }>(
      `UPDATE notifications SET status = CASE WHEN status = 'sent' THEN status ELSE 'failed' END,
         failure_reason = CASE WHEN status = 'sent' THEN failure_reason ELSE $2 END,
         failed_at = CASE WHEN status = 'sent' THEN failed_at ELSE COALESCE(failed_at, $3) END
       WHERE idempotency_key = $1 RETURNING idempotency_key`,
      [idempotencyKey, reason, failedAt],
    );
    if (result.rows.length === 0) {
      throw new StoreInvalidInput(
        `notification ${idempotencyKey} was never claimed; call claimNotification before markNotificationFailed`,
      );
    }
  }

  async markNotificationSent(idempotencyKey: string, sentAt: string): Promise<void> {
    // COALESCE keeps the first delivery time when a retried activity marks the same notification again.
    const result = await this.client.query<{ idempotency_key: string }>(
      `UPDATE notifications SET status = 'sent', sent_at = COALESCE(sent_at, $2)
       WHERE idempotency_key = $1 RETURNING idempotency_key`,
      [idempotencyKey, sentAt],
    );
    if (result.rows.length === 0) {
      throw new StoreInvalidInput(
        `notification ${idempotencyKey} was never claimed; call claimNotification before markNotificationSent`,
      );
    }
  }

  async notifications(caseId: string): Promise<NotificationRecord[]> {
    const result = await this.client.query<NotificationRow>(
      `SELECT ${NOTIFICATION_COLUMNS} FROM notifications WHERE case_id = $1 ORDER BY requested_at, idempotency_key`,
      [caseId],
    );
    return result.rows.map(toNotificationRecord);
  }

  async claimCommand(
    request: Pick<CommandRequest, 'caseId' | 'requestId' | 'command' | 'fingerprint' | 'createdAt'>,
  ): Promise<CommandRequest> {
    await this.client.query(
      `INSERT INTO command_requests (case_id, request_id, command, fingerprint, created_at)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (case_id, request_id) DO NOTHING`,
      [request.caseId, request.requestId, request.command, request.fingerprint, request.createdAt],
    );
    const stored = await this.getCommand(request.caseId, request.requestId);
    if (stored === undefined) {
      throw new StoreUnavailable(`command ${request.requestId} of case ${request.caseId} vanished while claimed`);
    }
    return stored;
  }

  async finishCommand(
    caseId: string,
    requestId: string,
    outcome: { status: Exclude<CommandStatus, 'pending'>; reason?: string; detail?: string; finishedAt: string },
  ): Promise<void> {
    await this.client.query(
      `UPDATE command_requests SET status = $3, reason = $4, detail = $5, finished_at = $6
       WHERE case_id = $1 AND request_id = $2 AND status = 'pending'`,
      [caseId, requestId, outcome.status, outcome.reason ?? null, outcome.detail ?? null, outcome.finishedAt],
    );
  }

  async getCommand(caseId: string, requestId: string): Promise<CommandRequest | undefined> {
    const result = await this.client.query<CommandRow>(
      `SELECT case_id, request_id, command, fingerprint, status, reason, detail, created_at, finished_at
       FROM command_requests WHERE case_id = $1 AND request_id = $2`,
      [caseId, requestId],
    );
    const row = result.rows[0];
    return row === undefined
      ? undefined
      : {
          caseId: row.case_id,
          requestId: row.request_id,
          command: row.command,
          fingerprint: row.fingerprint,
          status: row.status,
          reason: row.reason,
          detail: row.detail,
          createdAt: isoOf(row.created_at),
          finishedAt: row.finished_at === null ? null : isoOf(row.finished_at),
        };
  }

  async nextCaseNumber(): Promise<number> {
    const result = await this.client.query<{ n: string | number }>("SELECT nextval('case_number_seq') AS n");
    const row = result.rows[0];
    if (row === undefined) throw new StoreUnavailable(`nextval returned no row on ${this.client.description}`);
    // int8 arrives as text from pg; case numbers stay far below 2^53.
    return Number(row.n);
  }

  async ping(): Promise<void> {
    try {
      await this.client.query('SELECT 1');
    } catch (error) {
      throw new StoreUnavailable(`cannot reach ${this.client.description}: ${causeMessage(error)}`);
    }
  }

  close(): Promise<void> {
    return this.client.close();
  }
}

function listLimit(limit: number | undefined, what: string): number {
  if (limit === undefined) return DEFAULT_LIST_LIMIT;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new StoreInvalidInput(`${what} limit must be a positive integer, got ${limit}`);
  }
  return Math.min(limit, MAX_LIST_LIMIT);
}

/** Milliseconds of an ISO-8601 instant; anything else is the caller's mistake, named in the error. */
function instant(text: string, what: string): number {
  const ms = Date.parse(text);
  if (typeof text !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(ms)) {
    throw new StoreInvalidInput(`${what} must be an ISO-8601 instant such as 2026-10-01T00:00:00Z, got "${text}"`);
  }
  return ms;
}

function caseParams(record: CaseRecord): unknown[] {
  return [
    record.id,
    record.workflowId,
    record.title,
    record.description,
    record.category,
    record.priority,
    record.status,
    record.levelIndex,
    record.levelName,
    record.owner,
    record.unowned,
    record.reporterName,
    record.reporterEmail,
    // pg would send a JS array as a PostgreSQL array literal, which is not JSON.
    JSON.stringify(record.attemptedSteps),
    record.matrixVersion,
    record.ackDueAt,
    record.resolveDueAt,
    record.nextAction,
    record.nextAt,
    record.createdAt,
    record.updatedAt,
    record.resolvedAt,
    record.resolution,
    record.revision,
    record.assignees,
    record.slaDueAt,
    record.paused,
    // SQL NULL when absent, not JSON.stringify(null) (the JSON value null).
    record.snapshot ? JSON.stringify(record.snapshot) : null,
  ];
}

function iso(value: Timestamp): string {
  return new Date(value).toISOString();
}

function isoOrNull(value: Timestamp | null): string | null {
  return value === null ? null : iso(value);
}

function toCaseRecord(row: CaseRow): CaseRecord {
  return {
    id: row.id,
    workflowId: row.workflow_id,
    title: row.title,
    description: row.description,
    category: row.category,
    priority: row.priority,
    status: row.status,
    levelIndex: row.level_index,
    levelName: row.level_name,
    owner: row.owner,
    unowned: row.unowned,
    reporterName: row.reporter_name,
    reporterEmail: row.reporter_email,
    attemptedSteps: [...row.attempted_steps],
    matrixVersion: row.matrix_version,
    ackDueAt: isoOrNull(row.ack_due_at),
    resolveDueAt: isoOrNull(row.resolve_due_at),
    nextAction: row.next_action,
    nextAt: isoOrNull(row.next_at),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    resolvedAt: isoOrNull(row.resolved_at),
    resolution: row.resolution,
    revision: row.revision,
    assignees: [...row.assignees],
    slaDueAt: isoOrNull(row.sla_due_at),
    paused: row.paused,
    snapshot: row.snapshot,
  };
}

function toTimelineRecord(row: TimelineRow): TimelineRecord {
  return {
    caseId: row.case_id,
    seq: row.seq,
    at: iso(row.at),
    type: row.type,
    levelIndex: row.level_index,
    levelName: row.level_name,
    by: row.by,
    note: row.note,
    details: row.details,
  };
}

function toNotificationRecord(row: NotificationRow): NotificationRecord {
  return {
    idempotencyKey: row.idempotency_key,
    caseId: row.case_id,
    channel: row.channel,
    recipient: row.recipient,
    audience: row.audience,
    subject: row.subject,
    body: row.body,
    requestedAt: iso(row.requested_at),
    status: row.status,
    sentAt: isoOrNull(row.sent_at),
    attempts: Number(row.attempts),
    failureReason: row.failure_reason,
    failedAt: isoOrNull(row.failed_at),
  };
}
