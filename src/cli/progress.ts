// Progress of long work: a bar redrawn in place on a terminal, plain log lines otherwise.
export interface ProgressState {
  readonly done: number;
  readonly total: number;
  readonly label: string;
  readonly detail: string;
}

export class Progress {
  private lastDraw = 0;
  private drawn = false;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr, private readonly interactive = !!stream.isTTY) {}

  /** Redraws the bar (at most ten times a second). Does nothing when not on a terminal. */
  update(s: ProgressState): void {
    if (!this.interactive) return;
    const now = Date.now();
    if (now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const width = 24;
    const filled = s.total > 0 ? Math.round((width * s.done) / s.total) : 0;
    const bar = '#'.repeat(filled) + '-'.repeat(width - filled);
    const line = `[${bar}] ${s.label} ${s.detail}`;
    const cols = this.stream.columns || 100;
    this.stream.write(`\r${line.length > cols - 1 ? line.slice(0, cols - 2) + '…' : line}\x1b[K`);
    this.drawn = true;
  }

  /** A line of log: on a terminal it replaces the bar, which is redrawn on the next update. */
  log(line: string): void {
    if (this.drawn) this.stream.write('\r\x1b[K');
    this.drawn = false;
    this.stream.write(line + '\n');
  }

  done(): void {
    if (this.drawn) this.stream.write('\r\x1b[K');
    this.drawn = false;
  }
}
