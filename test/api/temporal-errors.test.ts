// The one table from Temporal client failures to HTTP problems, on failures built as the server sends them.
import { Metadata, status as grpcStatus } from '@grpc/grpc-js';
import { ServiceError } from '@temporalio/client';
import { problemFromTemporal } from '../../src/api/temporal-errors';

/** A gRPC failure as grpc-js surfaces it, with a google.rpc.Status detail naming `detailType` when given. */
function grpcFailure(code: number, message: string, detailType?: string): Error {
  const metadata = new Metadata();
  if (detailType) {
    // A serialized google.rpc.Status carries the detail's type URL as plain bytes.
    metadata.set(
      'grpc-status-details-bin',
      Buffer.from(`\u0008\u0009\u0012${message}type.googleapis.com/${detailType}`),
    );
  }
  return Object.assign(new Error(`${code} ${message}`), { code, details: message, metadata });
}

describe('problemFromTemporal', () => {
  it('answers 503 for a case that cannot answer yet (WorkflowNotReady), so a retried create answers 202', () => {
    const error = new ServiceError('Failed to query Workflow', {
      cause: grpcFailure(
        grpcStatus.FAILED_PRECONDITION,
        'Workflow task is not scheduled yet.',
        'temporal.api.errordetails.v1.WorkflowNotReadyFailure',
      ),
    });
    const problem = problemFromTemporal(error, 'ESC-1');
    expect(problem?.status).toBe(503);
    expect(problem?.message).toBe('case ESC-1 cannot answer yet (its worker has not run it); retry later');
  });

  it('leaves another FAILED_PRECONDITION unclassified (a programmer error, 500 upstream)', () => {
    const error = grpcFailure(
      grpcStatus.FAILED_PRECONDITION,
      'query was rejected',
      'temporal.api.errordetails.v1.QueryFailedFailure',
    );
    expect(problemFromTemporal(error, 'ESC-1')).toBeUndefined();
    expect(problemFromTemporal(grpcFailure(grpcStatus.FAILED_PRECONDITION, 'no detail'), 'ESC-1')).toBeUndefined();
  });

  it('answers 503 when Temporal does not answer in time and 404 for an unknown case', () => {
    expect(problemFromTemporal(grpcFailure(grpcStatus.DEADLINE_EXCEEDED, 'deadline'), 'ESC-1')?.status).toBe(503);
    expect(problemFromTemporal(grpcFailure(grpcStatus.UNAVAILABLE, 'refused'), 'ESC-1')?.status).toBe(503);
    expect(problemFromTemporal(grpcFailure(grpcStatus.RESOURCE_EXHAUSTED, 'query buffer full'), 'ESC-1')?.status).toBe(
      503,
    );
    expect(problemFromTemporal(grpcFailure(grpcStatus.NOT_FOUND, 'gone'), 'ESC-1')?.status).toBe(404);
  });
});
