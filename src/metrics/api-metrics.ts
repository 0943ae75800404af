// What the API records: request durations by route, creates by answer, commands by outcome. Express middleware and a
// wrapper for the command route factory, so the routes themselves carry one line each.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { HttpProblem } from '../api/problem';
import type { CommandOutcome, CreateOutcome, EscalationMetrics } from './registry';

/** Requests no route matched share one label, so unknown paths cannot grow the series without bound. */
export const UNMATCHED_ROUTE = '(unmatched)';

/** The route pattern a request matched (`/escalations/:id/acknowledge`), never its concrete path. */
export function routeOf(req: Request): string {
  const pattern = (req.route as { path?: unknown } | undefined)?.path;
  return typeof pattern === 'string' ? `${req.baseUrl}${pattern}` : UNMATCHED_ROUTE;
}

/** Times every request, labelled with method, route pattern and status once the answer is sent. */
export function httpMetrics(metrics: EscalationMetrics): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const end = metrics.httpDuration.startTimer();
    res.once('finish', () => end({ method: req.method, route: routeOf(req), status: String(res.statusCode) }));
    next();
  };
}

export function createOutcomeOf(status: number): CreateOutcome | undefined {
  if (status === 201 || status === 200 || status === 202) return String(status) as CreateOutcome;
  if (status >= 400 && status < 500) return '4xx';
  if (status >= 500) return '5xx';
  return undefined;
}

/** Counts `POST /escalations` by the status it answers (a 503 from an unreachable Temporal is a 5xx create). */
export function countCreates(metrics: EscalationMetrics | undefined): RequestHandler {
  return (_req: Request, res: Response, next: NextFunction) => {
    if (metrics) {
      res.once('finish', () => {
        const outcome = createOutcomeOf(res.statusCode);
        if (outcome !== undefined) metrics.creates.inc({ outcome });
      });
    }
    next();
  };
}

/** A refusal is the case saying no (409 illegal transition); any other failure is an error. */
export function commandOutcomeOf(error: unknown): CommandOutcome {
  return error instanceof HttpProblem && error.type === 'illegal-transition' ? 'refused' : 'error';
}

type CommandHandler = (req: Request, res: Response) => Promise<void>;

/**
 * The command handler, counting each call by its route (`POST /escalations/:id/acknowledge`) and outcome: applied,
 * refused, pending (answered 202 before the case confirmed it) or error.
 */
export function countCommands(metrics: EscalationMetrics | undefined, handler: CommandHandler): CommandHandler {
  if (!metrics) return handler;
  return async (req, res) => {
    const command = `${req.method} ${routeOf(req)}`;
    try {
      await handler(req, res);
      metrics.commands.inc({ command, outcome: res.statusCode === 202 ? 'pending' : 'applied' });
    } catch (error) {
      metrics.commands.inc({ command, outcome: commandOutcomeOf(error) });
      throw error;
    }
  };
}
