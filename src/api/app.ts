// The HTTP API: validates at the edge (zod), maps each route to one Temporal client call or one store read,
// and answers every failure as application/problem+json. No business rules live here.
import { type Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from '../logger';
import { countCreates, httpMetrics } from '../metrics/api-metrics';
import type { EscalationMetrics } from '../metrics/registry';
import { metricsRoutes } from '../metrics/routes';
import { WORKFLOW_GENERATION, type CaseInput } from '../shared/escalation';
import { caseNumber, workflowIdFor } from '../shared/ids';
import { commentSignal, migratePlanUpdate } from '../shared/messages';
import type { Plan } from '../shared/plan';
import { EscalationCategory, EscalationLevel, EscalationPriority, EscalationStatus } from '../shared/search-attributes';
import type { CaseStore } from '../store/case-store';
import { escalationWorkflow } from '../workflows/escalation.workflow';
import { caseCommands, COMMAND_DEADLINE_MS, parse, READ_DEADLINE_MS, READY_DEADLINE_MS } from './case-commands';
import { caseSummary, stateFromRecord } from './case-view';
import { openingState } from './opening';
import { documentationRoutes } from './documentation-routes';
import { commandRoutes } from './command-routes';
import { evidenceRoutes } from './evidence-routes';
import { feedbackRoutes } from './feedback-routes';
import { lifecycleRoutes } from './lifecycle-routes';
import { matrixRoutes } from './matrix-routes';
import { reportRoutes } from './report-routes';
import { simulateOnWorker } from './simulate-on-worker';
import { worklistRoutes } from './worklist-routes';
import { HttpProblem } from './problem';
import { caseIdParam, commentBody, createEscalationBody, listQuery, migrateBatchBody } from './schemas';
import { problemFromTemporal, temporalUnavailable } from './temporal-errors';
import { refuseControlCharacters, verifyUtf8 } from './text-guard';

export interface ApiDeps {
  client: Client;
  store: CaseStore;
  /** The compiled matrix new cases start on (pinned into each case at creation). */
  plan: () => Plan;
  taskQueue: string;
  logger: Logger;
  now?: () => Date;
  /** Checks the reporter's signed feedback links (loadFeedbackSecret); absent: no feedback pages. */
  feedbackSecret?: string;
  /** How long a command waits for its case before answering 202 (default COMMAND_WAIT_MS). */
  commandWaitMs?: number;
  /** The process's metrics (src/metrics): recorded here and served at GET /metrics; absent: no metrics. */
  metrics?: EscalationMetrics;
}

const BODY_LIMIT = '64kb';
/** A worker long-polls every minute or so; one not seen for this long is gone (or stalled). */
const WORKER_SEEN_WITHIN_S = 90;

export function createApp({
  client,
  store,
  plan,
  taskQueue,
  logger,
  now = () => new Date(),
  feedbackSecret,
  commandWaitMs,
  metrics,
}: ApiDeps) {
  const app = express();
  app.disable('x-powered-by');
  if (metrics) app.use(httpMetrics(metrics), metricsRoutes(metrics.registry));
  app.use(express.json({ limit: BODY_LIMIT, type: ['application/json', 'application/*+json'], verify: verifyUtf8 }));
  app.use(refuseControlCharacters);

  const cases = caseCommands({
    client,
    store,
    logger,
    metrics,
    ...(commandWaitMs !== undefined ? { commandWaitMs } : {}),
  });
  const { within, handleFor, readState, rejectIfClosed } = cases;

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get('/readyz', async (_req, res) => {
    const [temporal, caseStore, workers] = await Promise.all([
      within(READY_DEADLINE_MS, () => client.connection.workflowService.getSystemInfo({}))
        .then(() => 'ok')
        .catch((error: Error) => `unreachable: ${error.message}`),
      store
        .ping()
        .then(() => 'ok')
        .catch((error: Error) => `unreachable: ${error.message}`),
      workersPolling(),
    ]);
    const ready = temporal === 'ok' && caseStore === 'ok';
    // No worker polling is not a reason to take the API out of service (creates and reads still work, commands
    // answer 202), but operators and load balancers must see it: nothing escalates until a worker is back.
    const status = !ready ? 'not ready' : workers === 'ok' ? 'ready' : 'degraded';
    res.status(ready ? 200 : 503).json({ status, temporal, store: caseStore, worker: workers });
  });

  /** Whether a worker polls the task queue now (DescribeTaskQueue lists pollers seen in the last minutes). */
  async function workersPolling(): Promise<string> {
    try {
      const described = await within(READY_DEADLINE_MS, () =>
        client.workflowService.describeTaskQueue({
          namespace: client.options.namespace,
          taskQueue: { name: taskQueue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
          taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
        }),
      );
      const recent = (described.pollers ?? []).filter((poller) => {
        const seconds = Number(poller.lastAccessTime?.seconds ?? 0);
        return now().getTime() / 1000 - seconds < WORKER_SEEN_WITHIN_S;
      });
      return recent.length > 0
        ? 'ok'
        : `no worker has polled task queue ${taskQueue} in the last ${WORKER_SEEN_WITHIN_S} s`;
    } catch (error) {
      return `unknown: ${(error as Error).message}`;
    }
  }

  app.post('/escalations', countCreates(metrics), async (req, res) => {
    const body = parse(createEscalationBody, req.body, 'body');
    const id = body.id ?? caseNumber(now().getUTCFullYear(), await store.nextCaseNumber());
    const input: CaseInput = {
      id,
      title: body.title,
      ...(body.description !== undefined ? { description: body.description } : {}),
      category: body.category,
      ...(body.priority !== undefined ? { priority: body.priority } : {}),
      ...(body.tags !== undefined ? { tags: body.tags } : {}),
      ...(body.impact !== undefined ? { impact: body.impact } : {}),
      ...(body.urgency !== undefined ? { urgency: body.urgency } : {}),
      reporter: body.reporter,
      attemptedSteps: body.attemptedSteps ?? [],
      ...(body.occurredAt !== undefined ? { occurredAt: body.occurredAt } : {}),
      ...(body.evidence !== undefined ? { evidence: body.evidence } : {}),
    };
    const currentPlan = plan();
    const raisedAt = now();
    // The case as the workflow will open it (the same pure code, the same raise instant): the create answers at
    // once, and the run is indexed from its first moment with exactly the attributes it opens with.
    const opened = openingState(input, currentPlan, raisedAt.getTime());
    const location = `/escalations/${encodeURIComponent(id)}`;
    try {
      await within(READ_DEADLINE_MS, () =>
        client.workflow.start(escalationWorkflow, {
          workflowId: workflowIdFor(id),
          taskQueue,
          args: [{ case: input, plan: currentPlan, raisedAt: raisedAt.toISOString(), generation: WORKFLOW_GENERATION }],
          // The case id is a business key: never a second run for it, even after the first one resolved.
          workflowIdConflictPolicy: 'FAIL',
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          staticSummary: `${id}: ${body.title}`,
          staticDetails: `Escalation ${id} (${opened.priority}, ${body.category}) on matrix ${currentPlan.version}`,
          typedSearchAttributes: [
            { key: EscalationStatus, value: opened.status },
            { key: EscalationPriority, value: opened.priority },
            { key: EscalationLevel, value: opened.level.name },
            { key: EscalationCategory, value: opened.category },
          ],
        }),
      );
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw problemFromTemporal(error, id) ?? error;
      // A retried create: the case as it is now, or (its worker busy, nothing recorded yet) where to find it.
      const existing = await readStateIfKnown(id);
      if (existing === undefined) {
        res.status(202).location(location).json({ id, status: 'accepted', location });
        return;
      }
      res.status(200).location(location).json(existing);
      return;
    }
    res.status(201).location(location).json(opened);
  });

  /** The case's state from its run or the store within a short deadline; undefined when neither answers in time. */
  async function readStateIfKnown(id: string) {
    try {
      return await readState(id);
    } catch (error) {
      if (!(error instanceof HttpProblem && error.status === 503)) throw error;
      const record = await store.getCase(id);
      return record ? stateFromRecord(record, await store.timeline(id)) : undefined;
    }
  }

  app.get('/escalations', async (req, res) => {
    const query = parse(listQuery, req.query, 'query');
    const records = await store.listCases(query);
    res.json({ items: records.map(caseSummary), count: records.length });
  });

  app.get('/escalations/:id', async (req, res) => {
    const id = parse(caseIdParam, req.params.id, 'path');
    res.json(await readState(id));
  });

  // Every command of the table (acknowledge, resolve, escalate, ... reassign, tasks, review, evidence).
  app.use(commandRoutes({ cases, plan }));

  // Explicit, recorded migration of a filtered batch of running cases onto the matrix new cases start on.
  app.post('/escalations/migrate', async (req, res) => {
    const { by, reason, filter } = parse(migrateBatchBody, req.body ?? {}, 'body');
    const current = plan();
    const candidates = await store.migrationCandidates({
      toVersion: current.version,
      ...(filter.fromVersion !== undefined ? { fromVersion: filter.fromVersion } : {}),
      ...(filter.status !== undefined ? { status: filter.status } : {}),
      ...(filter.priority !== undefined ? { priority: filter.priority } : {}),
      limit: 1000,
    });
    const migrated: string[] = [];
    const refused: { id: string; reason: string; detail: string }[] = [];
    for (const record of candidates) {
      try {
        await within(COMMAND_DEADLINE_MS, () =>
          handleFor(record.id).executeUpdate(migratePlanUpdate, { args: [{ by, reason, plan: current }] }),
        );
        migrated.push(record.id);
      } catch (error) {
        const problem = problemFromTemporal(error, record.id);
        if (!problem || problem.status >= 500) throw problem ?? error;
        const reason = typeof problem.extra.reason === 'string' ? problem.extra.reason : problem.type;
        refused.push({ id: record.id, reason, detail: problem.message });
      }
    }
    res.json({ version: current.version, migrated, refused });
  });

  app.get('/escalations/:id/commands/:requestId', cases.commandOutcome);

  app.post('/escalations/:id/comments', async (req, res) => {
    const id = parse(caseIdParam, req.params.id, 'path');
    const input = parse(commentBody, req.body ?? {}, 'body');
    try {
      await within(READ_DEADLINE_MS, () => handleFor(id).signal(commentSignal, input));
    } catch (error) {
      await rejectIfClosed(id, error);
    }
    res.status(202).json({ accepted: true });
  });

  app.use(lifecycleRoutes({ cases }));
  app.use(evidenceRoutes(cases));
  app.use(matrixRoutes(plan, simulateOnWorker(client, taskQueue)));
  app.use(documentationRoutes(store));
  app.use(reportRoutes(store));
  app.use(worklistRoutes(store, now));
  if (feedbackSecret !== undefined)
    app.use(feedbackRoutes({ client, secret: feedbackSecret, rejectIfClosed: cases.rejectIfClosed }));

  app.use((req: Request) => {
    throw new HttpProblem(404, 'not-found', 'Not found', `no route ${req.method} ${req.path}`);
  });

  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const problem = toProblem(error, logger, req);
    res
      .status(problem.status)
      .type('application/problem+json')
      .send(JSON.stringify(problem.toJSON(req.originalUrl)));
  });

  return app;
}

