// The case lifecycle over HTTP: ownership (reassign, reprioritise, cancel), coordination (teams, tasks,
// subscribers), follow-up (feedback, reopen) and the post-escalation review with its action items. Each command is
// one workflow update (the Request-Id its update id) answering the new state, 201 when it adds to one of the case's
// collections (teams, tasks, subscribers, action items); the workflow decides what is legal (409).
import express, { type Router } from 'express';
import {
  addActionItemUpdate,
  addTaskUpdate,
  addTeamUpdate,
  cancelUpdate,
  feedbackUpdate,
  reassignUpdate,
  reopenUpdate,
  reprioritiseUpdate,
  submitReviewUpdate,
  subscribeUpdate,
  unsubscribeUpdate,
  updateActionItemUpdate,
  updateTaskUpdate,
} from '../shared/messages';
import { parse, type CaseCommands, type CaseState } from './case-commands';
import {
  actionItemIdParam,
  addActionItemBody,
  addTaskBody,
  addTeamBody,
  cancelBody,
  feedbackBody,
  reassignBody,
  reopenBody,
  reprioritiseBody,
  submitReviewBody,
  subscribeBody,
  subscriberAddressParam,
  taskIdParam,
  unsubscribeQuery,
  updateWorkItemBody,
} from './lifecycle-schemas';
import { HttpProblem } from './problem';
import { caseIdParam } from './schemas';

export interface LifecycleRouteDeps {
  cases: CaseCommands;
}

const invalid = (field: string, message: string) =>
  new HttpProblem(400, 'validation-error', 'Invalid request', `invalid body: ${field}: ${message}`, {
    errors: [{ field, message }],
  });

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
  const { command, readState } = cases;

  router.post(
    '/escalations/:id/reassign',
    command(reassignBody, (handle, input, updateId) =>
      handle.executeUpdate(reassignUpdate, { args: [input], updateId }),
    ),
  );

  router.post(
    '/escalations/:id/reprioritise',
    command(reprioritiseBody, (handle, input, updateId) =>
      handle.executeUpdate(reprioritiseUpdate, { args: [input], updateId }),
    ),
  );

  router.post(
    '/escalations/:id/cancel',
    command(cancelBody, async (handle, input, updateId, req) => {
      const { duplicateOf } = input;
      if (duplicateOf !== undefined) {
        if (duplicateOf === req.params.id) throw invalid('duplicateOf', 'must be another case');
        if (!(await cases.caseExists(duplicateOf)))
          throw invalid('duplicateOf', `no escalation with id "${duplicateOf}"`);
      }
      return handle.executeUpdate(cancelUpdate, { args: [input], updateId });
    }),
  );

  router.post(
    '/escalations/:id/teams',
    command(
      addTeamBody,
      (handle, input, updateId) => handle.executeUpdate(addTeamUpdate, { args: [input], updateId }),
      { status: 201 },
    ),
  );

  router.get('/escalations/:id/tasks', async (req, res) => {
    const state = await readState(parse(caseIdParam, req.params.id, 'path'));
    res.json({ items: state.tasks, count: state.tasks.length });
  });

  router.post(
    '/escalations/:id/tasks',
    command(
      addTaskBody,
      (handle, input, updateId) => handle.executeUpdate(addTaskUpdate, { args: [input], updateId }),
      {
        status: 201,
      },
    ),
  );

  router.patch(
    '/escalations/:id/tasks/:taskId',
    command(updateWorkItemBody, (handle, input, updateId, req) => {
      const { taskId } = parse(taskIdParam, { taskId: req.params.taskId }, 'path');
      return handle.executeUpdate(updateTaskUpdate, { args: [{ ...input, id: taskId }], updateId });
    }),
  );

  router.post(
    '/escalations/:id/subscribers',
    command(
      subscribeBody,
      (handle, input, updateId) => handle.executeUpdate(subscribeUpdate, { args: [input], updateId }),
      { status: 201 },
    ),
  );

  router.delete(
    '/escalations/:id/subscribers/:address',
    command(
      unsubscribeQuery,
      (handle, { by }, updateId, req) => {
        const { address } = parse(subscriberAddressParam, { address: req.params.address }, 'path');
        return handle.executeUpdate(unsubscribeUpdate, { args: [{ by, address }], updateId });
      },
      { from: 'query' },
    ),
  );

  router.post(
    '/escalations/:id/feedback',
    command(feedbackBody, (handle, input, updateId) =>
      handle.executeUpdate(feedbackUpdate, { args: [input], updateId }),
    ),
  );

  router.post(
    '/escalations/:id/reopen',
    command(reopenBody, (handle, input, updateId) => handle.executeUpdate(reopenUpdate, { args: [input], updateId })),
  );

  router.get('/escalations/:id/review', async (req, res) => {
    const state = await readState(parse(caseIdParam, req.params.id, 'path'));
    if (!state.review) throw noReview(state);
    res.json(state.review);
  });

  router.put(
    '/escalations/:id/review',
    command(submitReviewBody, (handle, input, updateId) =>
      handle.executeUpdate(submitReviewUpdate, { args: [input], updateId }),
    ),
  );

  router.post(
    '/escalations/:id/review/action-items',
    command(
      addActionItemBody,
      (handle, input, updateId) => handle.executeUpdate(addActionItemUpdate, { args: [input], updateId }),
      { status: 201 },
    ),
  );

  router.patch(
    '/escalations/:id/review/action-items/:itemId',
    command(updateWorkItemBody, (handle, input, updateId, req) => {
      const { itemId } = parse(actionItemIdParam, { itemId: req.params.itemId }, 'path');
      return handle.executeUpdate(updateActionItemUpdate, { args: [{ ...input, id: itemId }], updateId });
    }),
  );

  return router;
}
