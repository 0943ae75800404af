// What the checks read after a round, from the three places that record a case: the notification log (what the
// log channel actually wrote), the case store (PostgreSQL) and the workflows themselves (Temporal queries).
import type { Client } from '@temporalio/client';
import { existsSync, readFileSync } from 'node:fs';
import { Client as PgClient } from 'pg';
import type { EscalationState } from '../../src/shared/escalation';
import { workflowIdFor } from '../../src/shared/ids';
import { stateQuery } from '../../src/shared/messages';
import { inParallel } from './api-client';

/** One line of NOTIFICATION_LOG_FILE, as src/channels/log-channel.ts writes it. */
export interface LoggedNotification {
  idempotencyKey: string;
  caseId: string;
  recipient: { name: string; address: string; channel?: string };
  audience: string;
  subject: string;
  requestedAt: string;
}

export interface StoredEvent {
  caseId: string;
  seq: number;
  at: number;
  type: string;
  levelIndex: number | null;
  levelName: string | null;
}

export interface StoredNotification {
  key: string;
  caseId: string;
  channel: string;
  recipient: string;
  subject: string;
  status: 'pending' | 'sent' | 'failed';
  sentAt: number | undefined;
  failedAt: number | undefined;
  attempts: number;
}

export interface WorkflowView {
  caseId: string;
  /** Temporal's status of the run (RUNNING, COMPLETED, ...), or the error that stopped us from reading it. */
  runStatus: string;
  state: EscalationState | undefined;
}

export interface Observation {
  at: number;
  log: LoggedNotification[];
  /** Lines that were not JSON (a write torn by kill -9 would show here). */
  tornLines: number;
  cases: Set<string>;
  events: StoredEvent[];
  notifications: StoredNotification[];
  workflows: WorkflowView[];
}

export function readNotificationLog(
  file: string,
  caseIds: Set<string>,
): { log: LoggedNotification[]; tornLines: number } {
  if (!existsSync(file)) return { log: [], tornLines: 0 };
  const log: LoggedNotification[] = [];
  let tornLines = 0;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      const entry = JSON.parse(line) as LoggedNotification;
      if (caseIds.has(entry.caseId)) log.push(entry);
    } catch {
      tornLines++;
    }
  }
  return { log, tornLines };
}

const time = (value: Date | string | null): number | undefined =>
  value === null ? undefined : new Date(value).getTime();

export async function readStore(
  databaseUrl: string,
  caseIds: string[],
): Promise<Pick<Observation, 'cases' | 'events' | 'notifications'>> {
  const pg = new PgClient({ connectionString: databaseUrl });
  await pg.connect();
  try {
    const cases = await pg.query<{ id: string }>('SELECT id FROM cases WHERE id = ANY($1)', [caseIds]);
    const events = await pg.query<{
      case_id: string;
      seq: number;
      at: Date;
      type: string;
      level_index: number | null;
      level_name: string | null;
    }>(
      `SELECT case_id, seq, at, type, level_index, level_name FROM timeline_events WHERE case_id = ANY($1)
       ORDER BY case_id, seq`,
      [caseIds],
    );
    const notifications = await pg.query<{
      idempotency_key: string;
      case_id: string;
      channel: string;
      recipient: string;
      subject: string;
      status: StoredNotification['status'];
      sent_at: Date | null;
      failed_at: Date | null;
      attempts: number;
    }>(
      `SELECT idempotency_key, case_id, channel, recipient, subject, status, sent_at, failed_at, attempts
       FROM notifications WHERE case_id = ANY($1)`,
      [caseIds],
    );
    return {
      cases: new Set(cases.rows.map((row) => row.id)),
      events: events.rows.map((row) => ({
        caseId: row.case_id,
        seq: row.seq,
        at: row.at.getTime(),
        type: row.type,
        levelIndex: row.level_index,
        levelName: row.level_name,
      })),
      notifications: notifications.rows.map((row) => ({
        key: row.idempotency_key,
        caseId: row.case_id,
        channel: row.channel,
        recipient: row.recipient,
        subject: row.subject,
        status: row.status,
        sentAt: time(row.sent_at),
        failedAt: time(row.failed_at),
        attempts: row.attempts,
      })),
    };
  } finally {
    await pg.end();
  }
}

export async function readWorkflows(client: Client, caseIds: string[]): Promise<WorkflowView[]> {
  return inParallel(caseIds, 8, async (caseId) => {
    const handle = client.workflow.getHandle(workflowIdFor(caseId));
    try {
      const description = await handle.describe();
      const state = await handle.query(stateQuery);
      return { caseId, runStatus: description.status.name, state };
    } catch (error) {
      return { caseId, runStatus: `unreadable: ${(error as Error).message.split('\n')[0]}`, state: undefined };
    }
  });
}

export async function observe(
  sources: { databaseUrl: string; notificationLogFile: string; client: Client },
  caseIds: string[],
): Promise<Observation> {
  const at = Date.now();
  // In the order things happen to a case: its workflow moves first, then the store is written, then the channel
  // writes. Read the other way round, so that no source is seen ahead of one read before it (a case that escalates
  // between two reads would otherwise show more escalations in the store than in its workflow).
  const store = await readStore(sources.databaseUrl, caseIds);
  const { log, tornLines } = readNotificationLog(sources.notificationLogFile, new Set(caseIds));
  const workflows = await readWorkflows(sources.client, caseIds);
  return { at, log, tornLines, ...store, workflows };
}