function toProblem(error: unknown, logger: Logger, req: Request): HttpProblem {
  if (error instanceof HttpProblem) return error;
  const status = (error as { status?: number; type?: string }).status;
  const bodyType = (error as { type?: string }).type;
  if (bodyType === 'entity.too.large') {
    return new HttpProblem(413, 'payload-too-large', 'Payload too large', `request body exceeds ${BODY_LIMIT}`);
  }
  if (bodyType === 'entity.verify.failed') {
    const message = (error as Error).message;
    return new HttpProblem(400, 'validation-error', 'Invalid request', `invalid body: ${message}`, {
      errors: [{ field: 'body', message }],
    });
  }
  if (bodyType === 'entity.parse.failed') {
    return new HttpProblem(
      400,
      'malformed-json',
      'Malformed JSON',
      `request body is not valid JSON: ${(error as Error).message}`,
    );
  }
  if (status !== undefined && status >= 400 && status < 500) {
    return new HttpProblem(status, 'bad-request', 'Bad request', (error as Error).message);
  }
  const temporal = problemFromTemporal(error, '');
  if (temporal?.status === 503) return temporal;
  if ((error as Error)?.name === 'TransportError' || /connect|ECONNREFUSED/i.test((error as Error)?.message ?? '')) {
    return temporalUnavailable(`Temporal is unreachable: ${(error as Error).message}`);
  }
  logger.error({ err: error, method: req.method, url: req.originalUrl }, 'unhandled API error');
  return new HttpProblem(500, 'internal-error', 'Internal error', 'an unexpected error occurred; see the server log');
}
