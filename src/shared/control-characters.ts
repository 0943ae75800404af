// Text the case store cannot keep, or that no person typed: C0 control characters (NUL and friends) and lone UTF-16
// surrogates. PostgreSQL refuses NUL in text and jsonb and refuses unpaired surrogates in jsonb, so one such character
// in a comment would fail every write of the case. Tab, newline and carriage return stay allowed: browsers send
// textarea content with CRLF line ends. Pure, so the API, the matrix linter and activities share one definition.

// Matching control characters is the point here. C0 controls except \t \n \r, then a high surrogate without its
// low half, then a low surrogate without its high half.
const FORBIDDEN =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const FORBIDDEN_ALL = new RegExp(FORBIDDEN.source, 'g');

/** What stands in for a refused character when text must be stored anyway. */
export const REPLACEMENT_CHARACTER = '\uFFFD';

export interface ControlCharacterFinding {
  /** Dotted path of the field (`reporter.name`, `attemptedSteps.2`); empty for the value itself. */
  path: string;
  /** `U+0000 (NUL) at character 2`. */
  message: string;
}

const C0_NAMES = [
  'NUL',
  'SOH',
  'STX',
  'ETX',
  'EOT',
  'ENQ',
  'ACK',
  'BEL',
  'BS',
  'HT',
  'LF',
  'VT',
  'FF',
  'CR',
  'SO',
  'SI',
  'DLE',
  'DC1',
  'DC2',
  'DC3',
  'DC4',
  'NAK',
  'SYN',
  'ETB',
  'CAN',
  'EM',
  'SUB',
  'ESC',
  'FS',
  'GS',
  'RS',
  'US',
];

/** Where the first refused character of `text` is (0-based) and why it is refused; undefined when there is none. */
export function firstControlCharacter(text: string): { index: number; message: string } | undefined {
  const match = FORBIDDEN.exec(text);
  if (match === null) return undefined;
  const code = match[0].charCodeAt(0);
  const name = code < 0x20 ? `control character ${C0_NAMES[code]}` : 'unpaired surrogate';
  const hex = code.toString(16).toUpperCase().padStart(4, '0');
  return {
    index: match.index,
    message: `must not contain U+${hex} (${name}) (at character ${match.index + 1}); only tab and line breaks are allowed among control characters`,
  };
}

/** Why `text` cannot be accepted, or undefined when it can. */
export function controlCharacterIn(text: string): string | undefined {
  return firstControlCharacter(text)?.message;
}

/**
 * The first string (or object key) in `value` that holds a refused character, walking objects and arrays (each once:
 * YAML aliases can make parsed data cyclic).
 */
export function findControlCharacter(
  value: unknown,
  path: string[] = [],
  seen = new WeakSet<object>(),
): ControlCharacterFinding | undefined {
  if (typeof value === 'object' && value !== null) {
    if (seen.has(value)) return undefined;
    seen.add(value);
  }
  if (typeof value === 'string') {
    const message = controlCharacterIn(value);
    return message === undefined ? undefined : { path: path.join('.'), message };
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findControlCharacter(value[i], [...path, String(i)], seen);
      if (found) return found;
    }
    return undefined;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      const inKey = controlCharacterIn(key);
      if (inKey !== undefined) return { path: [...path, key].join('.'), message: `field name ${inKey}` };
      const found = findControlCharacter(item, [...path, key], seen);
      if (found) return found;
    }
  }
  return undefined;
}

/** The text with every refused character replaced by U+FFFD: what a store that refused it will accept. */
export function sanitizeText(text: string): string {
  return text.replace(FORBIDDEN_ALL, REPLACEMENT_CHARACTER);
}

/** `value` with every string (and key) sanitized; other values as they are. */
export function sanitizeDeep<T>(value: T): T {
  if (typeof value === 'string') return sanitizeText(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => sanitizeDeep(item)) as T;
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [sanitizeText(key), sanitizeDeep(item)])) as T;
  }
  return value;
}
