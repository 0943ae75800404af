// Every setting `npm run cluster` hands to the parts it starts, in one place: the files it shares with
// docker-compose.yml (server config, dynamic config, schema and namespace scripts), the environment of the Temporal
// server, of the schema job, of the namespace job, and of the product's workers and APIs. test/deploy checks that
// docker-compose.yml sets the same files and variables, so the two topologies cannot drift apart.
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/temporal/binaries';
import type { ClusterPorts } from './ports';

/** Files of deploy/ that both topologies use (paths relative to the project root). */
export const SHARED_FILES = {
  serverConfig: 'deploy/temporal/postgres.yaml',
  dynamicConfig: 'deploy/temporal/dynamicconfig/development-sql.yaml',
  schemaScript: 'deploy/temporal/setup-schema.sh',
  namespaceScript: 'deploy/temporal/setup.sh',
  appDatabaseScript: 'deploy/postgres-init/10-escalations-db.sh',
} as const;

export const sharedFile = (name: keyof typeof SHARED_FILES): string => path.join(PROJECT_ROOT, SHARED_FILES[name]);

/** Names and roles, as docker-compose.yml has them. */
export const CLUSTER_DEFAULTS = {
  namespace: 'default',
  namespaceRetention: '7d',
  taskQueue: 'escalations',
  sqlPlugin: 'postgres12',
  temporalDatabase: 'temporal',
  visibilityDatabase: 'temporal_visibility',
  /** PostgreSQL superuser, also Temporal's user (POSTGRES_USER in docker-compose.yml). */
  temporalUser: 'temporal',
  appDatabase: 'escalations',
  appUser: 'escalations',
  /** Fixed when the cluster's database is first set up (see README): the server refuses another count later. */
  historyShards: 4,
} as const;

export const LOOPBACK = '127.0.0.1';

/** Generated once per data dir and kept there (mode 0600). */
export interface ClusterSecrets {
  temporalDbPassword: string;
  appDbPassword: string;
  feedbackSecret: string;
}

/** The Temporal server's environment: what deploy/temporal/postgres.yaml reads. */
export function serverEnvironment(ports: ClusterPorts, secrets: ClusterSecrets): Record<string, string> {
  return {
    DB: CLUSTER_DEFAULTS.sqlPlugin,
    POSTGRES_SEEDS: LOOPBACK,
    DB_PORT: String(ports.postgres),
    POSTGRES_USER: CLUSTER_DEFAULTS.temporalUser,
    POSTGRES_PWD: secrets.temporalDbPassword,
    DBNAME: CLUSTER_DEFAULTS.temporalDatabase,
    VISIBILITY_DBNAME: CLUSTER_DEFAULTS.visibilityDatabase,
    NUM_HISTORY_SHARDS: String(CLUSTER_DEFAULTS.historyShards),
    // Loopback only: every service of the server binds here and announces this address to the others.
    BIND_ON_IP: LOOPBACK,
    FRONTEND_GRPC_PORT: String(ports.frontendGrpc),
    FRONTEND_HTTP_PORT: String(ports.frontendHttp),
    FRONTEND_MEMBERSHIP_PORT: String(ports.frontendMembership),
    HISTORY_GRPC_PORT: String(ports.historyGrpc),
    HISTORY_MEMBERSHIP_PORT: String(ports.historyMembership),
    MATCHING_GRPC_PORT: String(ports.matchingGrpc),
    MATCHING_MEMBERSHIP_PORT: String(ports.matchingMembership),
    WORKER_GRPC_PORT: String(ports.workerGrpc),
    WORKER_MEMBERSHIP_PORT: String(ports.workerMembership),
    DYNAMIC_CONFIG_FILE_PATH: sharedFile('dynamicConfig'),
    LOG_LEVEL: 'warn',
  };
}

/** deploy/temporal/setup-schema.sh's environment (temporal-sql-tool reads the SQL_* variables itself). */
export function schemaEnvironment(ports: ClusterPorts, secrets: ClusterSecrets): Record<string, string> {
  return {
    SQL_PLUGIN: CLUSTER_DEFAULTS.sqlPlugin,
    SQL_HOST: LOOPBACK,
    SQL_PORT: String(ports.postgres),
    SQL_USER: CLUSTER_DEFAULTS.temporalUser,
    SQL_PASSWORD: secrets.temporalDbPassword,
    DBNAME: CLUSTER_DEFAULTS.temporalDatabase,
    VISIBILITY_DBNAME: CLUSTER_DEFAULTS.visibilityDatabase,
  };
}

/** deploy/temporal/setup.sh's environment: the namespace and the search attributes the product needs. */
export function namespaceEnvironment(temporalAddress: string, namespace: string): Record<string, string> {
  return {
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_NAMESPACE: namespace,
    NAMESPACE_RETENTION: CLUSTER_DEFAULTS.namespaceRetention,
  };
}

/** deploy/postgres-init/10-escalations-db.sh's environment (it runs psql as the superuser). */
export function appDatabaseEnvironment(ports: ClusterPorts, secrets: ClusterSecrets): Record<string, string> {
  return {
    POSTGRES_USER: CLUSTER_DEFAULTS.temporalUser,
    PGHOST: LOOPBACK,
    PGPORT: String(ports.postgres),
    PGPASSWORD: secrets.temporalDbPassword,
    ESCALATIONS_DB_NAME: CLUSTER_DEFAULTS.appDatabase,
    ESCALATIONS_DB_USER: CLUSTER_DEFAULTS.appUser,
    ESCALATIONS_DB_PASSWORD: secrets.appDbPassword,
  };
}

export function appDatabaseUrl(ports: ClusterPorts, secrets: ClusterSecrets): string {
  const { appUser, appDatabase } = CLUSTER_DEFAULTS;
  return `postgres://${appUser}:${encodeURIComponent(secrets.appDbPassword)}@${LOOPBACK}:${ports.postgres}/${appDatabase}`;
}

export interface ProductSettings {
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  databaseUrl: string;
  matrixFile: string;
  templatesDir: string;
  /** Shared by every worker: the log channel looks there before a retry re-sends (one line per key, ever). */
  notificationLogFile: string;
  publicUrl: string;
  feedbackSecret: string;
  dataDir: string;
}

/**
 * A worker's or API's environment: the product's own variables (src/config.ts), set explicitly. `port` is the API's
 * PORT for an API and the worker's METRICS_PORT for a worker (each process needs its own).
 */
export function productEnvironment(
  role: 'worker' | 'api',
  port: number,
  settings: ProductSettings,
): Record<string, string> {
  return {
    TEMPORAL_ADDRESS: settings.temporalAddress,
    TEMPORAL_NAMESPACE: settings.namespace,
    TASK_QUEUE: settings.taskQueue,
    DATABASE_URL: settings.databaseUrl,
    MATRIX_FILE: settings.matrixFile,
    TEMPLATES_DIR: settings.templatesDir,
    // An API serves its metrics on PORT; a worker on METRICS_PORT. Both are set so neither falls back to a default
    // port that another process of the cluster already holds.
    PORT: String(role === 'api' ? port : 0),
    METRICS_PORT: String(role === 'worker' ? port : 0),
    NOTIFICATION_LOG_FILE: settings.notificationLogFile,
    PUBLIC_URL: settings.publicUrl,
    // Workers sign feedback links and APIs check them: one secret for all (they share no DATA_DIR file).
    FEEDBACK_SECRET: settings.feedbackSecret,
    DATA_DIR: settings.dataDir,
    LOG_LEVEL: 'info',
    SHUTDOWN_GRACE_SECONDS: '10',
  };
}
