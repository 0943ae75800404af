// The secret that signs feedback links: FEEDBACK_SECRET when set, else one generated once and kept in DATA_DIR.
import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from './config';

export const FEEDBACK_SECRET_FILE = 'feedback-secret';

/**
 * FEEDBACK_SECRET if set; otherwise the secret in `<DATA_DIR>/feedback-secret`, created on first use (32 random
 * bytes as hex, mode 0600) and reused after, so links sent before a restart keep working. The worker (which signs
 * links) and the API (which checks them) must see the same secret: set FEEDBACK_SECRET when they do not share
 * DATA_DIR.
 */
export function loadFeedbackSecret(config: Pick<Config, 'FEEDBACK_SECRET' | 'DATA_DIR'>): string {
  if (config.FEEDBACK_SECRET !== undefined) return config.FEEDBACK_SECRET;
  const dir = path.resolve(config.DATA_DIR);
  const file = path.join(dir, FEEDBACK_SECRET_FILE);
  mkdirSync(dir, { recursive: true });
  const stored = readSecret(file);
  if (stored !== undefined) return stored;
  const secret = randomBytes(32).toString('hex');
  // Written aside, then linked into place: linking fails if another process got there first, and a reader never
  // sees a half-written file. Where hard links are not supported, an exclusive create is the fallback.
  const pending = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(pending, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(pending, file);
  } catch (error) {
    if (errorCode(error) !== 'EEXIST') createExclusive(file, `${secret}\n`);
  } finally {
    unlinkSync(pending);
  }
  const created = readSecret(file);
  if (created === undefined) throw new Error(`${file} vanished right after it was created; set FEEDBACK_SECRET`);
  return created;
}

function createExclusive(file: string, content: string): void {
  try {
    writeFileSync(file, content, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if (errorCode(error) !== 'EEXIST') throw error;
  }
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

function readSecret(file: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
  const secret = text.trim();
  if (secret === '') throw new Error(`${file} is empty; delete it (a new secret is generated) or set FEEDBACK_SECRET`);
  return secret;
}
