// JSON over HTTP to the API on loopback: status, parsed body and nothing else. A network failure or timeout is an
// outcome (`error`), not an exception: the load loops count it beside the non-2xx answers.
const REQUEST_TIMEOUT_MS = 30_000;

/** One API, or several (a cluster's): requests then go to each in turn. */
export type ApiBase = string | readonly string[];

let turn = 0;

function pick(base: ApiBase): string {
  if (typeof base === 'string') return base;
  turn = (turn + 1) % base.length;
  return base[turn] ?? '';
}

export interface HttpReply {
  /** The HTTP status as text, or `error` when no answer came. */
  status: string;
  ok: boolean;
  body: unknown;
}

export async function requestJson(base: ApiBase, method: string, path: string, body?: unknown): Promise<HttpReply> {
  try {
    const response = await fetch(`${pick(base)}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      // Not JSON: keep the text, for the error message.
    }
    return { status: String(response.status), ok: response.ok, body: parsed };
  } catch (error) {
    return { status: 'error', ok: false, body: error instanceof Error ? error.message : String(error) };
  }
}
