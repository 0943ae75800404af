// GET /worklist: the open and acknowledged cases of a person or team, most urgent first, read from the case store.
// The order is the store's (priority, then the nearest SLA target with breached ones first, paused cases last
// within their priority); this file only shapes each row.
import express, { type Router } from 'express';
import { z } from 'zod';
import { nearestTarget } from '../activities/case-record';
import type { CaseRecord, CaseStore } from '../store/case-store';
import { validationProblem } from './problem';

const name = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');

export const worklistQuery = z
  .strictObject({
    /** A person, team or rotation id, or an owner's name: cases they own or are responsible for. */
    owner: name.optional(),
    /** A team id: cases the team is responsible for or was added to. */
    team: name.optional(),
    limit: z.coerce.number().int().min(1).max(1000).optional(),
  })
  .superRefine((query, ctx) => {
    if (query.owner === undefined && query.team === undefined) {
      ctx.addIssue({ code: 'custom', path: ['owner'], message: 'give owner or team (or both)' });
    }
  });

export interface WorklistItem {
  id: string;
  title: string;
  priority: CaseRecord['priority'];
  status: CaseRecord['status'];
  category: string;
  level: { index: number; name: string };
  owner: string | null;
  assignees: string[];
  paused: boolean;
  openTasks: number;
  blockingTasks: number;
  /** The SLA target running now; null while paused (or without due times). */
  nearest: { target: 'ack' | 'resolve'; dueAt: string; msLeft: number; breached: boolean } | null;
  url: string;
}

export function worklistItem(record: CaseRecord, nowMs: number): WorklistItem {
  const open = (record.snapshot?.tasks ?? []).filter((task) => task.state === 'open');
  const nearest = nearestTarget(record.status, record.paused, record.ackDueAt, record.resolveDueAt);
  const msLeft = nearest === null ? 0 : Date.parse(nearest.dueAt) - nowMs;
  return {
    id: record.id,
    title: record.title,
    priority: record.priority,
    status: record.status,
    category: record.category,
    level: { index: record.levelIndex, name: record.levelName },
    owner: record.owner,
    assignees: record.assignees,
    paused: record.paused,
    openTasks: open.length,
    blockingTasks: open.filter((task) => task.blocking).length,
    nearest: nearest === null ? null : { ...nearest, msLeft, breached: msLeft < 0 },
    url: `/escalations/${encodeURIComponent(record.id)}`,
  };
}

export function worklistRoutes(store: CaseStore, now: () => Date): Router {
  const router = express.Router();

  router.get('/worklist', async (req, res) => {
    const parsed = worklistQuery.safeParse(req.query);
    if (!parsed.success) throw validationProblem(parsed.error, 'query');
    const { owner, team, limit } = parsed.data;
    const records = await store.worklist({
      ...(owner !== undefined ? { owner } : {}),
      ...(team !== undefined ? { team } : {}),
      ...(limit !== undefined ? { limit } : {}),
    });
    const nowMs = now().getTime();
    const items = records.map((record) => worklistItem(record, nowMs));
    res.json({ items, count: items.length });
  });

  return router;
}
