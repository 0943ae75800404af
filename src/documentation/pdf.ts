// The audit export of a case as PDF: the same layout as the Markdown export (caseOutline), drawn with pdfkit's
// built-in Helvetica and Courier (no font files): title, facts, section headings, tables as one line per row, text
// kept verbatim in Courier, and "Case <id> · page n of m" in every page's footer.
import PDFDocument from 'pdfkit';
import type { CaseDocument } from './case-record';
import { caseOutline, type Block, type Cell, type CaseOutline } from './outline';

export interface PdfOptions {
  /** Deflate the page streams (default true); off, the text can be read straight from the file. */
  compress?: boolean;
  /** The document's creation date (metadata); now by default. */
  createdAt?: Date;
}

// The standard fonts only have WinAnsi glyphs: Latin-1 plus these.
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
const REPLACEMENTS: Record<string, string> = { '→': '->', '←': '<-', '≤': '<=', '≥': '>=', '✓': 'v', '\u2009': ' ' };

function encodable(char: string): boolean {
  const code = char.codePointAt(0) ?? 0;
  return (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.has(char);
}

/** Text the standard fonts can draw: accents dropped where needed, anything else as `?`; tabs as spaces. */
export function pdfText(value: string): string {
  let out = '';
  for (const char of value.replace(/\r\n?/g, '\n').replace(/\t/g, '    ')) {
    if (char === '\n' || encodable(char)) out += char;
    else if (REPLACEMENTS[char] !== undefined) out += REPLACEMENTS[char];
    else {
      const bare = char.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
      out += bare !== '' && [...bare].every(encodable) ? bare : '?';
    }
  }
  return out;
}

const MARGIN = 50;
const FOOTER_SPACE = 30;
const BODY = 9;
const GRAY = '#555555';

type Pdf = PDFKit.PDFDocument;

/** Starts a new page when fewer than `needed` points are left, so a heading is never alone at a page's foot. */
function keepRoom(pdf: Pdf, needed: number): void {
  if (pdf.y + needed > pdf.page.maxY()) pdf.addPage();
}

function cellText(value: Cell): string {
  return value === null || value === undefined ? '' : String(value);
}

function drawBlock(pdf: Pdf, block: Block): void {
  const width = pdf.page.width - pdf.page.margins.left - pdf.page.margins.right;
  const x = pdf.page.margins.left;
  switch (block.kind) {
    case 'text':
      pdf.font('Helvetica').fontSize(BODY).fillColor('black').text(pdfText(block.text), x, pdf.y, { width });
      break;
    case 'list':
      pdf.font('Helvetica').fontSize(BODY).fillColor('black');
      block.items.forEach((item, i) => {
        const mark = block.ordered ? `${i + 1}.` : '•';
        pdf.text(`${mark} ${pdfText(item)}`, x + 8, pdf.y, { width: width - 8, indent: 0 });
      });
      break;
    case 'table':
      // One line per row: the first column in bold, then every other non-empty column as "Header: value".
      if (block.rows.length === 0) {
        pdf.font('Helvetica').fontSize(BODY).fillColor(GRAY).text('(no rows)', x, pdf.y, { width });
        pdf.fillColor('black');
        break;
      }
      for (const row of block.rows) {
        const [first, ...rest] = row.map(cellText);
        const details = rest
          .map((value, i) => (value === '' ? '' : `${block.headers[i + 1] ?? ''}: ${value}`))
          .filter((part) => part !== '')
          .join(' · ');
        keepRoom(pdf, BODY * 2);
        pdf
          .font('Helvetica-Bold')
          .fontSize(BODY)
          .fillColor('black')
          .text(pdfText(first ?? ''), x, pdf.y, { width, continued: details !== '' });
        if (details !== '') pdf.font('Helvetica').text(`  ${pdfText(details)}`);
        pdf.moveDown(0.25);
      }
      break;
    case 'verbatim':
      pdf
        .font('Courier')
        .fontSize(BODY - 1)
        .fillColor('#222222')
        .text(pdfText(block.text), x + 8, pdf.y, { width: width - 8, lineGap: 1 });
      pdf.fillColor('black');
      break;
    case 'subheading':
      keepRoom(pdf, 40);
      pdf
        .font('Helvetica-Bold')
        .fontSize(BODY + 1.5)
        .fillColor('black')
        .text(pdfText(block.text), x, pdf.y, { width });
      break;
  }
}

function drawOutline(pdf: Pdf, outline: CaseOutline): void {
  const x = pdf.page.margins.left;
  const width = pdf.page.width - pdf.page.margins.left - pdf.page.margins.right;
  pdf.font('Helvetica-Bold').fontSize(16).text(pdfText(outline.title), x, pdf.y, { width });
  pdf.moveDown(0.6);
  for (const [label, value] of outline.facts) {
    pdf
      .font('Helvetica-Bold')
      .fontSize(BODY)
      .text(`${pdfText(label)}: `, x, pdf.y, { width, continued: true })
      .font('Helvetica')
      .text(pdfText(value));
  }
  for (const section of outline.sections) {
    pdf.moveDown(1);
    keepRoom(pdf, 60);
    pdf.font('Helvetica-Bold').fontSize(13).fillColor('black').text(pdfText(section.title), x, pdf.y, { width });
    const ruleY = pdf.y + 1;
    pdf
      .moveTo(x, ruleY)
      .lineTo(x + width, ruleY)
      .lineWidth(0.5)
      .strokeColor('#999999')
      .stroke();
    pdf.moveDown(0.4);
    section.blocks.forEach((block, i) => {
      if (i > 0) pdf.moveDown(0.5);
      drawBlock(pdf, block);
    });
  }
}

function drawFooters(pdf: Pdf, caseId: string): void {
  const { start, count } = pdf.bufferedPageRange();
  for (let i = start; i < start + count; i++) {
    pdf.switchToPage(i);
    // Writing below the bottom margin would start a new page: lift the margin while the footer is drawn.
    const bottom = pdf.page.margins.bottom;
    pdf.page.margins.bottom = 0;
    pdf
      .font('Helvetica')
      .fontSize(8)
      .fillColor(GRAY)
      .text(pdfText(`Case ${caseId} · page ${i - start + 1} of ${count}`), MARGIN, pdf.page.height - MARGIN + 10, {
        width: pdf.page.width - 2 * MARGIN,
        align: 'center',
        lineBreak: false,
      });
    pdf.page.margins.bottom = bottom;
  }
}

/** The case documentation as a PDF file. */
export function casePdf(doc: CaseDocument, options: PdfOptions = {}): Promise<Buffer> {
  const outline = caseOutline(doc);
  return new Promise<Buffer>((resolve, reject) => {
    const pdf = new PDFDocument({
      size: 'A4',
      margins: { top: MARGIN, left: MARGIN, right: MARGIN, bottom: MARGIN + FOOTER_SPACE },
      bufferPages: true,
      compress: options.compress ?? true,
      info: {
        Title: pdfText(outline.title),
        Subject: `Escalation case record ${doc.id}`,
        Creator: 'Escalations',
        CreationDate: options.createdAt ?? new Date(),
      },
    });
    const chunks: Buffer[] = [];
    pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
    try {
      drawOutline(pdf, outline);
      drawFooters(pdf, doc.id);
      pdf.end();
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}
