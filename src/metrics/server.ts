// A worker-only process serves no API: this small HTTP server exposes its registry on METRICS_PORT (`GET /metrics`).
import express from 'express';
import type { Server } from 'node:http';
import type { Registry } from 'prom-client';
import { metricsRoutes } from './routes';

export interface MetricsServer {
  server: Server;
  close(): Promise<void>;
}

export async function startMetricsServer(registry: Registry, port: number, host?: string): Promise<MetricsServer> {
  const app = express();
  app.disable('x-powered-by');
  app.use(metricsRoutes(registry));
  app.use((_req, res) => {
    res.status(404).type('text/plain').send('not found: metrics are at GET /metrics\n');
  });
  const server: Server = await new Promise((resolve, reject) => {
    const done = (error?: Error) => (error ? reject(error) : resolve(listening));
    const listening = host === undefined ? app.listen(port, done) : app.listen(port, host, done);
  });
  return {
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
