// chainhunt's telemetry simulator: a deterministic organisation, its background activity in the
// Defender tables, the seed's intrusion chain in its variants and benign look-alikes, written as
// Defender XDR streaming API records with labels.json as ground truth. See README.md beside this file.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Background } from './background/index.js';
import { Quiet } from './background/context.js';
import { buildBenign } from './benign.js';
import { HOUR } from './format.js';
import { buildIntrusion, planIntrusions, quietFor } from './intrusion.js';
import type { Labels } from './labels.js';
import { AD_DOMAIN, buildOrg } from './org.js';
import { hash32 } from './prng.js';
import { type Ev, Writer } from './writer.js';

export const DEFAULT_END = '2026-03-10T12:00:00Z';

export interface SimulateOptions {
  readonly out: string;
  readonly seed?: number;
  readonly devices?: number;
  readonly users?: number;
  readonly days?: number;
  readonly intrusions?: number;
  /** The end of the simulated period: the `now` to query with (ISO-8601, a whole minute). */
  readonly end?: string;
  /** Records per file before a new part starts. */
  readonly partRecords?: number;
  /** Called after each simulated hour with the events written so far. */
  readonly onProgress?: (p: { hour: number; hours: number; events: number }) => void;
}

export interface SimulateResult {
  readonly labels: Labels;
  readonly counts: Record<string, number>;
  readonly events: number;
}

export const DEFAULTS = { seed: 1, devices: 200, days: 14, intrusions: 4, partRecords: 500_000 } as const;

export class SimulateOptionError extends Error {}

export async function simulate(options: SimulateOptions): Promise<SimulateResult> {
  const seed = options.seed ?? DEFAULTS.seed;
  const devices = options.devices ?? DEFAULTS.devices;
  const days = options.days ?? DEFAULTS.days;
  const intrusions = options.intrusions ?? DEFAULTS.intrusions;
  const users = options.users ?? Math.max(4, Math.round(devices * 0.92));
  const partRecords = options.partRecords ?? DEFAULTS.partRecords;
  const endText = options.end ?? DEFAULT_END;
  const endMs = Date.parse(endText);
  if (!Number.isSafeInteger(seed) || seed < 0) throw new SimulateOptionError(`--seed must be a non-negative integer, not ${seed}`);
  if (!Number.isInteger(devices) || devices < 1 || devices > 1_000_000) throw new SimulateOptionError(`--devices must be a positive integer, not ${devices}`);
  if (!Number.isInteger(users) || users < 1) throw new SimulateOptionError(`--users must be a positive integer, not ${users}`);
  if (!Number.isFinite(days) || days <= 0 || days > 3650) throw new SimulateOptionError(`--days must be a positive number of days, not ${days}`);
  if (!Number.isInteger(intrusions) || intrusions < 0 || intrusions > 1000) throw new SimulateOptionError(`--intrusions must be an integer from 0 to 1000, not ${intrusions}`);
  if (!Number.isFinite(endMs)) throw new SimulateOptionError(`--end must be an ISO-8601 date and time, not ${JSON.stringify(endText)}`);
  if (endMs % 60_000 !== 0) throw new SimulateOptionError('--end must be a whole minute');
  if (!Number.isInteger(partRecords) || partRecords < 1) throw new SimulateOptionError('the part size must be a positive integer');
  // Seeds beyond 32 bits are folded in (the generators take 32-bit seeds).
  const seed32 = seed <= 0xffffffff ? seed : hash32(String(seed));

  const startMs = endMs - Math.round(days * 86_400_000);
  const originMs = startMs - (((startMs % 86_400_000) + 86_400_000) % 86_400_000);
  const startK = (startMs - originMs) * 10_000;
  const endK = (endMs - originMs) * 10_000;

  const org = buildOrg({ seed: seed32, devices, users, originMs });
  const quiet = new Quiet();
  const plans = planIntrusions(org, { seed: seed32, intrusions, startK, endK });
  for (const p of plans) quietFor(p, quiet);
  const built = plans.map(p => buildIntrusion(org, p, startK, endK));
  const benign = buildBenign(org, { seed: seed32, startK, endK }, plans, quiet);
  const scenario: Ev[] = [...built.flatMap(b => b.events), ...benign.flatMap(b => b.events)].sort((a, b) => a.k - b.k);

  mkdirSync(options.out, { recursive: true });
  Writer.clean(options.out);
  const writer = new Writer({
    outDir: options.out,
    tenantId: org.tenantId,
    clock: org.clock,
    partRecords,
    idPrefix: table => `${table === 'MessageEvents' ? 'msg' : table === 'CloudAppEvents' ? 'cae' : table === 'EmailEvents' ? 'eml' : 'idl'}-${(hash32(table, seed32) >>> 0).toString(16).padStart(8, '0')}-`,
  });
  const background = new Background(org, { seed: seed32, startK, endK }, quiet);
  const firstHour = Math.floor(startK / HOUR);
  const lastHour = Math.ceil(endK / HOUR) - 1;
  let si = 0;
  const push = (ev: Ev) => writer.push(ev);
  for (let h = firstHour; h <= lastHour; h++) {
    // The scenarios' events of this hour go first, then the background's (which may run past the hour).
    const until = (h + 1) * HOUR;
    while (si < scenario.length && scenario[si]!.k < until) writer.push(scenario[si++]!);
    background.hour(h, push);
    await writer.drain();
    options.onProgress?.({ hour: h - firstHour + 1, hours: lastHour - firstHour + 1, events: writer.written });
  }
  while (si < scenario.length) writer.push(scenario[si++]!);
  const counts = await writer.close();

  const labels: Labels = {
    seed,
    options: { devices, users, days, intrusions, end: new Date(endMs).toISOString().replace('.000Z', 'Z') },
    start: org.clock.fmt(startK),
    end: org.clock.fmt(endK),
    tenantId: org.tenantId,
    domain: AD_DOMAIN,
    counts,
    intrusions: built.map(b => b.label()),
    benign: benign.map(b => b.label()),
  };
  writeFileSync(join(options.out, 'labels.json'), JSON.stringify(labels, null, 1) + '\n');
  const events = Object.values(counts).reduce((a, b) => a + b, 0);
  return { labels, counts, events };
}
