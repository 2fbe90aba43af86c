// A scenario's events under construction: each event goes to a labelled row set (an intrusion stage,
// an extra, or a benign look-alike), and the scenario keeps track of the devices it touched.
import type { Clock } from './format.js';
import { RowSet } from './labels.js';
import type { Ev } from './writer.js';

export class Story {
  readonly events: Ev[] = [];
  readonly touched = new Set<string>();

  constructor(private readonly startK: number, private readonly endK: number) {}

  /** Adds events to a row set; events outside the simulated period are dropped. */
  add(set: RowSet, ...evs: Ev[]): void {
    for (const ev of evs) {
      if (ev.k <= this.startK || ev.k >= this.endK) continue;
      ev.g = set;
      set.note(ev.k);
      this.events.push(ev);
    }
  }
}

export function firstOf(set: RowSet, clock: Clock): string | null {
  return Number.isFinite(set.first) ? clock.fmt(set.first) : null;
}

export { RowSet };
