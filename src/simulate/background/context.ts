// What background generators share: the organisation, the slice's random numbers, the period's
// bounds, the quiet windows the scenarios ask for, and where events go.
import type { Org } from '../org.js';
import type { Rng } from '../prng.js';
import type { Ev } from '../writer.js';

/**
 * Windows in which the background holds back activity that would blur a scenario's ground truth:
 * Teams messages to a user just before a remote-assistance launch (query A pairs any message with
 * the launch), and downloads/installs on a device around a remote session (query J's staging check).
 */
export class Quiet {
  private readonly users = new Map<number, [number, number][]>();
  private readonly devices = new Map<number, [number, number][]>();

  user(index: number, from: number, to: number): void {
    push(this.users, index, from, to);
  }

  device(index: number, from: number, to: number): void {
    push(this.devices, index, from, to);
  }

  userQuiet(index: number, k: number): boolean {
    return inside(this.users.get(index), k);
  }

  deviceQuiet(index: number, k: number): boolean {
    return inside(this.devices.get(index), k);
  }

  /** True when any part of [from, to] is quiet for the device. */
  deviceQuietSpan(index: number, from: number, to: number): boolean {
    const list = this.devices.get(index);
    return !!list && list.some(([a, b]) => a <= to && from <= b);
  }

  userQuietSpan(index: number, from: number, to: number): boolean {
    const list = this.users.get(index);
    return !!list && list.some(([a, b]) => a <= to && from <= b);
  }
}

function push(map: Map<number, [number, number][]>, index: number, from: number, to: number): void {
  let list = map.get(index);
  if (!list) map.set(index, (list = []));
  list.push([from, to]);
}

function inside(list: [number, number][] | undefined, k: number): boolean {
  if (!list) return false;
  for (const [a, b] of list) if (k >= a && k <= b) return true;
  return false;
}

export interface Ctx {
  readonly org: Org;
  readonly rng: Rng;
  /** The simulated period: events fall in (startK, endK). */
  readonly startK: number;
  readonly endK: number;
  readonly quiet: Quiet;
  emit(ev: Ev): void;
}
