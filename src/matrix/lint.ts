// Lints matrix YAML: every error and warning with its YAML line and column, and the compiled plan when it is valid.
// Never throws for bad input, so editors, the CLI (scripts/matrix-lint.ts) and start-up (load.ts) can all use it.
import { DateTime } from 'luxon';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { findControlCharacter } from '../shared/control-characters';
import type { Plan } from '../shared/plan';
import { compileMatrix } from './compile';
import type { IssuePath, PathIssue } from './issues';
import { validateMatrix } from './schema';
import { matrixWarnings } from './warnings';

/** One problem: `path` is dotted from the top of the document (`paths.general.levels.1.notify.0.channel`). */
export interface MatrixIssue {
  /** `(root)` for the document as a whole, empty for YAML syntax problems. */
  path: string;
  /** 1-based line and column of the key or list item the path names (or its nearest existing ancestor). */
  line?: number;
  column?: number;
  message: string;
}

export interface LintOptions {
  /** Names the text in the result (a file path); default `<inline>`. */
  source?: string;
  /** Local date `YYYY-MM-DD` that date warnings compare with (reviewBy, rotation starts); default: today. */
  today?: string;
}

export interface LintResult {
  /** True when there are no errors (warnings allowed): `plan` is then set. */
  ok: boolean;
  source: string;
  errors: MatrixIssue[];
  warnings: MatrixIssue[];
  plan?: Plan;
}

/** Internal: also says whether the errors are YAML syntax errors (the text is not YAML at all). */
export interface Analysis extends LintResult {
  stage: 'yaml' | 'matrix';
}

/** Checks matrix YAML: syntax, schema, cross-field rules and warnings; compiles it when there are no errors. */
export function lintMatrix(yamlText: string, options: LintOptions = {}): LintResult {
  const { stage: _stage, ...result } = analyseMatrix(yamlText, options);
  return result;
}

/** `config/matrix.yaml:12:7 levels.1.notify.0.channel: unknown channel "sms" (known: log)`. */
export function formatIssue(issue: MatrixIssue, source: string): string {
  const where = issue.line === undefined ? source : `${source}:${issue.line}:${issue.column ?? 1}`;
  return issue.path === '' ? `${where} ${issue.message}` : `${where} ${issue.path}: ${issue.message}`;
}

export function analyseMatrix(yamlText: string, options: LintOptions = {}): Analysis {
  const source = options.source ?? '<inline>';
  const today = options.today ?? DateTime.now().toISODate() ?? '';
  const result = (stage: Analysis['stage'], errors: MatrixIssue[], warnings: MatrixIssue[], plan?: Plan): Analysis => ({
    stage,
    ok: errors.length === 0,
    source,
    errors: byPosition(errors),
    warnings: byPosition(warnings),
    ...(plan === undefined ? {} : { plan }),
  });

  if (typeof yamlText !== 'string') {
    return result('yaml', [{ path: '', message: `expected YAML text, got ${typeof yamlText}` }], []);
  }
  const lineCounter = new LineCounter();
  let doc: Document.Parsed;
  try {
    // prettyErrors off: we word the position ourselves, one line per error, instead of yaml's multi-line excerpt.
    doc = parseDocument(yamlText, { lineCounter, prettyErrors: false });
  } catch (error) {
    return result('yaml', [{ path: '', message: messageOf(error) }], []);
  }
  const yamlIssue = (problem: { message: string; pos: [number, number] }): MatrixIssue => {
    const { line, col } = lineCounter.linePos(problem.pos[0]);
    return { path: '', line, column: col, message: problem.message };
  };
  const yamlWarnings = doc.warnings.map(yamlIssue);
  if (doc.errors.length > 0) return result('yaml', doc.errors.map(yamlIssue), yamlWarnings);

  let data: unknown;
  try {
    data = doc.toJS();
  } catch (error) {
    // e.g. an alias bomb: the text is valid YAML but cannot be turned into plain data.
    return result('matrix', [{ path: '(root)', line: 1, column: 1, message: messageOf(error) }], yamlWarnings);
  }

  const locate = (issue: PathIssue): MatrixIssue => ({
    path: issue.path.length === 0 ? '(root)' : issue.path.map(String).join('.'),
    ...position(doc, lineCounter, issue.path),
    message: issue.message,
  });
  // Names and addresses go into every handoff and case record; the store cannot keep a NUL (see control-characters).
  const controlCharacter = findControlCharacter(data);
  if (controlCharacter) {
    const path = controlCharacter.path === '' ? [] : controlCharacter.path.split('.');
    return result('matrix', [locate({ path, message: controlCharacter.message })], yamlWarnings);
  }
  try {
    const warnings = [...yamlWarnings, ...matrixWarnings(data, today).map(locate)];
    const validation = validateMatrix(data);
    if (!validation.success) return result('matrix', validation.issues.map(locate), warnings);
    return result('matrix', [], warnings, compileMatrix(validation.document));
  } catch (error) {
    // A bug in the checks or the compiler: still an answer, never an exception.
    return result(
      'matrix',
      [{ path: '(root)', message: `internal error while checking the matrix: ${messageOf(error)}` }],
      [],
    );
  }
}

/**
 * Line and column of what `path` names: a map entry's key, a list item; when the path does not exist (a missing
 * key) or runs through an alias, its nearest existing ancestor. An empty document is line 1, column 1.
 */
function position(doc: Document, lineCounter: LineCounter, path: IssuePath): { line: number; column: number } {
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (const segment of path) {
    // Inside an alias (*name) the problem is in the anchored value, but the alias is where this path uses it.
    if (isAlias(node)) break;
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => String(isScalar(item.key) ? item.key.value : item.key) === String(segment),
      );
      if (pair === undefined) break;
      offset = rangeStart(pair.key) ?? rangeStart(pair.value) ?? offset;
      node = pair.value;
    } else if (isSeq(node)) {
      const item: unknown = node.items[Number(segment)];
      if (item === undefined) break;
      offset = rangeStart(item) ?? offset;
      node = item;
    } else {
      break;
    }
  }
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}

function rangeStart(node: unknown): number | undefined {
  return (node as Node | null | undefined)?.range?.[0];
}

/** Stable sort by position: the output follows the file from top to bottom. */
function byPosition(issues: MatrixIssue[]): MatrixIssue[] {
  const key = (issue: MatrixIssue) => (issue.line ?? Number.MAX_SAFE_INTEGER) * 1e6 + (issue.column ?? 0);
  return issues
    .map((issue, index) => ({ issue, index }))
    .sort((a, b) => key(a.issue) - key(b.issue) || a.index - b.index)
    .map(({ issue }) => issue);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
