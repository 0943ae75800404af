// The per-case plumbing every route that reads or changes one case shares: deadlines on calls to Temporal, the
// case's workflow handle, its state (live, or from the store once the run is gone), and the `command(...)` route
// factory that turns a validated body into one workflow update, with the Request-Id as the update id.
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { Request, Response } from 'express';
import type { ZodType } from 'zod';
import { finishedRefusal, type EscalationState } from '../shared/escalation';
import { workflowIdFor } from '../shared/ids';
import { stateQuery } from '../shared/messages';
import type { CaseStore } from '../store/case-store';
import type { escalationWorkflow } from '../workflows/escalation.workflow';
import { stateFromRecord } from './case-view';
import { HttpProblem, notFound, validationProblem } from './problem';
import { caseIdParam, requestIdHeader } from './schemas';
import { problemFromTemporal } from './temporal-errors';
import type { Logger } from '../logger';
import { countCommands } from '../metrics/api-metrics';
import type { EscalationMetrics } from '../metrics/registry';
import {
  COMMAND_WAIT_MS,
  commandLog,
  commandStatus,
  fingerprintOf,
  isStillPending,
  newRequestId,
  pendingAnswer,
  requestIdReused,
  settlePending,
} from './command-requests';

// Deadlines for calls to Temporal, so a request fails fast (503) instead of waiting out the client's retries when
// the cluster is down. Commands get longer: they answer after the workflow applied and documented them.
export const READ_DEADLINE_MS = 5_000;
export const COMMAND_DEADLINE_MS = 15_000;
export const READY_DEADLINE_MS = 2_000;

export type Where = 'body' | 'query' | 'path' | 'header';

/** The value as `schema` accepts it, or a 400 problem naming every invalid field. */
export function parse<T>(schema: ZodType<T>, value: unknown, where: Where): T {
  const result = schema.safeParse(value);
  if (!result.success) throw validationProblem(result.error, where);
  return result.data;
}

export type CaseHandle = WorkflowHandle<typeof escalationWorkflow>;

/** A case as the API shows it: the live state, or the stored one (without `handedTo`) once the run is gone. */
export type CaseState = Omit<EscalationState, 'handedTo'> & Partial<Pick<EscalationState, 'handedTo'>>;

export interface CommandOptions {
  /** The status of a success (201 for commands that create something); 200 otherwise. */
  status?: number;
  /** Where the command's input is read: the JSON body (default) or the query string (DELETE). */
  from?: 'body' | 'query';
}

/** Runs the validated input against the case's workflow and answers the state it returns. */
export type CommandRun<T> = (
  handle: CaseHandle,
  input: T,
  updateId: string | undefined,
  req: Request,
) => Promise<EscalationState>;

export interface CaseCommands {
  within: <T>(ms: number, call: () => Promise<T>) => Promise<T>;
  handleFor: (caseId: string) => CaseHandle;
  /** The live state from the workflow; the store's record once the run is past retention. */
  readState: (caseId: string) => Promise<CaseState>;
  /** True when the case exists: in the store, or as a run whose first record is not written yet. */
  caseExists: (caseId: string) => Promise<boolean>;
  /** Rethrows a failed command as its problem; a command on a finished run is refused like an illegal transition. */
  rejectIfClosed: (caseId: string, error: unknown) => Promise<never>;
  /** An express handler for `/escalations/:id/...`: validates id, input and Request-Id, runs one update. */
  command: <T>(
    schema: ZodType<T>,
    run: CommandRun<T>,
    options?: CommandOptions,
  ) => (req: Request, res: Response) => Promise<void>;
  /** `GET /escalations/:id/commands/:requestId`: what became of a command. */
  commandOutcome: (req: Request, res: Response) => Promise<void>;
}

