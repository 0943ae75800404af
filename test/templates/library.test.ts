// The shipped templates (templates/) rendered with fixed models: every output pinned by a snapshot, plus what each
// audience must (and must not) be told. Then the library's own behaviour: errors at load, helpers, fallbacks.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatInstant, TemplateError, TemplateLibrary } from '../../src/templates/library';
import { TEMPLATE_NAMES } from '../../src/shared/notifications';
import { INTERNAL_NAMES, NOTICES, noticeFor, WHY } from './models';

const TEMPLATES_DIR = path.resolve(__dirname, '../../templates');
const PUBLIC_URL = 'https://escalations.example.com';
const CASE_URL = `${PUBLIC_URL}/escalations/ESC-2026-000042`;

// Strict: a variable the model lacks fails the test instead of rendering empty (a typo in a template).
const library = TemplateLibrary.load(TEMPLATES_DIR, { publicUrl: PUBLIC_URL, strict: true });

function render(template: string, model: unknown = noticeFor(template).model) {
  const rendered = library.render(template, model, { name: 'Recipient Name' });
  if (!rendered) throw new Error(`no template ${template}`);
  return rendered;
}

describe('the shipped templates', () => {
  it('cover every notice the workflow sends, and nothing else', () => {
    expect(library.missing()).toEqual([]);
    expect(library.unused()).toEqual([]);
    expect([...library.names()].sort()).toEqual([...TEMPLATE_NAMES].sort());
    expect(NOTICES.map((notice) => notice.template).sort()).toEqual([...TEMPLATE_NAMES].sort());
  });

  it.each(TEMPLATE_NAMES)('renders %s', (template) => {
    const { subject, body } = render(template);
    expect(subject).not.toContain('\n');
    expect(`Subject: ${subject}\n\n${body}`).toMatchSnapshot();
  });

  it('tells the reporter when to expect a first response, in the reporter’s time zone', () => {
    const { model } = noticeFor('reporter/receipt');
    expect(model.reporter.timeZone).toBe('Europe/Berlin');
    expect(model.sla.ackDueAt).toBe('2026-03-02T10:00:00.000Z');

    expect(render('reporter/receipt', model).body).toContain(
      'you can expect a first response by Mon 2 Mar 2026, 11:00 CET.',
    );
    const { timeZone: _zone, ...withoutZone } = model.reporter;
    expect(render('reporter/receipt', { ...model, reporter: withoutZone }).body).toContain(
      'by Mon 2 Mar 2026, 10:00 UTC.',
    );
    const newYork = { ...model, reporter: { ...model.reporter, timeZone: 'America/New_York' } };
    expect(render('reporter/receipt', newYork).body).toContain('by Mon 2 Mar 2026, 05:00 EST.');
    const unknown = { ...model, reporter: { ...model.reporter, timeZone: 'Mars/Olympus_Mons' } };
    expect(render('reporter/receipt', unknown).body).toContain('by Mon 2 Mar 2026, 10:00 UTC.');
  });

  it('shows every time in a reporter’s message in the reporter’s zone', () => {
    expect(render('reporter/feedback-request').body).toContain(
      'resolved on Mon 2 Mar 2026, 12:30 CET.\n\nWhat we did:\nRotated the expired certificate',
    );
    expect(render('reporter/feedback-request').body).toContain('Without an answer by Mon 9 Mar 2026, 12:30 CET');
  });

  it.each(TEMPLATE_NAMES.filter((name) => name.startsWith('reporter/')))(
    'names no level, team or person of the organisation in %s',
    (template) => {
      const { model } = noticeFor(template);
      // The model has them (the workflow sends one model to every audience); the reporter's text must not.
      expect(JSON.stringify(model)).toContain('Team lead');
      const { subject, body } = render(template);
      for (const name of INTERNAL_NAMES) {
        expect({ template, name, leaked: `${subject}\n${body}`.includes(name) }).toEqual({
          template,
          name,
          leaked: false,
        });
      }
      expect(body).not.toContain('/escalations/');
    },
  );

  it('gives the new owner the handoff: why, summary, reporter, steps, evidence, previous owners, what is due, link', () => {
    const { subject, body } = render('assignee/handoff');

    expect(subject).toBe('[ESC-2026-000042][high] Handoff to Team lead: Checkout fails for EU customers');
    for (const expected of [
      `Why: ${WHY}`,
      'Title:       Checkout fails for EU customers',
      'Reported by: Ada Lovelace <ada@example.com>, Mon 2 Mar 2026, 09:00 UTC',
      'Card payments are declined with error 502 since 09:00.',
      'Steps already attempted:\n- Restarted the payment pod\n- Checked the status page',
      '- E1 Error log search: https://logs.example.com/search?q=502',
      'Previous owners:\n- Frontline support, from Mon 2 Mar 2026, 09:00 UTC\n',
      'Acknowledge by: Mon 2 Mar 2026, 10:00 UTC',
      'Resolve by:     Tue 3 Mar 2026, 09:30 UTC',
      '- T1 Check the payment provider status (Payments team, due Mon 2 Mar 2026, 12:00 UTC, blocking)',
      `Open the case: ${CASE_URL}`,
    ]) {
      expect(body).toContain(expected);
    }
  });

  it('gives leadership a short impact summary', () => {
    const { subject, body } = render('leadership/handoff');

    expect(subject).toBe('[ESC-2026-000042][high] Escalated to Senior leadership: Checkout fails for EU customers');
    expect(body).toContain('Handled before: Frontline support, Team lead, Manager');
    expect(body).toContain('SLA targets missed so far: 3');
    expect(body).toContain(`Full details: ${CASE_URL}`);
    expect(body).not.toContain('Steps already attempted');
    expect(body.split('\n').length).toBeLessThan(render('assignee/handoff').body.split('\n').length / 2);
  });

  it('leaves the feedback link to the notify activity', () => {
    expect(render('reporter/feedback-request').body).toContain(
      'from 1 (not at all) to 5 (completely):\n{{feedback_url}}\n',
    );
  });
});

