// Follows the log channel's file (NOTIFICATION_LOG_FILE) and stamps each line with the time the bench read it: the
// channel writes no send time of its own. fs.watch wakes it on a write; a short poll backs the watch up (events can
// be coalesced or missed), so a line is stamped within ~POLL_MS of reaching the file.
import { closeSync, fstatSync, openSync, readSync, watch, type FSWatcher } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

const POLL_MS = 20;
const CHUNK = 1 << 20;

export interface NotificationLine {
  idempotencyKey: string;
  caseId: string;
  audience: string;
  recipient: { name: string; address: string };
  subject: string;
  requestedAt: string;
}

export interface Arrival {
  line: NotificationLine;
  /** Epoch ms when the bench read the line. */
  arrivedAt: number;
}

export class NotificationTail {
  private readonly fd: number;
  private offset = 0;
  private partial = '';
  private skipToNewline = false;
  // A read may end inside a multi-byte character: the decoder keeps its first bytes for the next read.
  private readonly decoder = new StringDecoder('utf8');
  private readonly buffer = Buffer.allocUnsafe(CHUNK);
  private readonly watcher: FSWatcher;
  private readonly timer: NodeJS.Timeout;
  private readonly keys = new Map<string, number>();
  private readonly listeners: ((arrival: Arrival) => void)[] = [];
  /** Lines that were not a notification (should be none). */
  unreadable = 0;
  total = 0;

  /**
   * `fromEnd`: only lines written from now on (a cluster's log already holds earlier runs' notifications, which must
   * not count in this run's totals and duplicates).
   */
  constructor(file: string, { fromEnd = false }: { fromEnd?: boolean } = {}) {
    this.fd = openSync(file, 'r');
    if (fromEnd) {
      this.offset = fstatSync(this.fd).size;
      // The end may fall inside a line being written: that line's rest is not a notification of this run.
      const last = Buffer.alloc(1);
      this.skipToNewline = this.offset > 0 && readSync(this.fd, last, 0, 1, this.offset - 1) === 1 && last[0] !== 10;
    }
    this.watcher = watch(file, () => this.readNew());
    this.timer = setInterval(() => this.readNew(), POLL_MS);
  }

  /** Calls `listener` for every notification from now on (earlier ones are not replayed); returns the unsubscribe. */
  onArrival(listener: (arrival: Arrival) => void): () => void {
    this.listeners.push(listener);
    return () => {
      const at = this.listeners.indexOf(listener);
      if (at >= 0) this.listeners.splice(at, 1);
    };
  }

  /** Idempotency keys seen more than once: the same notification delivered twice. */
  duplicates(): number {
    let count = 0;
    for (const seen of this.keys.values()) if (seen > 1) count += seen - 1;
    return count;
  }

  close(): void {
    this.readNew();
    clearInterval(this.timer);
    this.watcher.close();
    closeSync(this.fd);
  }

  private readNew(): void {
    for (;;) {
      const read = readSync(this.fd, this.buffer, 0, CHUNK, this.offset);
      if (read === 0) return;
      this.offset += read;
      const arrivedAt = Date.now();
      const text = this.partial + this.decoder.write(this.buffer.subarray(0, read));
      const lines = text.split('\n');
      // A write may end mid-line: keep the rest for the next read.
      this.partial = lines.pop() ?? '';
      if (this.skipToNewline && lines.length > 0) {
        lines.shift();
        this.skipToNewline = false;
      }
      for (const raw of lines) if (raw.trim() !== '') this.accept(raw, arrivedAt);
    }
  }

  private accept(raw: string, arrivedAt: number): void {
    let line: NotificationLine;
    try {
      line = JSON.parse(raw) as NotificationLine;
    } catch {
      this.unreadable++;
      return;
    }
    this.total++;
    this.keys.set(line.idempotencyKey, (this.keys.get(line.idempotencyKey) ?? 0) + 1);
    for (const listener of this.listeners) listener({ line, arrivedAt });
  }
}
