// Workflow code is deterministic by construction: eslint.config.mjs lets src/workflows and the bundled part of
// src/shared import only @temporalio/workflow, @temporalio/common, their own folder and src/shared (activities as
// types). These lint snippets as if they were workflow files, so loosening the rule fails here, not in production.
import path from 'node:path';
import { ESLint } from 'eslint';

const ROOT = path.resolve(__dirname, '../..');

// Only the import rule: the type-aware rules would need the whole TypeScript project for a few lines of text.
const eslint = new ESLint({
  cwd: ROOT,
  overrideConfig: { languageOptions: { parserOptions: { projectService: false } } },
  ruleFilter: ({ ruleId }) => ruleId === 'no-restricted-imports',
});

async function refused(source: string, file = 'src/workflows/probe.ts'): Promise<boolean> {
  const [result] = await eslint.lintText(`${source}\n`, { filePath: path.join(ROOT, file) });
  return (result?.messages ?? []).some((message) => message.ruleId === 'no-restricted-imports');
}

describe('imports in workflow code', () => {
  it.each([
    "import { sleep } from '@temporalio/workflow';",
    "import { ApplicationFailure } from '@temporalio/common';",
    "import { levelAt } from './transitions';",
    "import { triage } from '../shared/triage';",
    "import type { EscalationActivities } from '../activities';",
  ])('allows %s', async (source) => {
    expect(await refused(source)).toBe(false);
  });

  it.each([
    "import { DateTime } from 'luxon';",
    "import type { DateTime } from 'luxon';",
    "import Handlebars from 'handlebars';",
    "import { computeDue } from '../sla/clock';",
    "import { resolveTargets } from '../oncall/resolve-targets';",
    "import { TestWorkflowEnvironment } from '@temporalio/testing';",
    "import { Client } from '@temporalio/client';",
    "import { z } from 'zod';",
    "import { readFileSync } from 'node:fs';",
    "import path from 'path';",
    "import { createActivities } from '../activities';",
    "export { computeDue } from '../sla/clock';",
  ])('refuses %s', async (source) => {
    expect(await refused(source)).toBe(true);
  });

  it('holds in src/shared too, which must not reach into src/workflows or anywhere else', async () => {
    expect(await refused("import type { Plan } from './plan';", 'src/shared/probe.ts')).toBe(false);
    expect(await refused("import { DateTime } from 'luxon';", 'src/shared/probe.ts')).toBe(true);
    expect(await refused("import { levelAt } from '../workflows/transitions';", 'src/shared/probe.ts')).toBe(true);
  });

  it('leaves code outside the workflow bundle alone', async () => {
    expect(await refused("import { DateTime } from 'luxon';", 'src/sla/probe.ts')).toBe(false);
  });
});