describe('the template library', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'templates-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  function write(relative: string, text: string): string {
    const file = path.join(dir, relative);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
    return file;
  }

  function loadError(): TemplateError {
    try {
      TemplateLibrary.load(dir, { publicUrl: PUBLIC_URL });
    } catch (error) {
      if (error instanceof TemplateError) return error;
      throw error;
    }
    throw new Error('the library loaded');
  }

  it('renders a template with the case link, the recipient and tidy text', () => {
    write(
      'assignee/handoff.hbs',
      'Subject:   [{{id}}]\t{{title}}  \n\nHello {{recipient.name}},   \n\n\n\n{{#if nothing}}\nnever\n{{/if}}\n{{caseUrl}}\n\n',
    );
    const templates = TemplateLibrary.load(dir, { publicUrl: `${PUBLIC_URL}/` });

    expect(templates.names()).toEqual(['assignee/handoff']);
    expect(templates.render('assignee/handoff', noticeFor('assignee/handoff').model, { name: 'Grace' })).toEqual({
      subject: '[ESC-2026-000042] Checkout fails for EU customers',
      body: `Hello Grace,\n\n${CASE_URL}`,
    });
  });

  it('has no template for a name it was not given: the caller keeps its fallback', () => {
    write('assignee/handoff.hbs', 'Subject: x\n\ny\n');
    const templates = TemplateLibrary.load(dir, { publicUrl: PUBLIC_URL });

    expect(templates.has('reporter/receipt')).toBe(false);
    expect(templates.render('reporter/receipt', noticeFor('reporter/receipt').model)).toBeUndefined();
    expect(templates.missing()).toContain('reporter/receipt');
  });

  it('reports templates no notice uses', () => {
    write('reporter/reciept.hbs', 'Subject: x\n\ny\n');
    expect(TemplateLibrary.load(dir, { publicUrl: PUBLIC_URL }).unused()).toEqual(['reporter/reciept']);
  });

  it('shares partials from partials/ between templates', () => {
    write('partials/greeting.hbs', 'Hello {{reporter.name}}\n');
    write('reporter/receipt.hbs', 'Subject: {{> greeting}}!\n\n{{> greeting}},\nyour case is {{id}}.\n');
    const templates = TemplateLibrary.load(dir, { publicUrl: PUBLIC_URL });

    expect(templates.names()).toEqual(['reporter/receipt']);
    expect(templates.render('reporter/receipt', noticeFor('reporter/receipt').model)).toEqual({
      subject: 'Hello Ada Lovelace!',
      body: 'Hello Ada Lovelace,\nyour case is ESC-2026-000042.',
    });
  });

  it.each([
    [
      'an unclosed block',
      'Subject: x\n\nline 3\n{{#if title}}\nline 5\n{{/iff}}\n',
      4, // where the block opens
      /if doesn't match iff/,
    ],
    ['a parse error', 'Subject: x\n\nline 3\nline 4 {{title}\n', 4, /parse error/],
    ['an unknown helper', 'Subject: x\n\nline 3\n{{shout title}}\n', 4, /unknown helper "shout"/],
    ['an unknown helper in the subject', 'Subject: {{upper title}}\n\nbody\n', 1, /unknown helper "upper"/],
    ['an unknown partial', 'Subject: x\n\n\n{{> footer}}\n', 4, /unknown partial "footer"/],
    ['no subject line', 'Hello {{reporter.name}}\n', 1, /first line must be "Subject: <subject>"/],
    ['no blank line after the subject', 'Subject: x\nbody\n', 2, /blank line must follow the subject/],
  ])('stops loading at %s, naming file and line', (_what, text, line, reason) => {
    const file = write('reporter/receipt.hbs', text);
    write('assignee/handoff.hbs', 'Subject: fine\n\nfine\n');

    const error = loadError();
    expect(error.file).toBe(file);
    expect(error.line).toBe(line);
    expect(error.reason).toMatch(reason);
    expect(error.message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${line}: `));
  });

  it('stops loading at a broken partial, naming it', () => {
    const file = write('partials/footer.hbs', 'ok\n{{nope title}}\n');
    write('reporter/receipt.hbs', 'Subject: x\n\n{{> footer}}\n');

    const error = loadError();
    expect(error.file).toBe(file);
    expect(error.line).toBe(2);
  });

  it('stops loading when the folder does not exist', () => {
    rmSync(dir, { recursive: true });
    expect(loadError().message).toContain('no such directory');
  });

  it('throws a TemplateError naming the file when a template fails on a model', () => {
    const file = write('assignee/handoff.hbs', 'Subject: x\n\nline 3\n{{#each}}{{/each}}\n');
    const templates = TemplateLibrary.load(dir, { publicUrl: PUBLIC_URL });

    expect(() => templates.render('assignee/handoff', {})).toThrow(TemplateError);
    expect(() => templates.render('assignee/handoff', {})).toThrow(file);
  });

  it('formats with its helpers: time in a zone, duration, eq, join', () => {
    write(
      'assignee/handoff.hbs',
      [
        'Subject: {{time sla.ackDueAt}}',
        '',
        '{{time sla.ackDueAt "Asia/Tokyo"}} | {{time missing}} | {{time "not a time"}}',
        '{{duration 5400000}} | {{duration "x"}}',
        '{{#if (eq priority "high")}}high{{else}}other{{/if}} {{#if (eq priority "low")}}low{{/if}}',
        '{{join attemptedSteps "; "}} | {{join attemptedSteps}}',
      ].join('\n'),
    );
    const templates = TemplateLibrary.load(dir, { publicUrl: PUBLIC_URL });

    expect(templates.render('assignee/handoff', noticeFor('assignee/handoff').model)).toEqual({
      subject: 'Mon 2 Mar 2026, 10:00 UTC',
      body: [
        'Mon 2 Mar 2026, 19:00 GMT+9 |  | not a time',
        '1h30m |',
        'high',
        'Restarted the payment pod; Checked the status page | Restarted the payment pod, Checked the status page',
      ].join('\n'),
    });
  });

  it('formats instants with the zone’s abbreviation where there is one', () => {
    expect(formatInstant('2026-11-23T18:30:00.000Z', 'Europe/Berlin')).toBe('Mon 23 Nov 2026, 19:30 CET');
    expect(formatInstant('2026-07-03T08:05:00.000Z', 'Europe/Berlin')).toBe('Fri 3 Jul 2026, 10:05 CEST');
    expect(formatInstant('2026-07-03T08:05:00.000Z', 'Europe/London')).toBe('Fri 3 Jul 2026, 09:05 BST');
    expect(formatInstant('2026-07-03T08:05:00.000Z', 'America/New_York')).toBe('Fri 3 Jul 2026, 04:05 EDT');
    expect(formatInstant('2026-07-03T08:05:00.000Z')).toBe('Fri 3 Jul 2026, 08:05 UTC');
  });
});
