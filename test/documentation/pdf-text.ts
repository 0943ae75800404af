// Reads the text a PDF written by pdfkit shows: inflates its page streams and decodes the hex strings of its text
// operators (`[<48656c6c6f> 20 <...>] TJ`), one line per operator. Enough to check what the export says.
import { inflateSync } from 'node:zlib';

// WinAnsi codes that differ from Latin-1 and appear in the exports.
const WIN_ANSI: Record<number, string> = {
  0x95: '•',
  0x96: '–',
  0x97: '—',
  0x91: '‘',
  0x92: '’',
  0x93: '“',
  0x94: '”',
};

function decodeHex(hex: string): string {
  let out = '';
  for (let i = 0; i + 1 < hex.length; i += 2) {
    const code = parseInt(hex.slice(i, i + 2), 16);
    out += WIN_ANSI[code] ?? String.fromCharCode(code);
  }
  return out;
}

/** The content streams of the file, inflated where they are deflated. */
function streams(pdf: Buffer): string[] {
  const raw = pdf.toString('latin1');
  const found: string[] = [];
  const pattern = /<<([^]*?)>>\s*stream\r?\n/g;
  for (let match = pattern.exec(raw); match; match = pattern.exec(raw)) {
    const start = match.index + match[0].length;
    const end = raw.indexOf('endstream', start);
    if (end < 0) break;
    const body = pdf.subarray(start, end);
    if (/\/Filter\s*\/FlateDecode/.test(match[1] ?? '')) {
      try {
        found.push(inflateSync(body).toString('latin1'));
      } catch {
        // Not a deflated content stream (fonts, images): skip it.
      }
    } else {
      found.push(body.toString('latin1'));
    }
    pattern.lastIndex = end;
  }
  return found;
}

/** Every text operator's string, in drawing order, one per line. */
export function pdfText(pdf: Buffer): string {
  const lines: string[] = [];
  for (const stream of streams(pdf)) {
    for (const op of stream.matchAll(/\[((?:<[0-9a-fA-F]*>|\s|-?[\d.]+)*)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj/g)) {
      const hexes =
        op[1] !== undefined ? [...op[1].matchAll(/<([0-9a-fA-F]*)>/g)].map((m) => m[1] ?? '') : [op[2] ?? ''];
      lines.push(hexes.map(decodeHex).join(''));
    }
  }
  return lines.join('\n');
}
