// `GET /metrics`: the process registry in Prometheus text exposition format, for the API's own server and the
// worker's small metrics server alike.
import { Router, type Request, type Response } from 'express';
import type { Registry } from 'prom-client';

/** The registry's exposition as the answer; a failed scrape answers 500 with the reason as text. */
export async function sendMetrics(registry: Registry, res: Response): Promise<void> {
  try {
    const text = await registry.metrics();
    res.status(200).type(registry.contentType).send(text);
  } catch (error) {
    res
      .status(500)
      .type('text/plain')
      .send(`metrics collection failed: ${error instanceof Error ? error.message : String(error)}\n`);
  }
}

export function metricsRoutes(registry: Registry): Router {
  const router = Router();
  router.get('/metrics', (_req: Request, res: Response) => sendMetrics(registry, res));
  return router;
}
