// Matrix lint results as the matrix tests' tables spell them, on a fixed date so date warnings never drift.
import { lintMatrix, type MatrixIssue } from '../../src/matrix/lint';

/** The local date the tests lint on (reviewBy and rotation starts are compared with it). */
export const TODAY = '2026-11-23';

/** `line:column path: message`. */
export const short = (issue: MatrixIssue) => `${issue.line}:${issue.column} ${issue.path}: ${issue.message}`;
export const errorsOf = (text: string) => lintMatrix(text, { today: TODAY }).errors.map(short);
export const warningsOf = (text: string, today = TODAY) => lintMatrix(text, { today }).warnings.map(short);
