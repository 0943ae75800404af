// Notification templates an organisation can change: one Handlebars file per audience and event under
// TEMPLATES_DIR (`reporter/receipt.hbs`, `assignee/handoff.hbs`, ...), compiled once at start-up and rendered by the
// notify activity with the notice's model (src/workflows/notice-model.ts). A notice whose template is missing keeps
// the workflow's built-in text.
//
// File format: the first line is `Subject: <template>`, then a blank line, then the body. Output is plain text
// (`noEscape`): the email channel makes its own HTML. Files under `partials/` are partials (`{{> case-summary}}`).
// Helpers: `time` (an ISO instant in a zone), `duration` (milliseconds as `1h30m`), `eq` (equality, for `#if`) and
// `join` (a list with a separator). Everything is checked at load: a template that does not parse, or uses an
// unknown helper or partial, is a TemplateError naming file and line, so a bad edit stops the worker's start-up
// rather than a notification.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { formatDuration } from '../shared/duration';
import { FEEDBACK_URL_PLACEHOLDER, TEMPLATE_NAMES } from '../shared/notifications';

/** A template that cannot be used: names the file and, where known, the line. */
export class TemplateError extends Error {
  override readonly name = 'TemplateError';

  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly reason: string,
  ) {
    super(`${file}${line !== undefined ? `:${line}` : ''}: ${reason}`);
  }
}

export interface TemplateLibraryOptions {
  /** PUBLIC_URL, else `http://localhost:PORT`: templates link to the case as `{{caseUrl}}`. */
  publicUrl: string;
  /** A variable the context lacks throws instead of rendering empty (the tests use this to catch typos). */
  strict?: boolean;
}

export interface RenderedText {
  subject: string;
  body: string;
}

interface Compiled {
  file: string;
  subject: Handlebars.TemplateDelegate;
  body: Handlebars.TemplateDelegate;
}

/** The folder under TEMPLATES_DIR whose files are partials (`{{> case-summary}}`), not templates. */
const PARTIALS = 'partials';

const BUILTIN_HELPERS = ['if', 'unless', 'each', 'with', 'lookup', 'log', 'blockHelperMissing', 'helperMissing'];

