// Reads the matrix YAML at start-up and compiles it, or fails with every problem listed for the matrix author.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Plan } from '../shared/plan';
import { analyseMatrix, formatIssue } from './lint';

/**
 * A matrix that cannot be used; `errors` holds one line per problem, `source:line:column path: message`
 * (see formatIssue), or a plain message when the file cannot be read.
 */
export class MatrixError extends Error {
  override readonly name = 'MatrixError';

  constructor(
    /** The file path, or `<inline>` for text passed to parseMatrix. */
    readonly source: string,
    readonly errors: string[],
    headline = `Invalid escalation matrix ${source}`,
  ) {
    const count = errors.length === 1 ? '1 problem' : `${errors.length} problems`;
    super(`${headline} (${count}):\n${errors.map((line) => `  ${line}`).join('\n')}`);
  }
}

/** Loads the matrix file (MATRIX_FILE, relative paths from the working directory) and compiles it. */
export function loadMatrix(filePath: string, onWarning?: (line: string) => void): Plan {
  let text: string;
  try {
    text = readFileSync(filePath, 'utf8');
  } catch (error) {
    const absolute = resolve(filePath);
    const code = (error as NodeJS.ErrnoException).code;
    const problem =
      code === 'ENOENT'
        ? `no such file: ${absolute} (set MATRIX_FILE to the path of your matrix YAML; default config/matrix.yaml)`
        : `cannot read ${absolute}: ${(error as Error).message} (check MATRIX_FILE)`;
    throw new MatrixError(filePath, [problem], `Cannot load escalation matrix ${filePath}`);
  }
  return parseMatrix(text, filePath, onWarning);
}

/** Parses, validates and compiles matrix YAML; `source` only names it in errors. Warnings do not stop it. */
export function parseMatrix(yamlText: string, source = '<inline>', onWarning?: (line: string) => void): Plan {
  const analysis = analyseMatrix(yamlText, { source });
  if (analysis.plan !== undefined && analysis.ok) {
    for (const warning of analysis.warnings) onWarning?.(formatIssue(warning, source));
    return analysis.plan;
  }
  const errors = analysis.errors.map((issue) => formatIssue(issue, source));
  const headline =
    analysis.stage === 'yaml'
      ? `YAML syntax error in escalation matrix ${source}`
      : `Invalid escalation matrix ${source}`;
  throw new MatrixError(source, errors, headline);
}
