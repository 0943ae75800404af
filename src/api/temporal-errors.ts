// The one table from Temporal client failures to HTTP problems: 404 unknown case, 409 illegal transition,
// 503 when Temporal cannot be reached. Anything else is a programmer error and becomes 500 upstream.
import { status as grpcStatus } from '@grpc/grpc-js';
import {
  ApplicationFailure,
  isGrpcServiceError,
  ServiceError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { ILLEGAL_TRANSITION } from '../shared/escalation';
import { HttpProblem, notFound } from './problem';

// RESOURCE_EXHAUSTED: the server shedding load (rate limits, a full query buffer); like the others, retry later.
const UNREACHABLE_CODES = new Set<number>([
  grpcStatus.UNAVAILABLE,
  grpcStatus.DEADLINE_EXCEEDED,
  grpcStatus.RESOURCE_EXHAUSTED,
]);

export function temporalUnavailable(detail: string): HttpProblem {
  return new HttpProblem(503, 'temporal-unavailable', 'Temporal is unavailable', detail);
}

function grpcError(error: unknown) {
  if (isGrpcServiceError(error)) return error;
  if (error instanceof ServiceError && isGrpcServiceError(error.cause)) return error.cause;
  return undefined;
}

function grpcCode(error: unknown): number | undefined {
  return grpcError(error)?.code;
}

/**
 * The server's WorkflowNotReady: a running case that cannot answer yet (a query before its first workflow task
 * completed, an update while its task is failing). It travels as FAILED_PRECONDITION with a typed detail; other
 * FAILED_PRECONDITION answers (a query on a closed run refused, say) are not transient and stay unclassified.
 */
function isWorkflowNotReady(error: unknown): boolean {
  const grpc = grpcError(error);
  if (grpc?.code !== grpcStatus.FAILED_PRECONDITION) return false;
  const details = grpc.metadata?.get('grpc-status-details-bin') ?? [];
  return details.some((value) => Buffer.from(value).includes('WorkflowNotReadyFailure'));
}

/** Returns the problem for a known failure, or undefined for anything unexpected. */
export function problemFromTemporal(error: unknown, caseId: string): HttpProblem | undefined {
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
    const failure = error.cause;
    if (failure.type === ILLEGAL_TRANSITION) {
      const reason = (failure.details?.[0] as { reason?: string } | undefined)?.reason;
      return new HttpProblem(409, 'illegal-transition', 'Illegal transition', failure.message, { reason });
    }
  }
  if (error instanceof WorkflowNotFoundError) return notFound(caseId);
  if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
    return temporalUnavailable(
      'the case did not confirm the command in time; it may still apply. Retry with the same Request-Id to apply it once',
    );
  }
  const code = grpcCode(error);
  if (code === grpcStatus.NOT_FOUND) return notFound(caseId);
  if (code !== undefined && UNREACHABLE_CODES.has(code)) {
    return temporalUnavailable(`Temporal did not answer (${(error as Error).message}); retry later`);
  }
  if (isWorkflowNotReady(error)) {
    return temporalUnavailable(`case ${caseId} cannot answer yet (its worker has not run it); retry later`);
  }
  return undefined;
}
