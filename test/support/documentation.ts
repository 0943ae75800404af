// What the documentation tests share: the documentation routes served on their own, and the Markdown by section.
import type { Server } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import { documentationRoutes } from '../../src/api/documentation-routes';
import { HttpProblem } from '../../src/api/problem';
import type { CaseStore } from '../../src/store/case-store';
import { listen } from './listen';

/** The documentation routes on a bare Express app over `store`, answering errors as src/api/app.ts does. */
export function serveDocumentation(store: CaseStore): Promise<{ server: Server; base: string }> {
  const app = express();
  app.use(express.json());
  app.use(documentationRoutes(store));
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const problem =
      error instanceof HttpProblem ? error : new HttpProblem(500, 'internal-error', 'Internal error', String(error));
    res
      .status(problem.status)
      .type('application/problem+json')
      .send(JSON.stringify(problem.toJSON(req.originalUrl)));
  });
  return listen(app);
}

/** The text of one `## title` section of a case's Markdown, up to the next section. */
export function section(markdown: string, title: string): string {
  const start = markdown.indexOf(`\n## ${title}\n\n`);
  if (start < 0) throw new Error(`no section "${title}"`);
  const from = start + `\n## ${title}\n\n`.length;
  const end = markdown.indexOf('\n\n## ', from);
  return markdown.slice(from, end < 0 ? undefined : end).trimEnd();
}
