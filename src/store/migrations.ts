// The store's schema as ordered migrations, kept as TypeScript strings so a dist/ build needs no copied .sql files.
import { StoreMigrationFailed, causeMessage } from './errors';
import type { SqlClient } from './sql-client';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Append only: never edit a migration that has shipped, add the next version instead. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'init',
    sql: `
CREATE TABLE cases (
  id text PRIMARY KEY,
  workflow_id text NOT NULL,
  title text NOT NULL,
  description text,
  category text NOT NULL,
  priority text NOT NULL CHECK (priority IN ('critical', 'high', 'medium', 'low')),
  status text NOT NULL CHECK (status IN ('open', 'acknowledged', 'resolved')),
  level_index int NOT NULL,
  level_name text NOT NULL,
  owner text,
  unowned boolean NOT NULL,
  reporter_name text NOT NULL,
  reporter_email text NOT NULL,
  attempted_steps jsonb NOT NULL,
  matrix_version text NOT NULL,
  ack_due_at timestamptz,
  resolve_due_at timestamptz,
  next_action text,
  next_at timestamptz,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  resolved_at timestamptz,
  resolution text,
  revision int NOT NULL,
  -- Urgency ranks as stored columns so the list order can be read straight from an index.
  priority_rank smallint GENERATED ALWAYS AS (
    CASE priority WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END
  ) STORED,
  status_rank smallint GENERATED ALWAYS AS (
    CASE status WHEN 'open' THEN 0 WHEN 'acknowledged' THEN 1 ELSE 2 END
  ) STORED
);

CREATE INDEX cases_urgency_idx ON cases (priority_rank, status_rank, next_at, created_at, id);
CREATE INDEX cases_status_urgency_idx ON cases (status, priority_rank, next_at, created_at, id);
CREATE INDEX cases_priority_urgency_idx ON cases (priority, status_rank, next_at, created_at, id);

CREATE TABLE timeline_events (
  case_id text NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  seq int NOT NULL,
  at timestamptz NOT NULL,
  type text NOT NULL,
  level_index int,
  level_name text,
  by text,
  note text,
  PRIMARY KEY (case_id, seq)
);

-- No foreign key to cases: a notification may be claimed before the case snapshot that mentions it is written.
CREATE TABLE notifications (
  idempotency_key text PRIMARY KEY,
  case_id text NOT NULL,
  channel text NOT NULL,
  recipient text NOT NULL,
  audience text NOT NULL CHECK (audience IN ('reporter', 'assignee', 'stakeholder')),
  subject text NOT NULL,
  body text NOT NULL,
  requested_at timestamptz NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'sent')),
  sent_at timestamptz
);

CREATE INDEX notifications_case_idx ON notifications (case_id, requested_at);

CREATE SEQUENCE case_number_seq START WITH 1;
`,
  },
  {
    version: 2,
    name: 'delivery-status',
    // Delivery is recorded per notification: how often it was tried, and why it failed for good.
    sql: `
ALTER TABLE notifications DROP CONSTRAINT notifications_status_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_status_check CHECK (status IN ('pending', 'sent', 'failed'));
ALTER TABLE notifications ADD COLUMN attempts int NOT NULL DEFAULT 0;
ALTER TABLE notifications ADD COLUMN failure_reason text;
ALTER TABLE notifications ADD COLUMN failed_at timestamptz;

-- Reports and the what-if replay read windows of cases by creation time.
CREATE INDEX cases_created_idx ON cases (created_at, id);
`,
  },
  {
    version: 3,
    name: 'lifecycle',
    // Cases close (after the reporter's feedback) or are cancelled; the worklist finds the cases of a person or team
    // through who is responsible now, and the row keeps the whole case as last documented.
    sql: `
ALTER TABLE cases DROP CONSTRAINT cases_status_check;
ALTER TABLE cases ADD CONSTRAINT cases_status_check
  CHECK (status IN ('open', 'acknowledged', 'resolved', 'closed', 'cancelled'));

-- A generated column's expression cannot be altered: drop it (with the indexes on it) and add it again.
DROP INDEX cases_urgency_idx;
DROP INDEX cases_priority_urgency_idx;
ALTER TABLE cases DROP COLUMN status_rank;
ALTER TABLE cases ADD COLUMN status_rank smallint GENERATED ALWAYS AS (
  CASE status WHEN 'open' THEN 0 WHEN 'acknowledged' THEN 1 WHEN 'resolved' THEN 2 ELSE 3 END
) STORED;
CREATE INDEX cases_urgency_idx ON cases (priority_rank, status_rank, next_at, created_at, id);
CREATE INDEX cases_priority_urgency_idx ON cases (priority, status_rank, next_at, created_at, id);

ALTER TABLE cases ADD COLUMN assignees text[] NOT NULL DEFAULT '{}';
ALTER TABLE cases ADD COLUMN sla_due_at timestamptz;
ALTER TABLE cases ADD COLUMN paused boolean NOT NULL DEFAULT false;
ALTER TABLE cases ADD COLUMN snapshot jsonb;

-- Rows written before this migration: the owner is who is responsible, the nearest target comes from the due
-- times (whether such a case is paused is unknown until its next snapshot; LEAST skips nulls).
UPDATE cases SET
  assignees = CASE WHEN owner IS NULL THEN '{}'::text[] ELSE ARRAY[owner] END,
  sla_due_at = CASE status
    WHEN 'open' THEN LEAST(ack_due_at, resolve_due_at)
    WHEN 'acknowledged' THEN resolve_due_at
  END;

-- The worklist: "assignees @> ARRAY[$1]" is served by the GIN index, its order by the partial index.
CREATE INDEX cases_assignees_idx ON cases USING gin (assignees);
CREATE INDEX cases_open_owner_idx ON cases (owner) WHERE status IN ('open', 'acknowledged');
CREATE INDEX cases_worklist_idx ON cases (priority_rank, paused, sla_due_at, created_at, id)
  WHERE status IN ('open', 'acknowledged');
`,
  },
  {
    version: 4,
    name: 'command-requests',
    // What each Request-Id was first used for and how it ended, so that a reused id with another command is refused
    // and a caller whose command outlived its request can ask how it ended.
    sql: `
CREATE TABLE command_requests (
  case_id text NOT NULL,
  request_id text NOT NULL,
  command text NOT NULL,
  fingerprint text NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'applied', 'refused')),
  reason text,
  detail text,
  created_at timestamptz NOT NULL,
  finished_at timestamptz,
  PRIMARY KEY (case_id, request_id)
);
`,
  },
  {
    version: 5,
    name: 'timeline-details',
    // Each event's typed details (src/shared/timeline.ts) beside its sentence: exports, reports and replays read
    // these, never the sentence. Rows from before stay NULL and are read the old way.
    sql: `
ALTER TABLE timeline_events ADD COLUMN details jsonb;
`,
  },
];

// Any constant works; it only has to be the same in every process migrating the same database.
const MIGRATION_LOCK_KEY = 7_261_420_531;

/** Applies every migration not yet recorded in schema_migrations, each in its own transaction. */
export async function migrate(client: SqlClient, migrations: readonly Migration[] = MIGRATIONS): Promise<void> {
  assertOrdered(migrations);
  // The advisory lock serialises API and worker processes starting at once against the same PostgreSQL.
  await client.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version int PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
  });
  for (const migration of migrations) {
    try {
      await client.transaction(async (tx) => {
        await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
        const applied = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [migration.version]);
        if (applied.rows.length > 0) return;
        await tx.exec(migration.sql);
        await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
          migration.version,
          migration.name,
        ]);
      });
    } catch (error) {
      throw new StoreMigrationFailed(
        `migration ${migration.version} (${migration.name}) failed on ${client.description}: ${causeMessage(error)}. ` +
          'The database is left at the previous migration; fix the cause and restart.',
      );
    }
  }
}

function assertOrdered(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new StoreMigrationFailed(
        `migration "${migration.name}" has version ${migration.version}, expected ${index + 1}: versions must be 1, 2, 3, ... in order`,
      );
    }
  });
}
