// What became of each command: the Request-Id is the update id, and the store remembers what each id was first used
// for (to refuse its reuse for another command) and how it ended (for a caller whose request ended before the
// command did: a stalled worker applies it later, and `GET /escalations/:id/commands/:requestId` tells).
import { createHash, randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import type { Logger } from '../logger';
import type { CaseStore, CommandRequest } from '../store/case-store';
import { HttpProblem } from './problem';
import { problemFromTemporal } from './temporal-errors';

/** How long a command waits for the case to apply it before answering 202 with where to ask later. */
export const COMMAND_WAIT_MS = 10_000;
/** How long a status request asks Temporal about a pending command. */
const STATUS_DEADLINE_MS = 1_000;

export const newRequestId = (): string => randomUUID();

/** A digest of the validated input: the same Request-Id with another body is another command. */
export function fingerprintOf(input: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(input) ?? '')
    .digest('hex');
}

/** True for a command that did not finish within the caller's wait (the update may still apply). */
export function isStillPending(error: unknown): boolean {
  return error instanceof WorkflowUpdateRPCTimeoutOrCancelledError;
}

export function requestIdReused(first: CommandRequest, command: string): HttpProblem {
  const what = first.command === command ? 'the same command with another body' : first.command;
  return new HttpProblem(
    409,
    'request-id-reused',
    'Request-Id reused',
    `Request-Id ${first.requestId} was first used on ${first.createdAt} for ${what}; use a new Request-Id for a new command`,
    { reason: 'RequestIdReused', requestId: first.requestId },
  );
}

/** The 202 answer of a command the case has not confirmed yet. */
export function pendingAnswer(caseId: string, requestId: string) {
  const location = `/escalations/${encodeURIComponent(caseId)}/commands/${encodeURIComponent(requestId)}`;
  return {
    location,
    body: {
      caseId,
      requestId,
      status: 'pending' as const,
      location,
      detail:
        'the case has not confirmed the command yet (its worker may be busy or stalled); it applies once, when the ' +
        'case runs. Ask the location for the outcome, or retry with the same Request-Id',
    },
  };
}

/** Store calls around a command are best effort: the command itself must not fail because the store is down. */
export function commandLog(store: CaseStore, logger: Logger) {
  const quietly = async <T>(what: string, call: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await call();
    } catch (error) {
      logger.warn({ err: error }, `command request log: ${what} failed`);
      return undefined;
    }
  };
  return {
    claim: (request: Parameters<CaseStore['claimCommand']>[0]) => quietly('claim', () => store.claimCommand(request)),
    applied: (caseId: string, requestId: string) =>
      quietly('finish', () =>
        store.finishCommand(caseId, requestId, { status: 'applied', finishedAt: new Date().toISOString() }),
      ),
    refused: (caseId: string, requestId: string, problem: HttpProblem) =>
      quietly('finish', () =>
        store.finishCommand(caseId, requestId, {
          status: 'refused',
          reason: typeof problem.extra.reason === 'string' ? problem.extra.reason : problem.type,
          detail: problem.message,
          finishedAt: new Date().toISOString(),
        }),
      ),
  };
}

export type CommandLog = ReturnType<typeof commandLog>;

/**
 * A pending command's outcome, asked of Temporal: applied, refused (with the reason), still pending, or never
 * delivered (the server holds no such update for the case any more, so it cannot apply: send it again).
 */
export async function settlePending(
  request: CommandRequest,
  poll: (deadlineMs: number) => Promise<unknown>,
  log: CommandLog,
): Promise<CommandRequest> {
  try {
    await poll(STATUS_DEADLINE_MS);
    await log.applied(request.caseId, request.requestId);
    return { ...request, status: 'applied', finishedAt: new Date().toISOString() };
  } catch (error) {
    if (isStillPending(error)) return request;
    const problem = problemFromTemporal(error, request.caseId);
    if (error instanceof WorkflowUpdateFailedError && problem?.status === 409) {
      await log.refused(request.caseId, request.requestId, problem);
      return { ...request, status: 'refused', reason: String(problem.extra.reason), detail: problem.message };
    }
    const old = Date.now() - Date.parse(request.createdAt) > COMMAND_WAIT_MS;
    if (problem?.status === 404 && old) {
      const lost = new HttpProblem(409, 'not-delivered', 'Not delivered', notDelivered, { reason: 'NotDelivered' });
      await log.refused(request.caseId, request.requestId, lost);
      return { ...request, status: 'refused', reason: 'NotDelivered', detail: notDelivered };
    }
    if (problem === undefined || problem.status >= 500 || problem.status === 404) return request;
    throw problem;
  }
}

const notDelivered =
  'the case never received this command (Temporal holds no update with this id for it); nothing was applied: send it again';

/** The status document of a command request. */
export function commandStatus(request: CommandRequest) {
  return {
    caseId: request.caseId,
    requestId: request.requestId,
    command: request.command,
    status: request.status,
    ...(request.reason !== null ? { reason: request.reason } : {}),
    ...(request.detail !== null ? { detail: request.detail } : {}),
    requestedAt: request.createdAt,
    ...(request.finishedAt !== null ? { finishedAt: request.finishedAt } : {}),
  };
}
