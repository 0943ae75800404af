// The case lifecycle's reads over HTTP: the tasks and the post-escalation review. Its commands (reassign, tasks,
// subscribers, feedback, review, ...) are routes of the command table (./command-routes).
import express, { type Router } from 'express';
import { parse, type CaseCommands, type CaseState } from './case-commands';
import { HttpProblem } from './problem';
import { caseIdParam } from './schemas';

export interface LifecycleRouteDeps {
  cases: CaseCommands;
}

/** Why a case has no review: 404 with the reason in words. */
function noReview(state: CaseState): HttpProblem {
  const why =
    state.status === 'cancelled'
      ? 'it was cancelled, and cancelled cases are never reviewed'
      : state.status === 'closed' || (state.status === 'resolved' && !state.followUp)
        ? 'its matrix did not select it for a post-escalation review'
        : `it is ${state.status}: a review opens when a case the matrix selects is closed`;
  return new HttpProblem(404, 'review-not-found', 'No review', `case ${state.id} has no review: ${why}`);
}

export function lifecycleRoutes({ cases }: LifecycleRouteDeps): Router {
  const router = express.Router();
  const { readState } = cases;

  router.get('/escalations/:id/tasks', async (req, res) => {
    const state = await readState(parse(caseIdParam, req.params.id, 'path'));
    res.json({ items: state.tasks, count: state.tasks.length });
  });

  router.get('/escalations/:id/review', async (req, res) => {
    const state = await readState(parse(caseIdParam, req.params.id, 'path'));
    if (!state.review) throw noReview(state);
    res.json(state.review);
  });

  return router;
}
