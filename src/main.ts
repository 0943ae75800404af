// Starts the product. Roles: `all` (default, `npm start`): Temporal dev server unless TEMPORAL_ADDRESS is set,
// worker and API in one process; `worker` or `api` alone for production (docker-compose runs one of each).
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type LogLevel } from '@temporalio/worker';
import path from 'node:path';
import type { Server } from 'node:http';
import { createEscalationWorker } from '../worker';
import { createActivities } from './activities';
import { simulateScenario } from './activities/simulation';
import { createApp } from './api/app';
import { answerMalformedRequests } from './api/text-guard';
import { feedbackUrl } from './api/feedback-links';
import { createChannels } from './channels';
import { loadConfig, type Config } from './config';
import { loadFeedbackSecret } from './feedback-secret';
import { createLogger, type Logger } from './logger';
import { loadMatrix } from './matrix/load';
import { activityMetrics } from './metrics/activity-metrics';
import { createMetrics } from './metrics/registry';
import { startMetricsServer } from './metrics/server';
import { temporalTelemetry } from './metrics/temporal';
import { openCaseStore } from './store/open-store';
import type { CaseStore } from './store/case-store';
import { TemplateLibrary } from './templates/library';
import { missingBinaryAdvice, resolveTemporalBinary } from './temporal/binaries';
import { apiConnectionInterceptors, temporalConnectionSettings } from './temporal/connection';
import { startDevServer, type DevServer } from './temporal/dev-server';
import { REVIEW_SCHEDULE_ID, syncReviewSchedule } from './temporal/review-schedule';
import { ensureSearchAttributes } from './temporal/search-attributes';
import { reportReady } from './supervisor';

export const ROLES = ['all', 'worker', 'api'] as const;
type Role = (typeof ROLES)[number];

const SDK_LOG_LEVELS: Record<string, LogLevel> = {
  trace: 'TRACE',
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARN',
  error: 'ERROR',
  fatal: 'ERROR',
  silent: 'ERROR',
};

function parseRole(arg: string | undefined): Role {
  const role = arg ?? 'all';
  if (!(ROLES as readonly string[]).includes(role)) {
    throw new Error(`unknown role "${role}"; use one of: ${ROLES.join(', ')}`);
  }
  return role as Role;
}

async function startTemporal(config: Config, logger: Logger): Promise<{ address: string; devServer?: DevServer }> {
  if (config.TEMPORAL_ADDRESS) return { address: config.TEMPORAL_ADDRESS };
  const log = logger.child({ component: 'temporal-binaries' });
  const executable = await resolveTemporalBinary('cli', { log: (line) => log.info(line) });
  if (executable.type !== 'existing-path') throw new Error(missingBinaryAdvice('cli'));
  const devServer = await startDevServer({
    executable: executable.path,
    dataDir: path.resolve(config.DATA_DIR),
    port: config.TEMPORAL_DEV_PORT,
    uiPort: config.TEMPORAL_UI_PORT,
    namespace: config.TEMPORAL_NAMESPACE,
    logger: logger.child({ component: 'dev-server' }),
  });
  return { address: devServer.address, devServer };
}