export function caseCommands({
  client,
  store,
  logger,
  commandWaitMs = COMMAND_WAIT_MS,
  metrics,
}: {
  client: Client;
  store: CaseStore;
  logger: Logger;
  /** How long a command waits for the case before answering 202. */
  commandWaitMs?: number;
  /** Counts commands by route and outcome; absent: not counted. */
  metrics?: EscalationMetrics | undefined;
}): CaseCommands {
  const within = <T>(ms: number, call: () => Promise<T>): Promise<T> => client.withDeadline(Date.now() + ms, call);

  const handleFor = (caseId: string): CaseHandle => client.workflow.getHandle(workflowIdFor(caseId));

  async function readState(caseId: string): Promise<CaseState> {
    try {
      return await within(READ_DEADLINE_MS, () => handleFor(caseId).query(stateQuery));
    } catch (error) {
      const problem = problemFromTemporal(error, caseId);
      if (problem?.status !== 404) throw problem ?? error;
      const record = await store.getCase(caseId);
      if (!record) throw notFound(caseId);
      return stateFromRecord(record, await store.timeline(caseId));
    }
  }

  async function caseExists(caseId: string): Promise<boolean> {
    if (await store.getCase(caseId)) return true;
    try {
      await within(READ_DEADLINE_MS, () => handleFor(caseId).describe());
      return true;
    } catch (error) {
      if (problemFromTemporal(error, caseId)?.status === 404) return false;
      throw problemFromTemporal(error, caseId) ?? error;
    }
  }

  async function rejectIfClosed(caseId: string, error: unknown): Promise<never> {
    const problem = problemFromTemporal(error, caseId);
    if (problem?.status === 404) {
      const record = await store.getCase(caseId);
      const finished = record ? finishedRefusal(record.status, caseId) : undefined;
      if (finished) {
        throw new HttpProblem(409, 'illegal-transition', 'Illegal transition', finished.message, {
          reason: finished.reason,
        });
      }
    }
    throw problem ?? error;
  }

  const commands = commandLog(store, logger);

  const runCommand =
    <T>(schema: ZodType<T>, run: CommandRun<T>, { status = 200, from = 'body' }: CommandOptions = {}) =>
    async (req: Request, res: Response): Promise<void> => {
      const id = parse(caseIdParam, req.params.id, 'path');
      const input = parse(schema, (from === 'body' ? req.body : req.query) ?? {}, from);
      // Every command gets an id, so that one which outlives its request can be asked about later.
      const requestId = parse(requestIdHeader, req.get('Request-Id'), 'header') ?? newRequestId();
      res.set('Request-Id', requestId);
      const name = `${req.method} ${String((req.route as { path?: string } | undefined)?.path ?? req.path)}`;
      const first = await commands.claim({
        caseId: id,
        requestId,
        command: name,
        fingerprint: fingerprintOf(input),
        createdAt: new Date().toISOString(),
      });
      if (first && (first.command !== name || first.fingerprint !== fingerprintOf(input))) {
        throw requestIdReused(first, name);
      }
      // A finished command answers its first outcome and is never sent again: after a continue-as-new the new run
      // would not know the update id and would apply it a second time.
      if (first?.status === 'refused') {
        throw new HttpProblem(409, 'illegal-transition', 'Illegal transition', first.detail ?? 'refused', {
          reason: first.reason,
        });
      }
      if (first?.status === 'applied') {
        res.status(status).json(await readState(id));
        return;
      }
      let state: EscalationState;
      try {
        state = await within(commandWaitMs, () => run(handleFor(id), input, requestId, req));
      } catch (error) {
        if (isStillPending(error)) {
          const pending = pendingAnswer(id, requestId);
          res.status(202).location(pending.location).json(pending.body);
          return;
        }
        try {
          return await rejectIfClosed(id, error);
        } catch (problem) {
          if (problem instanceof HttpProblem && problem.status === 409) await commands.refused(id, requestId, problem);
          throw problem;
        }
      }
      await commands.applied(id, requestId);
      res.status(status).json(state);
    };

  const command: CaseCommands['command'] = (schema, run, options) =>
    countCommands(metrics, runCommand(schema, run, options));

  /** `GET /escalations/:id/commands/:requestId`: pending, applied or refused (with the reason). */
  async function commandOutcome(req: Request, res: Response): Promise<void> {
    const id = parse(caseIdParam, req.params.id, 'path');
    const requestId = parse(requestIdHeader, req.params.requestId, 'path') as string;
    const request = await store.getCommand(id, requestId);
    if (!request) {
      throw new HttpProblem(
        404,
        'command-not-found',
        'Unknown command',
        `no command with Request-Id ${requestId} on case ${id}`,
      );
    }
    const settled =
      request.status === 'pending'
        ? await settlePending(
            request,
            (deadlineMs) => within(deadlineMs, () => handleFor(id).getUpdateHandle(requestId).result()),
            commands,
          )
        : request;
    res.json(commandStatus(settled));
  }

  return { within, handleFor, readState, caseExists, rejectIfClosed, command, commandOutcome };
}
