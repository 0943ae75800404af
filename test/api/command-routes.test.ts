// Every command of the table (src/shared/messages.ts) has its HTTP route, and the route validates: a request with the
// table's method and path and an invalid input answers 400 problem+json naming the missing field, never 404. The
// requests are generated from the table, so a command without a route fails here. Validation answers before any call
// to Temporal, so an unreachable one will do.
import { COMMAND_KINDS, COMMANDS, type CommandInputs, type CommandKind } from '../../src/shared/messages';
import { startOfflineApi, type OfflineApi } from '../support/offline-api';

let api: OfflineApi;

beforeAll(async () => {
  api = await startOfflineApi();
});

afterAll(async () => {
  await api?.close();
});

/** Values for the routes' path parameters: the case id, and the ids or address a command acts on. */
const PARAMS: Record<string, string> = {
  id: 'ESC-2026-000001',
  taskId: 'T1',
  itemId: 'A1',
  address: 'ops@example.com',
};

function fill(path: string): string {
  return path.replace(/:(\w+)/g, (_, name: string) => {
    const value = PARAMS[name];
    if (value === undefined) throw new Error(`no test value for the path parameter :${name} of ${path}`);
    return encodeURIComponent(value);
  });
}

/** The field an empty input lacks: `by`, except where it has a default (the reporter gives feedback). */
const MISSING: { [K in CommandKind]?: keyof CommandInputs[K] & string } = { feedback: 'score' };

interface Problem {
  type: string;
  status: number;
  detail: string;
  errors: { field: string; message: string }[];
}

async function send(method: string, path: string, body?: unknown) {
  const response = await fetch(`${api.base}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    body: (text ? JSON.parse(text) : {}) as Problem,
  };
}

describe('the command routes, from the command table', () => {
  const entries = COMMAND_KINDS.map((kind) => ({ kind, ...COMMANDS[kind].route }));

  it.each(entries)(
    '$kind: $method $path validates its input (400 naming the field)',
    async ({ kind, method, path }) => {
      // DELETE reads its input from the query string: none is given. The others get an empty JSON body.
      const reply = await send(method, fill(path), method === 'DELETE' ? undefined : {});
      const field = MISSING[kind] ?? 'by';

      expect({ route: `${method} ${path}`, status: reply.status }).toEqual({ route: `${method} ${path}`, status: 400 });
      expect(reply.type).toContain('application/problem+json');
      expect(reply.body).toMatchObject({ type: 'urn:escalations:problem:validation-error', status: 400 });
      expect(reply.body.errors).toContainEqual({ field, message: expect.any(String) });
      expect(reply.body.detail).toMatch(new RegExp(`^invalid (body|query): .*\\b${field}: `));
    },
  );

  it('answers 404 to a command path that is not in the table, so a missing route cannot pass as a 400', async () => {
    const reply = await send('POST', fill('/escalations/:id/no-such-command'), {});

    expect(reply.status).toBe(404);
    expect(reply.type).toContain('application/problem+json');
  });
});
