// `npm run matrix:lint -- <file> [--json] [--today YYYY-MM-DD]`: checks an escalation matrix YAML file.
// Prints every error and warning as `file:line:column path: message`, a summary line and, when the matrix is
// valid, an overview of the compiled plan. Exit code: 0 no errors (warnings allowed), 1 errors, 2 usage problem.
import { readFileSync } from 'node:fs';
import { formatIssue, lintMatrix, type LintResult } from '../src/matrix/lint';
import { describePlan } from '../src/matrix/overview';
import { isDate } from '../src/matrix/values';

const USAGE = 'usage: npm run matrix:lint -- <file> [--json] [--today YYYY-MM-DD]';

interface Options {
  file: string;
  json: boolean;
  today?: string;
}

class UsageError extends Error {}

function parseArgs(args: string[]): Options | 'help' {
  let file: string | undefined;
  let json = false;
  let today: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--help' || arg === '-h') return 'help';
    if (arg === '--json') json = true;
    else if (arg === '--today' || arg.startsWith('--today=')) {
      const value = arg === '--today' ? args[++i] : arg.slice('--today='.length);
      if (value === undefined || !isDate(value))
        throw new UsageError(`--today needs a date YYYY-MM-DD, got ${value ?? 'nothing'}`);
      today = value;
    } else if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
    else if (file === undefined) file = arg;
    else throw new UsageError(`one file at a time (got ${file} and ${arg})`);
  }
  if (file === undefined) throw new UsageError('missing the matrix file to check');
  return { file, json, ...(today === undefined ? {} : { today }) };
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function summary(file: string, result: LintResult): string {
  const counts = `${plural(result.errors.length, 'error')}, ${plural(result.warnings.length, 'warning')}`;
  if (!result.plan) return `${file}: ${counts}`;
  const label = result.plan.versionName === undefined ? '' : ` "${result.plan.versionName}"`;
  return `${file}: ${counts}; plan ${result.plan.version}${label}`;
}

function main(args: string[]): number {
  let options: Options | 'help';
  try {
    options = parseArgs(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`matrix-lint: ${error.message}\n${USAGE}`);
    return 2;
  }
  if (options === 'help') {
    console.log(USAGE);
    return 0;
  }

  let text: string;
  try {
    text = readFileSync(options.file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : (error as Error).message;
    console.error(`matrix-lint: cannot read ${options.file}: ${why}\n${USAGE}`);
    return 2;
  }

  const result = lintMatrix(text, { source: options.file, ...(options.today ? { today: options.today } : {}) });
  if (options.json) {
    console.log(JSON.stringify(result, null, 2));
    return result.ok ? 0 : 1;
  }
  for (const issue of result.errors) console.log(`${formatIssue(issue, options.file)}`);
  for (const issue of result.warnings) console.log(`${formatIssue(issue, options.file)} (warning)`);
  console.log(summary(options.file, result));
  if (result.plan) console.log(['', ...describePlan(result.plan)].join('\n'));
  return result.ok ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