async function main(): Promise<void> {
  const role = parseRole(process.argv[2]);
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const sdkLogger = logger.child({ component: 'temporal-sdk' });
  Runtime.install({
    logger: new DefaultLogger(SDK_LOG_LEVELS[config.LOG_LEVEL] ?? 'INFO', ({ level, message, meta }) => {
      const method =
        level === 'TRACE'
          ? 'trace'
          : level === 'DEBUG'
            ? 'debug'
            : level === 'WARN'
              ? 'warn'
              : level === 'ERROR'
                ? 'error'
                : 'info';
      sdkLogger[method](meta ?? {}, message);
    }),
    // The SDK core's own worker metrics on their own port; only processes that run a worker have any.
    ...temporalTelemetry(role === 'api' ? undefined : config.TEMPORAL_METRICS_PORT),
  });
  // One registry for the whole process: in the all-in-one role the API's /metrics serves the worker's figures too.
  const metrics = createMetrics();

  const stops: (() => Promise<void>)[] = [];
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    for (const stop of stops.reverse()) {
      await stop().catch((error: unknown) => logger.error({ err: error }, 'error during shutdown'));
    }
    logger.info('stopped');
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));

  // Read and check the matrix first: a bad file must stop start-up before anything else runs.
  const plan =
    role === 'worker'
      ? undefined
      : loadMatrix(path.resolve(config.MATRIX_FILE), (warning) => logger.warn({ component: 'matrix' }, warning));
  if (plan)
    logger.info(
      {
        matrix: config.MATRIX_FILE,
        version: plan.version,
        versionName: plan.versionName,
        paths: Object.keys(plan.paths),
      },
      'matrix loaded',
    );

  // The worker's notification templates: one that does not compile stops start-up, naming file and line.
  const publicUrl = config.PUBLIC_URL ?? `http://localhost:${config.PORT}`;
  const templates =
    role === 'api' ? undefined : TemplateLibrary.load(path.resolve(config.TEMPLATES_DIR), { publicUrl });
  if (templates) {
    const log = logger.child({ component: 'templates' });
    log.info({ dir: config.TEMPLATES_DIR, templates: templates.names().length }, 'notification templates loaded');
    const missing = templates.missing();
    if (missing.length > 0) log.warn({ missing }, 'no template for these notices: they keep their built-in text');
    const unused = templates.unused();
    if (unused.length > 0) log.warn({ unused }, 'templates no notice uses (a misspelt file name?)');
  }

  const { address, devServer } =
    role === 'all' ? await startTemporal(config, logger) : { address: config.TEMPORAL_ADDRESS ?? '127.0.0.1:7233' };
  if (devServer) stops.push(() => devServer.stop());
  const settings = temporalConnectionSettings(config, address);

  const connection = await Connection.connect({ ...settings, interceptors: apiConnectionInterceptors() });
  stops.push(() => connection.close());
  const added = await ensureSearchAttributes(connection, config.TEMPORAL_NAMESPACE);
  if (added.length > 0) logger.info({ added }, 'registered search attributes');

  const store: CaseStore = await openCaseStore({
    databaseUrl: config.DATABASE_URL,
    dataDir: path.resolve(config.DATA_DIR),
  });
  stops.push(() => store.close());
  if (role !== 'worker') {
    // Read at scrape time by the process that serves the API (one figure however many workers run).
    metrics.watchOpenCases(
      () => store.countOpenCases(),
      (error) => logger.child({ component: 'metrics' }).warn({ err: error }, 'open cases not counted for this scrape'),
    );
  }
  // The worker signs feedback links with it and the API checks them: one secret for both roles.
  const feedbackSecret = loadFeedbackSecret(config);

  if (role !== 'api') {
    const metricsLog = logger.child({ component: 'metrics' });
    if (role === 'worker') {
      // No API in this process to serve /metrics: a small server of its own, started before the worker so that a
      // port already taken stops start-up.
      const metricsServer = await startMetricsServer(metrics.registry, config.METRICS_PORT);
      stops.push(() => metricsServer.close());
      metricsLog.info({ url: `http://localhost:${config.METRICS_PORT}/metrics` }, 'worker metrics listening');
    }
    if (config.TEMPORAL_METRICS_PORT !== undefined) {
      metricsLog.info({ url: `http://localhost:${config.TEMPORAL_METRICS_PORT}/metrics` }, 'Temporal SDK metrics');
    }
    const nativeConnection = await NativeConnection.connect(settings);
    const channels = createChannels({
      notificationLogFile: config.NOTIFICATION_LOG_FILE,
      smtpUrl: config.SMTP_URL,
      smtpFrom: config.SMTP_FROM,
      webhookSecret: config.WEBHOOK_SECRET,
      publicUrl: config.PUBLIC_URL,
    });
    const worker = await createEscalationWorker({
      connection: nativeConnection,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.TASK_QUEUE,
      activities: {
        ...createActivities({
          store,
          channels: channels.registry,
          links: { feedbackUrl: (caseId, round) => feedbackUrl(publicUrl, feedbackSecret, caseId, round) },
          ...(templates ? { templates } : {}),
          onTemplateError: (error, message) =>
            logger
              .child({ component: 'templates' })
              .warn(
                { err: error, template: message.template, caseId: message.caseId },
                'template failed to render: sent the built-in text',
              ),
          onRecordRefused: (caseId, reason) =>
            logger.child({ component: 'store' }).error({ caseId, reason }, 'the case store refused a record'),
          metrics: activityMetrics(metrics),
        }),
        // POST /matrix/simulate runs here, never in an API process.
        simulateScenario,
      },
      shutdownGraceTime: config.SHUTDOWN_GRACE_SECONDS * 1000,
    });
    const running = worker.run();
    logger
      .child({ component: 'worker' })
      .info({ taskQueue: config.TASK_QUEUE, namespace: config.TEMPORAL_NAMESPACE }, 'worker running');
    stops.push(async () => {
      worker.shutdown();
      await running;
      await channels.close();
      await nativeConnection.close();
    });
    running.catch((error: unknown) => {
      logger.child({ component: 'worker' }).fatal({ err: error }, 'worker stopped unexpectedly');
      void shutdown('worker-failure').then(() => process.exit(1));
    });
  }

  if (role !== 'worker' && plan) {
    const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
    const apiLogger = logger.child({ component: 'api' });
    const review = await syncReviewSchedule(client, config.TASK_QUEUE, plan);
    if (review !== 'none')
      apiLogger.info({ schedule: REVIEW_SCHEDULE_ID, reviewBy: plan.reviewBy, review }, 'matrix review reminder');
    const app = createApp({
      client,
      store,
      plan: () => plan,
      taskQueue: config.TASK_QUEUE,
      logger: apiLogger,
      feedbackSecret,
      metrics,
    });
    const server: Server = await new Promise((resolve, reject) => {
      const listening = app.listen(config.PORT, (error?: Error) => (error ? reject(error) : resolve(listening)));
    });
    answerMalformedRequests(server);
    apiLogger.info({ url: `http://localhost:${config.PORT}` }, 'API listening');
    stops.push(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    );
  }
  if (devServer) logger.info({ ui: devServer.uiUrl, api: `http://localhost:${config.PORT}` }, 'Escalations is up');
  reportReady();
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  process.stderr.write(`escalations failed to start: ${message}\n`);
  process.exit(1);
});
