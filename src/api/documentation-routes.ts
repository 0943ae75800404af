// Case documentation endpoints, read from the case store only (they work after the workflow run is gone):
// the stored timeline, every handoff notice as sent, and an audit-ready export as Markdown or PDF (one layout).
import express, { type Router } from 'express';
import { caseDocument } from '../documentation/case-record';
import { caseMarkdown } from '../documentation/markdown';
import { casePdf } from '../documentation/pdf';
import type { CaseRecord, CaseStore } from '../store/case-store';
import { notFound, validationProblem } from './problem';
import { caseIdParam } from './schemas';

export function documentationRoutes(store: CaseStore): Router {
  const router = express.Router();

  async function caseFor(rawId: unknown): Promise<CaseRecord> {
    const parsed = caseIdParam.safeParse(rawId);
    if (!parsed.success) throw validationProblem(parsed.error, 'path');
    const record = await store.getCase(parsed.data);
    if (!record) throw notFound(parsed.data);
    return record;
  }

  async function documentFor(rawId: unknown) {
    const record = await caseFor(rawId);
    const [timeline, notifications] = await Promise.all([store.timeline(record.id), store.notifications(record.id)]);
    return caseDocument(record, timeline, notifications);
  }

  router.get('/escalations/:id/timeline', async (req, res) => {
    const record = await caseFor(req.params.id);
    const items = await store.timeline(record.id);
    res.json({ items, count: items.length });
  });

  router.get('/escalations/:id/handoffs', async (req, res) => {
    const doc = await documentFor(req.params.id);
    const items = doc.handoffs.map(({ at, level, to, subject, body, status }) => ({
      at,
      level,
      to,
      subject,
      body,
      status,
    }));
    res.json({ items, count: items.length });
  });

  router.get('/escalations/:id/export.md', async (req, res) => {
    const doc = await documentFor(req.params.id);
    res
      .status(200)
      .set('Content-Type', 'text/markdown; charset=utf-8')
      // Case ids are letters, digits and ._:- only (caseIdParam), so the quoted filename needs no escaping.
      .set('Content-Disposition', `attachment; filename="${doc.id}.md"`)
      .send(caseMarkdown(doc));
  });

  router.get('/escalations/:id/export.pdf', async (req, res) => {
    const doc = await documentFor(req.params.id);
    const pdf = await casePdf(doc);
    res
      .status(200)
      .set('Content-Type', 'application/pdf')
      .set('Content-Disposition', `attachment; filename="${doc.id}.pdf"`)
      .send(pdf);
  });

  return router;
}
