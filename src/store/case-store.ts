// The queryable record of cases, their timelines and notifications: what people search and report on.
// The workflow is the source of truth for a live case; activities write here, the API lists from here.
import type { Priority } from '../shared/plan';
import type { Status } from '../shared/escalation';
import type { Audience } from '../shared/notifications';
import type { CaseSnapshot } from '../shared/snapshot';

export interface CaseRecord {
  id: string;
  workflowId: string;
  title: string;
  description: string | null;
  category: string;
  priority: Priority;
  status: Status;
  levelIndex: number;
  levelName: string;
  owner: string | null;
  unowned: boolean;
  reporterName: string;
  reporterEmail: string;
  attemptedSteps: string[];
  matrixVersion: string;
  ackDueAt: string | null;
  resolveDueAt: string | null;
  nextAction: string | null;
  nextAt: string | null;
  createdAt: string;
  updatedAt: string;
  resolvedAt: string | null;
  resolution: string | null;
  /** Monotonic per case (events recorded so far); an older snapshot never overwrites a newer one. */
  revision: number;
  /** Ids (people, teams, rotations) and names responsible now: the worklist filters on these. */
  assignees: string[];
  /** The nearest SLA target still running (ack while open, else resolve); null when paused or not open. */
  slaDueAt: string | null;
  paused: boolean;
  /** The whole case as last documented (tasks, teams, feedback, review...); null on rows written before it. */
  snapshot: CaseSnapshot | null;
}

export interface TimelineRecord {
  caseId: string;
  seq: number;
  at: string;
  type: string;
  levelIndex: number | null;
  levelName: string | null;
  by: string | null;
  note: string | null;
  /**
   * What happened as data, shaped per `type` by TimelineDetails (src/shared/timeline.ts); read it with detailsOf.
   * Null on events recorded before details existed.
   */
  details?: object | null;
}

export interface NotificationRecord {
  idempotencyKey: string;
  caseId: string;
  channel: string;
  recipient: string;
  audience: Audience;
  subject: string;
  body: string;
  requestedAt: string;
  status: NotificationStatus;
  sentAt: string | null;
  /** How many times delivery was started (each activity attempt that reached the channel counts once). */
  attempts: number;
  /** Why delivery failed for good (a bad address, a rejected request); null unless `status` is `failed`. */
  failureReason: string | null;
  failedAt: string | null;
}

export type NotificationStatus = 'pending' | 'sent' | 'failed';

/** What a sender claims: the notification without its delivery state. */
export type NotificationClaim = Omit<
  NotificationRecord,
  'status' | 'sentAt' | 'attempts' | 'failureReason' | 'failedAt'
>;

export interface CaseFilter {
  status?: Status;
  priority?: Priority;
  limit?: number;
}

/** Running cases an explicit batch migration would move onto matrix `toVersion`. */
export interface MigrationFilter {
  /** The matrix version the batch moves cases to: cases already on it are not candidates. */
  toVersion: string;
  /** Only cases on this version; absent: any other version. */
  fromVersion?: string;
  /** `open` or `acknowledged`; absent: both. */
  status?: 'open' | 'acknowledged';
  priority?: Priority;
  limit?: number;
}

export interface WorklistFilter {
  owner?: string;
  team?: string;
  limit?: number;
}

/** Open and acknowledged cases at one level (by name) and priority. */
export interface OpenCaseCount {
  levelName: string;
  priority: Priority;
  count: number;
}

export type CommandStatus = 'pending' | 'applied' | 'refused';

/** A command as first sent under a Request-Id, and how it ended. */
export interface CommandRequest {
  caseId: string;
  requestId: string;
  /** `acknowledge`, `resolve`, ... */
  command: string;
  /** A digest of the command's input: the same id with another body is another command. */
  fingerprint: string;
  status: CommandStatus;
  reason: string | null;
  detail: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export interface CaseStore {
  /** Applies pending migrations; safe to call on every start. */
  migrate(): Promise<void>;
  /** In one transaction: upsert the case snapshot (only if its revision is newer) and insert events not yet stored. */
  recordTransition(snapshot: CaseRecord, events: TimelineRecord[]): Promise<void>;
  getCase(id: string): Promise<CaseRecord | undefined>;
  /** Most urgent first: priority (critical first), then unresolved before resolved, then the earliest next action, then oldest. */
  listCases(filter: CaseFilter): Promise<CaseRecord[]>;
  /** Running cases on another matrix version than `toVersion`, oldest first (the batch migration's selection). */
  migrationCandidates(filter: MigrationFilter): Promise<CaseRecord[]>;
  /** How many cases are open or acknowledged, per current level name and priority (for the open-cases gauge). */
  countOpenCases(): Promise<OpenCaseCount[]>;
  /**
   * Open and acknowledged cases of an owner or team (matched against `assignees` and `owner`), most urgent first:
   * priority, then the nearest SLA target (breached first), paused cases last within their priority.
   */
  worklist(filter: WorklistFilter): Promise<CaseRecord[]>;
  timeline(caseId: string): Promise<TimelineRecord[]>;
  /**
   * The timelines of many cases at once (reports): every requested id is a key, with its events in seq order
   * (empty when it has none). Ids are read 1000 at a time, one query each.
   */
  timelinesFor(caseIds: string[]): Promise<Map<string, TimelineRecord[]>>;
  /**
   * Cases created in [fromIso, toIso), oldest first (then by id), at most `limit` (1..5000): the what-if replay
   * reads a window of history with this. A full page means there may be more; the caller says so.
   */
  casesCreatedBetween(fromIso: string, toIso: string, limit: number): Promise<CaseRecord[]>;
  /**
   * Inserts the notification as pending unless its key exists, counting an attempt while it is pending; returns the
   * stored status ('new' when inserted now).
   */
  claimNotification(record: NotificationClaim): Promise<'new' | NotificationStatus>;
  /** claimNotification for many at once, in two statements: the stored status of each by idempotency key. */
  claimNotifications(records: NotificationClaim[]): Promise<Map<string, 'new' | NotificationStatus>>;
  markNotificationSent(idempotencyKey: string, sentAt: string): Promise<void>;
  /** Records that delivery failed for good, with the reason; a sent notification stays sent. */
  markNotificationFailed(idempotencyKey: string, reason: string, failedAt: string): Promise<void>;
  notifications(caseId: string): Promise<NotificationRecord[]>;
  /**
   * Records the first use of a Request-Id on a case (pending) unless it was used before; returns the request as
   * first recorded, so the caller can tell a retry (same command and fingerprint) from a reuse.
   */
  claimCommand(
    request: Pick<CommandRequest, 'caseId' | 'requestId' | 'command' | 'fingerprint' | 'createdAt'>,
  ): Promise<CommandRequest>;
  /** Records how a command ended; a finished command keeps its first outcome. */
  finishCommand(
    caseId: string,
    requestId: string,
    outcome: { status: Exclude<CommandStatus, 'pending'>; reason?: string; detail?: string; finishedAt: string },
  ): Promise<void>;
  getCommand(caseId: string, requestId: string): Promise<CommandRequest | undefined>;
  /** Next value of the case-number sequence (1, 2, 3, ...), shared by every API process on the same store. */
  nextCaseNumber(): Promise<number>;
  /** Throws when the store cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
