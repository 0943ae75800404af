// When Temporal cannot be reached the API says so (503, problem+json) instead of hanging or answering 500.
import { useOfflineApi } from '../support/offline-api';

const api = useOfflineApi();

const newCase = {
  title: 'Payroll export failed',
  category: 'hr',
  priority: 'medium',
  reporter: { name: 'Ada', email: 'ada@example.com' },
};

describe('with Temporal unreachable', () => {
  it('answers 503 problem+json to a new case, and nothing is half-created', async () => {
    const response = await fetch(`${api.base}/escalations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(newCase),
    });
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await response.json()).toMatchObject({ type: 'urn:escalations:problem:temporal-unavailable', status: 503 });
  });

  it('answers 503 to reads and commands', async () => {
    expect((await fetch(`${api.base}/escalations/ESC-1`)).status).toBe(503);
    const ack = await fetch(`${api.base}/escalations/ESC-1/acknowledge`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ by: 'Grace' }),
    });
    expect(ack.status).toBe(503);
  });

  it('reports not ready on /readyz while /healthz stays up', async () => {
    const ready = await fetch(`${api.base}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({
      status: 'not ready',
      store: 'ok',
      temporal: expect.stringMatching(/^unreachable/),
    });
    expect((await fetch(`${api.base}/healthz`)).status).toBe(200);
  });
});
