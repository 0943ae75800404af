// Signed feedback links: a token is good for one case and one round only, and the secret behind it is either
// configured or generated once into DATA_DIR and kept.
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { feedbackUrl, signFeedback, verifyFeedback } from '../../src/api/feedback-links';
import { loadFeedbackSecret } from '../../src/feedback-secret';

const SECRET = 'test-feedback-secret';

describe('signFeedback and verifyFeedback', () => {
  it('signs case and round as base64url HMAC-SHA256 and accepts its own token', () => {
    const token = signFeedback(SECRET, 'ESC-2026-000001', 0);

    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(signFeedback(SECRET, 'ESC-2026-000001', 0)).toBe(token);
    expect(verifyFeedback(SECRET, 'ESC-2026-000001', 0, token)).toBe(true);
  });

  it('rejects a token for another case, another round, another secret, or altered at all', () => {
    const token = signFeedback(SECRET, 'ESC-2026-000001', 1);
    const flipped = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;

    expect(verifyFeedback(SECRET, 'ESC-2026-000002', 1, token)).toBe(false);
    expect(verifyFeedback(SECRET, 'ESC-2026-000001', 0, token)).toBe(false);
    expect(verifyFeedback(SECRET, 'ESC-2026-000001', 2, token)).toBe(false);
    expect(verifyFeedback('another-secret', 'ESC-2026-000001', 1, token)).toBe(false);
    expect(verifyFeedback(SECRET, 'ESC-2026-000001', 1, flipped)).toBe(false);
    expect(verifyFeedback(SECRET, 'ESC-2026-000001', 1, token.slice(0, -1))).toBe(false);
    expect(verifyFeedback(SECRET, 'ESC-2026-000001', 1, `${token}A`)).toBe(false);
    expect(verifyFeedback(SECRET, 'ESC-2026-000001', 1, '')).toBe(false);
  });

  it('rejects a round that is not a whole number of 0 or more', () => {
    expect(verifyFeedback(SECRET, 'ESC-1', -1, signFeedback(SECRET, 'ESC-1', -1))).toBe(false);
    expect(verifyFeedback(SECRET, 'ESC-1', 1.5, signFeedback(SECRET, 'ESC-1', 1.5))).toBe(false);
  });
});

describe('feedbackUrl', () => {
  it('links to the feedback page of the case with its round and token', () => {
    const token = signFeedback(SECRET, 'ESC-2026-000001', 0);

    expect(feedbackUrl('https://esc.example.com', SECRET, 'ESC-2026-000001', 0)).toBe(
      `https://esc.example.com/feedback/ESC-2026-000001?round=0&token=${token}`,
    );
    expect(feedbackUrl('https://esc.example.com/', SECRET, 'ESC-2026-000001', 0)).toBe(
      `https://esc.example.com/feedback/ESC-2026-000001?round=0&token=${token}`,
    );
  });

  it('encodes the case id in the path and signs the id as it is', () => {
    const url = new URL(feedbackUrl('http://localhost:3000', SECRET, 'case:1', 2));

    expect(url.pathname).toBe('/feedback/case%3A1');
    expect(url.searchParams.get('round')).toBe('2');
    expect(verifyFeedback(SECRET, 'case:1', 2, url.searchParams.get('token') ?? '')).toBe(true);
  });
});

describe('loadFeedbackSecret', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'feedback-secret-'));
  });
  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('uses FEEDBACK_SECRET when set, and writes nothing', () => {
    expect(loadFeedbackSecret({ FEEDBACK_SECRET: 'configured', DATA_DIR: dataDir })).toBe('configured');
    expect(() => statSync(path.join(dataDir, 'feedback-secret'))).toThrow(/ENOENT/);
  });

  it('creates a random 32-byte secret once, readable by the owner only, and reuses it', () => {
    const first = loadFeedbackSecret({ FEEDBACK_SECRET: undefined, DATA_DIR: dataDir });
    const file = path.join(dataDir, 'feedback-secret');

    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toBe(first);

    const modified = statSync(file).mtimeMs;
    expect(loadFeedbackSecret({ FEEDBACK_SECRET: undefined, DATA_DIR: dataDir })).toBe(first);
    expect(statSync(file).mtimeMs).toBe(modified);
  });

  it('creates DATA_DIR when it does not exist yet, and leaves no temporary files behind', () => {
    const nested = path.join(dataDir, 'not', 'there');

    const secret = loadFeedbackSecret({ FEEDBACK_SECRET: undefined, DATA_DIR: nested });

    expect(readFileSync(path.join(nested, 'feedback-secret'), 'utf8').trim()).toBe(secret);
    expect(readdirSync(nested)).toEqual(['feedback-secret']);
  });

  it('gives different data directories different secrets', () => {
    const other = mkdtempSync(path.join(os.tmpdir(), 'feedback-secret-'));
    try {
      expect(loadFeedbackSecret({ FEEDBACK_SECRET: undefined, DATA_DIR: dataDir })).not.toBe(
        loadFeedbackSecret({ FEEDBACK_SECRET: undefined, DATA_DIR: other }),
      );
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('refuses an empty secret file instead of signing with an empty key', () => {
    writeFileSync(path.join(dataDir, 'feedback-secret'), '\n', { mode: 0o600 });

    expect(() => loadFeedbackSecret({ FEEDBACK_SECRET: undefined, DATA_DIR: dataDir })).toThrow(
      /feedback-secret is empty; delete it \(a new secret is generated\) or set FEEDBACK_SECRET/,
    );
  });
});
