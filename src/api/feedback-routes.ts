// The reporter's feedback page, reached from the signed link in a resolution notice: no account, the link's token
// is the permission. GET shows a small self-contained form; POST (form or JSON) hands the score to the case.
import type { Client } from '@temporalio/client';
import { refuseControlCharacters, verifyUtf8 } from './text-guard';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import type { EscalationState } from '../shared/escalation';
import { escapeHtml } from '../shared/escape-html';
import { workflowIdFor } from '../shared/ids';
import { feedbackUpdate } from '../shared/messages';
import { verifyFeedback } from './feedback-links';
import { HttpProblem, validationProblem } from './problem';
import { caseIdParam } from './schemas';
import { problemFromTemporal } from './temporal-errors';

export interface FeedbackRouteDeps {
  client: Client;
  /** The secret the worker signs feedback links with (loadFeedbackSecret). */
  secret: string;
  /** Answers 409 for a case whose run has finished (closed since the link was sent), like other commands. */
  rejectIfClosed?: (caseId: string, error: unknown) => Promise<never>;
}

/** Who the timeline names as the author of feedback given through the link. */
export const FEEDBACK_LINK_AUTHOR = 'reporter (feedback link)';
const COMMAND_DEADLINE_MS = 15_000;
const FORM_LIMIT = '16kb';

// Not strict: mail clients and trackers append parameters of their own to links.
const linkQuery = z.object({
  round: z.coerce.number().int('must be a whole number').min(0, 'must be 0 or more'),
  token: z.string().min(1, 'must not be empty').max(200, 'is too long'),
});

const feedbackBody = z.object({
  // Form fields arrive as text; JSON may send the number itself.
  score: z.preprocess(
    (value) => (typeof value === 'string' && value.trim() !== '' ? Number(value) : value),
    z
      .number({ error: 'must be a whole number from 1 to 5' })
      .int('must be a whole number from 1 to 5')
      .min(1, 'must be a whole number from 1 to 5')
      .max(5, 'must be a whole number from 1 to 5'),
  ),
  comment: z
    .string()
    .trim()
    .max(5000, 'must be at most 5000 characters')
    .optional()
    .transform((value) => (value === '' ? undefined : value)),
});

interface Link {
  id: string;
  round: number;
  token: string;
}

export function feedbackRoutes({ client, secret, rejectIfClosed }: FeedbackRouteDeps): Router {
  const router = express.Router();

  /** The case and round of a link whose token is genuine; 403 for anything else. */
  function linkOf(req: Request): Link {
    const id = caseIdParam.safeParse(req.params.id);
    if (!id.success) throw validationProblem(id.error, 'path');
    const query = linkQuery.safeParse(req.query);
    if (!query.success) throw validationProblem(query.error, 'query');
    const { round, token } = query.data;
    if (!verifyFeedback(secret, id.data, round, token)) {
      throw new HttpProblem(
        403,
        'invalid-feedback-link',
        'Invalid feedback link',
        'this feedback link is not valid for this case; use the link from your resolution message as it was sent',
      );
    }
    return { id: id.data, round, token };
  }

  router.get('/feedback/:id', (req, res) => {
    const link = linkOf(req);
    page(res, 200, `Feedback on case ${link.id}`, formHtml(link));
  });

  router.post(
    '/feedback/:id',
    express.urlencoded({ extended: false, limit: FORM_LIMIT, verify: verifyUtf8 }),
    refuseControlCharacters,
    async (req, res) => {
      const link = linkOf(req);
      const parsed = feedbackBody.safeParse(req.body ?? {});
      if (!parsed.success) throw validationProblem(parsed.error, 'body');
      const { score, comment } = parsed.data;
      let state: EscalationState;
      try {
        state = await client.withDeadline(Date.now() + COMMAND_DEADLINE_MS, () =>
          client.workflow.getHandle(workflowIdFor(link.id)).executeUpdate(feedbackUpdate, {
            args: [
              { by: FEEDBACK_LINK_AUTHOR, score, round: link.round, ...(comment !== undefined ? { comment } : {}) },
            ],
          }),
        );
      } catch (error) {
        if (rejectIfClosed) await rejectIfClosed(link.id, error);
        throw problemFromTemporal(error, link.id) ?? error;
      }
      if (req.is('application/x-www-form-urlencoded')) {
        page(res, 200, 'Thank you', thanksHtml(link.id, score));
      } else {
        res.json(state);
      }
    },
  );

  // A reporter opens the link in a browser: a refusal (an old link, a closed case, a bad score) is a page to read,
  // with the same status; programs that ask for JSON (or anything) keep getting problem+json.
  router.use((error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (!(error instanceof HttpProblem) || req.accepts(['json', 'html']) !== 'html') {
      next(error);
      return;
    }
    page(
      res,
      error.status,
      error.title,
      `<h1>${escapeHtml(error.title)}</h1>\n    <p>${escapeHtml(error.message)}</p>`,
    );
  });

  return router;
}

const SCORE_LABELS: Record<number, string> = {
  1: '1 - very unsatisfied',
  2: '2 - unsatisfied',
  3: '3 - neutral',
  4: '4 - satisfied',
  5: '5 - very satisfied',
};

function formHtml({ id, round, token }: Link): string {
  const action = `/feedback/${encodeURIComponent(id)}?round=${round}&token=${encodeURIComponent(token)}`;
  const options = [1, 2, 3, 4, 5]
    .map(
      (score) =>
        `<label><input type="radio" name="score" value="${score}" required> ${escapeHtml(SCORE_LABELS[score] ?? String(score))}</label>`,
    )
    .join('\n        ');
  return `<h1>How did we do?</h1>
    <p>Case <strong>${escapeHtml(id)}</strong> was resolved. How satisfied are you with the resolution?</p>
    <form method="post" action="${escapeHtml(action)}">
      <fieldset>
        <legend>Your score</legend>
        ${options}
      </fieldset>
      <label for="comment">Anything you would like to add? (optional)</label>
      <textarea id="comment" name="comment" rows="5" maxlength="5000"></textarea>
      <button type="submit">Send feedback</button>
    </form>`;
}

function thanksHtml(id: string, score: number): string {
  return `<h1>Thank you</h1>
    <p>Your score of ${score} for case <strong>${escapeHtml(id)}</strong> was recorded.</p>`;
}

/** A whole page with inline styles only: nothing is loaded from anywhere else. */
function page(res: Response, status: number, title: string, content: string): void {
  res.status(status).set({
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
    // The token is in the URL: keep it out of caches and out of Referer headers.
    'Cache-Control': 'no-store',
    'Referrer-Policy': 'no-referrer',
  }).send(`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${escapeHtml(title)}</title>
    <style>
      body { font-family: system-ui, sans-serif; max-width: 36rem; margin: 2rem auto; padding: 0 1rem; color: #1a1a1a; }
      fieldset { border: 1px solid #ccc; border-radius: 6px; margin: 1rem 0; }
      fieldset label { display: block; margin: 0.3rem 0; }
      textarea { display: block; width: 100%; box-sizing: border-box; margin: 0.5rem 0 1rem; }
      button { padding: 0.5rem 1.2rem; }
    </style>
  </head>
  <body>
    ${content}
  </body>
</html>
`);
}
