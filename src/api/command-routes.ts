// Every command's HTTP route, built from the command table (src/shared/messages.ts): its method and path, the update
// it sends, and here what the API adds for each: the schema its body (or query) must pass, the status a success
// answers (201 when it adds to one of the case's collections), and the input fields the path or the server supply.
// The mapped type makes a command without a route, or a schema whose output is not the update's input, a compile
// error. The workflow decides what is legal (409).
import express, { type Request, type Router } from 'express';
import type { ZodType } from 'zod';
import { COMMAND_KINDS, COMMANDS, type CommandInputs, type CommandKind } from '../shared/messages';
import type { Plan } from '../shared/plan';
import { parse, type CaseCommands } from './case-commands';
import { addEvidenceBody } from './evidence-routes';
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
import {
  acknowledgeBody,
  escalateBody,
  migrateBody,
  pauseBody,
  resolveBody,
  resumeBody,
  unacknowledgeBody,
} from './schemas';

/** How one command's request becomes its update's input. */
interface CommandRoute<K extends CommandKind> {
  /** What the body (or query) must pass. */
  schema: ZodType<unknown>;
  /** Where the schema reads: the JSON body (default) or the query string (DELETE). */
  from?: 'body' | 'query';
  /** 201 for commands that add to one of the case's collections; 200 otherwise. */
  status?: 201;
  /** The update's input from the validated request, with what the path or the server supply. */
  toInput: (parsed: unknown, req: Request) => Promise<CommandInputs[K]>;
}

type RouteOptions = Pick<CommandRoute<CommandKind>, 'from' | 'status'>;

/** A route whose input is the validated request plus what `complete` adds (path parameters, server facts). */
function completed<K extends CommandKind, B>(
  schema: ZodType<B>,
  complete: (input: B, req: Request) => CommandInputs[K] | Promise<CommandInputs[K]>,
  options: RouteOptions = {},
): CommandRoute<K> {
  // `parsed` is what `schema` returned for this request (case-commands parses with this route's schema).
  return { schema, ...options, toInput: async (parsed, req) => complete(parsed as B, req) };
}

/** A route whose validated body is the update's input as it stands. */
const asIs = <K extends CommandKind>(schema: ZodType<CommandInputs[K]>, options: RouteOptions = {}): CommandRoute<K> =>
  completed<K, CommandInputs[K]>(schema, (input) => input, options);

const invalid = (field: string, message: string) =>
  new HttpProblem(400, 'validation-error', 'Invalid request', `invalid body: ${field}: ${message}`, {
    errors: [{ field, message }],
  });

export interface CommandRouteDeps {
  cases: CaseCommands;
  /** The matrix new cases start on: an explicit migration moves a case onto it. */
  plan: () => Plan;
}

function routesTable({ cases, plan }: CommandRouteDeps): { [K in CommandKind]: CommandRoute<K> } {
  return {
    acknowledge: asIs(acknowledgeBody),
    unacknowledge: asIs(unacknowledgeBody),
    resolve: asIs(resolveBody),
    escalate: asIs(escalateBody),
    pause: asIs(pauseBody),
    resume: asIs(resumeBody),
    migrate: completed(migrateBody, (input) => ({ ...input, plan: plan() })),
    reassign: asIs(reassignBody),
    reprioritise: asIs(reprioritiseBody),
    cancel: completed(cancelBody, async (input, req) => {
      const { duplicateOf } = input;
      if (duplicateOf !== undefined) {
        if (duplicateOf === req.params.id) throw invalid('duplicateOf', 'must be another case');
        if (!(await cases.caseExists(duplicateOf))) {
          throw invalid('duplicateOf', `no escalation with id "${duplicateOf}"`);
        }
      }
      return input;
    }),
    addTeam: asIs(addTeamBody, { status: 201 }),
    addTask: asIs(addTaskBody, { status: 201 }),
    updateTask: completed(updateWorkItemBody, (input, req) => ({
      ...input,
      id: parse(taskIdParam, { taskId: req.params.taskId }, 'path').taskId,
    })),
    subscribe: asIs(subscribeBody, { status: 201 }),
    unsubscribe: completed(
      unsubscribeQuery,
      ({ by }, req) => ({
        by,
        address: parse(subscriberAddressParam, { address: req.params.address }, 'path').address,
      }),
      { from: 'query' },
    ),
    feedback: asIs(feedbackBody),
    reopen: asIs(reopenBody),
    submitReview: asIs(submitReviewBody),
    addActionItem: asIs(addActionItemBody, { status: 201 }),
    updateActionItem: completed(updateWorkItemBody, (input, req) => ({
      ...input,
      id: parse(actionItemIdParam, { itemId: req.params.itemId }, 'path').itemId,
    })),
    addEvidence: asIs(addEvidenceBody, { status: 201 }),
  };
}

/** The routes of every command in the table, each one workflow update with the Request-Id as its update id. */
export function commandRoutes(deps: CommandRouteDeps): Router {
  const router = express.Router();
  const routes = routesTable(deps);
  for (const kind of COMMAND_KINDS) mount(router, deps.cases, kind, routes[kind]);
  return router;
}

function mount<K extends CommandKind>(router: Router, cases: CaseCommands, kind: K, spec: CommandRoute<K>): void {
  const { update, route: where } = COMMANDS[kind];
  const handler = cases.command(
    spec.schema,
    async (handle, input, updateId, req) =>
      handle.executeUpdate(update, {
        args: [await spec.toInput(input, req)],
        ...(updateId !== undefined ? { updateId } : {}),
      }),
    { ...(spec.status ? { status: spec.status } : {}), ...(spec.from ? { from: spec.from } : {}) },
  );
  const method = where.method.toLowerCase() as Lowercase<typeof where.method>;
  router[method](where.path, handler);
}
