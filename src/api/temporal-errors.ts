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

const UNREACHABLE_CODES = new Set<number>([grpcStatus.UNAVAILABLE, grpcStatus.DEADLINE_EXCEEDED]);

export function temporalUnavailable(detail: string): HttpProblem {
  return new HttpProblem(503, 'temporal-unavailable', 'Temporal is unavailable', detail);
}

function grpcCode(error: unknown): number | undefined {
  if (isGrpcServiceError(error)) return error.code;
  if (error instanceof ServiceError && isGrpcServiceError(error.cause)) return error.cause.code;
  return undefined;
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
  return undefined;
}
