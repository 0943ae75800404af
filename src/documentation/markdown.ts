// The audit export of a case as Markdown: the case outline (./outline.ts) rendered as headings, tables, lists and
// fenced text. Plain text a reviewer can archive.
import type { CaseDocument } from './case-record';
import { caseOutline, type Block, type Cell } from './outline';

/** A Markdown table cell: pipes and backslashes escaped, line breaks as `<br>`, never empty-looking by accident. */
export function cell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  return String(value)
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/\r\n|\r|\n/g, '<br>');
}

/** Text on one line of prose (a heading or a list item): line breaks become spaces. */
function inline(value: string): string {
  return value.replace(/\s*(?:\r\n|\r|\n)\s*/g, ' ');
}

/** A fenced block that no backtick run inside the text can close early. */
function fenced(text: string, info = 'text'): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${info}\n${text}\n${fence}`;
}

function row(values: Cell[]): string {
  return `| ${values.map(cell).join(' | ')} |`;
}

function markdownTable(headers: string[], rows: Cell[][]): string {
  return [row(headers), `|${headers.map(() => '---').join('|')}|`, ...rows.map(row)].join('\n');
}

function markdownBlock(block: Block): string {
  switch (block.kind) {
    case 'text':
      return inline(block.text);
    case 'list':
      return block.items.map((item, i) => `${block.ordered ? `${i + 1}.` : '-'} ${inline(item)}`).join('\n');
    case 'table':
      return markdownTable(block.headers, block.rows);
    case 'verbatim':
      return fenced(block.text);
    case 'subheading':
      return `### ${inline(block.text)}`;
  }
}

export function caseMarkdown(doc: CaseDocument): string {
  const outline = caseOutline(doc);
  return [
    `# ${inline(outline.title)}`,
    '',
    markdownTable(['Field', 'Value'], outline.facts),
    ...outline.sections.flatMap(({ title, blocks }) => ['', `## ${title}`, '', blocks.map(markdownBlock).join('\n\n')]),
    '',
  ].join('\n');
}
