// Reads the matrix YAML at start-up and compiles it, or fails with every problem listed for the matrix author.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { Plan } from '../shared/plan';
import { compileMatrix } from './compile';
import { validateMatrix } from './schema';

/** A matrix that cannot be used; `errors` holds one `path: message` (or `line L, column C: message`) per problem. */
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
export function loadMatrix(filePath: string): Plan {
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
  return parseMatrix(text, filePath);
}

/** Parses, validates and compiles matrix YAML; `source` only names it in errors. */
export function parseMatrix(yamlText: string, source = '<inline>'): Plan {
  const lineCounter = new LineCounter();
  // prettyErrors off: we word the position ourselves, one line per error, instead of yaml's multi-line excerpt.
  const doc = parseDocument(yamlText, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    const errors = doc.errors.map((error) => {
      const { line, col } = lineCounter.linePos(error.pos[0]);
      return `line ${line}, column ${col}: ${error.message}`;
    });
    throw new MatrixError(source, errors, `YAML syntax error in escalation matrix ${source}`);
  }

  let data: unknown;
  try {
    data = doc.toJS();
  } catch (error) {
    // e.g. an alias bomb: the text is valid YAML but cannot be turned into plain data.
    throw new MatrixError(source, [`(root): ${(error as Error).message}`]);
  }

  const validation = validateMatrix(data);
  if (!validation.success) throw new MatrixError(source, validation.errors);
  return compileMatrix(validation.document);
}
