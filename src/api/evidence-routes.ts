// Evidence on a case over HTTP: links (a log search, a ticket with screenshots) and attachments' metadata (the file
// stays where its `url` points; its SHA-256 lets an audit show it was not changed). Adding is a command of the
// table (./command-routes) answering the new state with 201; the workflow refuses it once the case is closed.
import express, { type Router } from 'express';
import { z } from 'zod';
import { parse, type CaseCommands } from './case-commands';
import { caseIdParam, evidenceFields, text, toEvidenceInput } from './schemas';

export const addEvidenceBody = z
  .strictObject({ by: text(200), ...evidenceFields })
  .transform(({ by, ...item }) => ({ by, ...toEvidenceInput(item) }));

export function evidenceRoutes(cases: CaseCommands): Router {
  const router = express.Router();
  const { readState } = cases;

  /** The case's evidence, live or (once the run is gone) as last stored. */
  router.get('/escalations/:id/evidence', async (req, res) => {
    const state = await readState(parse(caseIdParam, req.params.id, 'path'));
    const items = state.evidence ?? [];
    res.json({ items, count: items.length });
  });

  return router;
}