const formats = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: 'en-US' | 'en-GB', timeZone: string): Intl.DateTimeFormat {
  const key = `${locale} ${timeZone}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, {
      timeZone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
    formats.set(key, format);
  }
  return format;
}

/** The zone when the runtime knows it, else UTC (a reporter's zone is free text from the caller). */
export function knownZone(zone: unknown): string {
  if (typeof zone !== 'string' || zone.trim() === '') return 'UTC';
  try {
    formatter('en-US', zone);
    return zone;
  } catch {
    return 'UTC';
  }
}

/**
 * `2026-11-23T18:30:00.000Z` in `Europe/Berlin` -> `Mon 23 Nov 2026, 19:30 CET`. The zone's abbreviation where the
 * runtime has one (en-US names American zones, en-GB European ones), else its offset (`GMT+9`). Text that is not an
 * instant is returned as it is.
 */
export function formatInstant(iso: string, zone = 'UTC'): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const timeZone = knownZone(zone);
  const part = (parts: Intl.DateTimeFormatPart[], type: Intl.DateTimeFormatPartTypes) =>
    parts.find((p) => p.type === type)?.value ?? '';
  const us = formatter('en-US', timeZone).formatToParts(ms);
  let zoneName = part(us, 'timeZoneName');
  if (zoneName.startsWith('GMT') && zoneName !== 'GMT') {
    const gb = part(formatter('en-GB', timeZone).formatToParts(ms), 'timeZoneName');
    if (!gb.startsWith('GMT') || gb === 'GMT') zoneName = gb;
  }
  return (
    `${part(us, 'weekday')} ${part(us, 'day')} ${part(us, 'month')} ${part(us, 'year')}, ` +
    `${part(us, 'hour')}:${part(us, 'minute')} ${zoneName}`
  );
}

/** Handlebars passes its options object last: an argument that is one was not given. */
const given = (value: unknown): unknown =>
  typeof value === 'object' && value !== null && 'hash' in value && 'data' in value ? undefined : value;

const HELPERS: Record<string, Handlebars.HelperDelegate> = {
  /** `{{time sla.ackDueAt zone}}`: an instant in a zone (UTC when none is given); empty for no value. */
  time: (value: unknown, zone: unknown) =>
    typeof value === 'string' && value !== '' ? formatInstant(value, knownZone(given(zone))) : '',
  /** `{{duration ms}}`: `1h30m`. */
  duration: (ms: unknown) => (typeof ms === 'number' && Number.isFinite(ms) ? formatDuration(ms) : ''),
  /** `{{#if (eq cancellation.reason "duplicate")}}`. */
  eq: (a: unknown, b: unknown) => a === given(b),
  /** `{{join review.reasons "; "}}`; `, ` by default. */
  join: (list: unknown, separator: unknown) => {
    const sep = given(separator);
    return Array.isArray(list) ? list.map(String).join(typeof sep === 'string' ? sep : ', ') : '';
  },
};

export const TEMPLATE_HELPERS = Object.keys(HELPERS);

function handlebars(): typeof Handlebars {
  const env = Handlebars.create();
  for (const [name, helper] of Object.entries(HELPERS)) env.registerHelper(name, helper);
  return env;
}

/** Where a template uses what is not supported here: an unknown or dynamic partial, a partial block, a decorator. */
function unsupported(node: unknown, partials: ReadonlySet<string>): { what: string; line: number } | undefined {
  if (typeof node !== 'object' || node === null) return undefined;
  const { type, loc, name } = node as {
    type?: unknown;
    loc?: { start?: { line?: number } };
    name?: { type?: unknown; original?: unknown };
  };
  const line = loc?.start?.line ?? 1;
  if (type === 'PartialStatement') {
    if (name?.type !== 'PathExpression' || typeof name.original !== 'string') {
      return { what: 'dynamic partials ({{> (expression)}}) are not supported', line };
    }
    if (!partials.has(name.original)) {
      const known = [...partials].join(', ') || 'none';
      return { what: `unknown partial "${name.original}" (partials/*.hbs: ${known})`, line };
    }
  }
  if (type === 'PartialBlockStatement') return { what: 'partial blocks ({{#> name}}) are not supported', line };
  if (type === 'Decorator' || type === 'DecoratorBlock') {
    return { what: 'decorators ({{* name}}) are not supported', line };
  }
  for (const value of Object.values(node)) {
    const children: unknown[] = Array.isArray(value) ? value : [value];
    for (const child of children) {
      const found = unsupported(child, partials);
      if (found) return found;
    }
  }
  return undefined;
}

interface Compiler {
  env: typeof Handlebars;
  partials: ReadonlySet<string>;
  strict: boolean;
}

/** Compiles one part of a file (a subject, a body, a partial), with errors located in the file. */
function compilePart(compiler: Compiler, source: string, file: string, firstLine: number): Handlebars.TemplateDelegate {
  const { env, partials, strict } = compiler;
  const knownHelpers = Object.fromEntries([...BUILTIN_HELPERS, ...TEMPLATE_HELPERS].map((name) => [name, true]));
  const options = { noEscape: true, strict, knownHelpers, knownHelpersOnly: true };
  try {
    const found = unsupported(env.parse(source), partials);
    if (found) throw new TemplateError(file, firstLine + found.line - 1, found.what);
    // Compiling is lazy in Handlebars: precompiling finds unknown helpers and bad blocks now, at start-up.
    env.precompile(source, options);
  } catch (error) {
    if (error instanceof TemplateError) throw error;
    const text = error instanceof Error ? error.message : String(error);
    const parse = /^Parse error on line (\d+):\n?/.exec(text);
    const located = error as { lineNumber?: unknown };
    const line = parse ? Number(parse[1]) : typeof located.lineNumber === 'number' ? located.lineNumber : undefined;
    const reason = (parse ? `parse error:\n${text.slice(parse[0].length)}` : text.replace(/ - \d+:\d+$/, '')).replace(
      /You specified knownHelpersOnly, but used the unknown helper (\S+)/,
      `unknown helper "$1" (helpers: ${TEMPLATE_HELPERS.join(', ')}, and Handlebars' own)`,
    );
    throw new TemplateError(file, line === undefined ? undefined : firstLine + line - 1, reason);
  }
  return env.compile(source, options);
}

const normalise = (source: string) => source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');

/** Splits and compiles one template file's text: `Subject: ...`, a blank line, the body. */
function compileTemplate(compiler: Compiler, source: string, file: string): Compiled {
  const lines = normalise(source).split('\n');
  const subject = /^Subject:[ \t]*(.*)$/.exec(lines[0] ?? '');
  if (!subject) throw new TemplateError(file, 1, 'the first line must be "Subject: <subject>"');
  if (lines.length > 1 && (lines[1] ?? '').trim() !== '') {
    throw new TemplateError(file, 2, 'a blank line must follow the subject; the body starts after it');
  }
  return {
    file,
    subject: compilePart(compiler, subject[1] ?? '', file, 1),
    body: compilePart(compiler, lines.slice(2).join('\n'), file, 3),
  };
}

function isDirectory(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

function templateFiles(dir: string, prefix = ''): string[] {
  return readdirSync(path.join(dir, prefix), { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) return templateFiles(dir, relative);
      return entry.isFile() && entry.name.endsWith('.hbs') ? [relative] : [];
    });
}

/** What reporter templates see: no internal names (levels, owners, teams, people), no internal links. */
function reporterView(model: Record<string, unknown>): Record<string, unknown> {
  const pick = (value: unknown, keys: string[]) =>
    typeof value === 'object' && value !== null
      ? Object.fromEntries(Object.entries(value).filter(([key]) => keys.includes(key)))
      : undefined;
  const view: Record<string, unknown> = {};
  for (const key of [
    'event',
    'id',
    'title',
    'priority',
    'category',
    'status',
    'description',
    'reporter',
    'createdAt',
    'occurredAt',
    'attemptedSteps',
    'evidence',
    'acknowledgedAt',
    'awaitingAck',
    'sla',
    'resolvedAt',
    'followUp',
  ]) {
    if (model[key] !== undefined) view[key] = model[key];
  }
  const parts: [string, string[]][] = [
    ['paused', ['since']],
    ['resolution', ['summary', 'at']],
    ['cancellation', ['reason', 'duplicateOf', 'at']],
  ];
  for (const [key, keys] of parts) {
    const part = pick(model[key], keys);
    if (part) view[key] = part;
  }
  return view;
}

const tidySubject = (text: string) => text.replace(/\s+/g, ' ').trim();
/** Trailing spaces dropped, runs of blank lines (left by empty sections) made one, no leading or trailing lines. */
const tidyBody = (text: string) =>
  text
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/^\n+|\n+$/g, '');

export class TemplateLibrary {
  private constructor(
    readonly dir: string,
    private readonly templates: Map<string, Compiled>,
    private readonly publicUrl: string,
  ) {}

  /**
   * Compiles every `*.hbs` under `dir`, named by its path without the extension (`reporter/receipt`). Throws a
   * TemplateError naming the file and line of the first template that does not compile or calls an unknown helper.
   */
  static load(dir: string, options: TemplateLibraryOptions): TemplateLibrary {
    if (!isDirectory(dir)) {
      throw new TemplateError(dir, undefined, 'no such directory (set TEMPLATES_DIR to the templates folder)');
    }
    const files = templateFiles(dir);
    const isPartial = (relative: string) => relative.startsWith(`${PARTIALS}/`);
    const nameOf = (relative: string) => relative.slice(isPartial(relative) ? PARTIALS.length + 1 : 0, -'.hbs'.length);
    const env = handlebars();
    const compiler: Compiler = {
      env,
      partials: new Set(files.filter(isPartial).map(nameOf)),
      strict: options.strict ?? false,
    };
    const templates = new Map<string, Compiled>();
    for (const relative of files) {
      const file = path.join(dir, relative);
      const source = readFileSync(file, 'utf8');
      if (isPartial(relative)) {
        compilePart(compiler, normalise(source), file, 1);
        // Without the file's last newline, so `{{> name}}` fits inside a line as well as on its own.
        env.registerPartial(nameOf(relative), normalise(source).replace(/\n$/, ''));
      } else {
        templates.set(nameOf(relative), compileTemplate(compiler, source, file));
      }
    }
    return new TemplateLibrary(dir, templates, options.publicUrl.trim().replace(/\/+$/, ''));
  }

  /** Every template loaded, by name. */
  names(): string[] {
    return [...this.templates.keys()];
  }

  has(name: string): boolean {
    return this.templates.has(name);
  }

  /** Templates no notice names (a typo in a file name, or a retired event): they are never used. */
  unused(): string[] {
    return this.names().filter((name) => !(TEMPLATE_NAMES as readonly string[]).includes(name));
  }

  /** Notices without a template here: they are sent with the workflow's built-in text. */
  missing(): string[] {
    return TEMPLATE_NAMES.filter((name) => !this.templates.has(name));
  }

  /**
   * The context a template is rendered with: the model (reporter templates see a reporter's view of it), the
   * `recipient`'s name, `zone`
   * (the reporter's time zone for reporter templates, UTC otherwise), `publicUrl`, `caseUrl` (not for reporters),
   * and `feedbackUrl`, which the notify activity replaces with the reporter's signed link.
   */
  context(name: string, model: unknown, recipient?: { name: string }): Record<string, unknown> {
    const facts = typeof model === 'object' && model !== null ? (model as Record<string, unknown>) : {};
    const reporter = name.startsWith('reporter/');
    const view = reporter ? reporterView(facts) : { ...facts };
    const zone = reporter ? knownZone((facts.reporter as { timeZone?: unknown } | undefined)?.timeZone) : 'UTC';
    const caseUrlPath = facts.caseUrlPath;
    return {
      ...view,
      zone,
      ...(recipient ? { recipient: { name: recipient.name } } : {}),
      publicUrl: this.publicUrl,
      ...(!reporter && typeof caseUrlPath === 'string' ? { caseUrl: `${this.publicUrl}${caseUrlPath}` } : {}),
      feedbackUrl: FEEDBACK_URL_PLACEHOLDER,
      feedback_url: FEEDBACK_URL_PLACEHOLDER,
    };
  }

  /** Subject and body of `name` for `model`; undefined without such a template. Throws a TemplateError on failure. */
  render(name: string, model: unknown, recipient?: { name: string }): RenderedText | undefined {
    const template = this.templates.get(name);
    if (!template) return undefined;
    const context = this.context(name, model, recipient);
    const run = (part: Handlebars.TemplateDelegate, firstLine: number) => {
      try {
        return part(context);
      } catch (error) {
        const text = error instanceof Error ? error.message : String(error);
        const located = error as { lineNumber?: unknown };
        const line = typeof located.lineNumber === 'number' ? firstLine + located.lineNumber - 1 : undefined;
        throw new TemplateError(template.file, line, `cannot render: ${text.replace(/ - \d+:\d+$/, '')}`);
      }
    };
    return { subject: tidySubject(run(template.subject, 1)), body: tidyBody(run(template.body, 3)) };
  }
}
