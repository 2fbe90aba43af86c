// The simulation, split in two partitions that can run side by side (see worker.ts). Everything is
// planned deterministically from the options (organisation, intrusions, benign look-alikes, quiet
// windows), so a worker thread plans the same world again from the same options. Partition w owns
// the devices whose index ≡ w (mod PARTITIONS) and writes its own files and ReportIds (w+1,
// w+1+PARTITIONS, ...); partition 0 also writes the scenarios' events and the day's alerts, and fills
// the labels. The output is the same whether the partitions run in parallel or one after the other.
import { Background } from './background/index.js';
import { Quiet } from './background/context.js';
import { buildBenign, type BuiltBenign } from './benign.js';
import { HOUR } from './format.js';
import { type BuiltIntrusion, buildIntrusion, planIntrusions, quietFor } from './intrusion.js';
import { buildOrg, type Org } from './org.js';
import { hash32 } from './prng.js';
import { type Ev, Writer } from './writer.js';

/** How many partitions the output is made of. Fixed: it is part of what the seed determines. */
export const PARTITIONS = 2;

export const DEFAULT_END = '2026-03-10T12:00:00Z';
export const DEFAULTS = { seed: 1, devices: 200, days: 14, intrusions: 4, partRecords: 500_000 } as const;

export class SimulateOptionError extends Error {}

/** The options a run is made from (plain data: they cross to the worker thread). */
export interface RunOptions {
  readonly out: string;
  readonly seed: number;
  readonly devices: number;
  readonly users: number;
  readonly days: number;
  readonly intrusions: number;
  readonly endMs: number;
  readonly partRecords: number;
}

export interface World {
  readonly options: RunOptions;
  readonly seed32: number;
  readonly org: Org;
  readonly startK: number;
  readonly endK: number;
  readonly quiet: Quiet;
  readonly intrusions: BuiltIntrusion[];
  readonly benign: BuiltBenign[];
}

export function resolveOptions(o: {
  out: string;
  seed?: number;
  devices?: number;
  users?: number;
  days?: number;
  intrusions?: number;
  end?: string;
  partRecords?: number;
}): RunOptions {
  const seed = o.seed ?? DEFAULTS.seed;
  const devices = o.devices ?? DEFAULTS.devices;
  const days = o.days ?? DEFAULTS.days;
  const intrusions = o.intrusions ?? DEFAULTS.intrusions;
  const users = o.users ?? Math.max(4, Math.round(devices * 0.92));
  const partRecords = o.partRecords ?? DEFAULTS.partRecords;
  const endText = o.end ?? DEFAULT_END;
  const endMs = Date.parse(endText);
  if (!Number.isSafeInteger(seed) || seed < 0) throw new SimulateOptionError(`--seed must be a non-negative integer, not ${seed}`);
  if (!Number.isInteger(devices) || devices < 1 || devices > 1_000_000) throw new SimulateOptionError(`--devices must be a positive integer, not ${devices}`);
  if (!Number.isInteger(users) || users < 1) throw new SimulateOptionError(`--users must be a positive integer, not ${users}`);
  if (!Number.isFinite(days) || days <= 0 || days > 3650) throw new SimulateOptionError(`--days must be a positive number of days, not ${days}`);
  if (!Number.isInteger(intrusions) || intrusions < 0 || intrusions > 1000) throw new SimulateOptionError(`--intrusions must be an integer from 0 to 1000, not ${intrusions}`);
  if (!Number.isFinite(endMs)) throw new SimulateOptionError(`--end must be an ISO-8601 date and time, not ${JSON.stringify(endText)}`);
  if (endMs % 60_000 !== 0) throw new SimulateOptionError('--end must be a whole minute');
  if (!Number.isInteger(partRecords) || partRecords < 1) throw new SimulateOptionError('the part size must be a positive integer');
  return { out: o.out, seed, devices, users, days, intrusions, endMs, partRecords };
}

/** Plans the world: the same options give the same world, in any thread. */
export function planWorld(options: RunOptions): World {
  // Seeds beyond 32 bits are folded in (the generators take 32-bit seeds).
  const seed32 = options.seed <= 0xffffffff ? options.seed : hash32(String(options.seed));
  const startMs = options.endMs - Math.round(options.days * 86_400_000);
  const originMs = startMs - (((startMs % 86_400_000) + 86_400_000) % 86_400_000);
  const startK = (startMs - originMs) * 10_000;
  const endK = (options.endMs - originMs) * 10_000;
  const org = buildOrg({ seed: seed32, devices: options.devices, users: options.users, originMs });
  const quiet = new Quiet();
  const plans = planIntrusions(org, { seed: seed32, intrusions: options.intrusions, startK, endK });
  for (const p of plans) quietFor(p, quiet);
  const intrusions = plans.map(p => buildIntrusion(org, p, startK, endK));
  const benign = buildBenign(org, { seed: seed32, startK, endK }, plans, quiet);
  return { options, seed32, org, startK, endK, quiet, intrusions, benign };
}

/** The file a partition writes a part to before the parts are numbered (see numberParts). */
export function partitionFile(table: string, partition: number, part: number): string {
  return `.${table}-p${partition}-${String(part).padStart(6, '0')}.json.partial`;
}

/** Runs one partition: its devices' background, hour by hour, and (partition 0) the scenarios. */
export async function runPartition(world: World, partition: number, onHour?: (written: number) => void): Promise<Record<string, number>> {
  const { org, options, startK, endK, seed32 } = world;
  const writer = new Writer({
    outDir: options.out,
    tenantId: org.tenantId,
    clock: org.clock,
    partRecords: options.partRecords,
    idPrefix: table => `${table === 'MessageEvents' ? 'msg' : table === 'CloudAppEvents' ? 'cae' : table === 'EmailEvents' ? 'eml' : 'idl'}-${(hash32(table, seed32) >>> 0).toString(16).padStart(8, '0')}-`,
    idStart: partition + 1,
    idStep: PARTITIONS,
    fileName: (table, part) => partitionFile(table, partition, part),
  });
  const scenario: Ev[] = partition === 0 ? [...world.intrusions.flatMap(b => b.events), ...world.benign.flatMap(b => b.events)].sort((a, b) => a.k - b.k) : [];
  const background = new Background(org, { seed: seed32, startK, endK, partition, partitions: PARTITIONS }, world.quiet);
  const firstHour = Math.floor(startK / HOUR);
  const lastHour = Math.ceil(endK / HOUR) - 1;
  const push = (ev: Ev) => writer.push(ev);
  let si = 0;
  for (let h = firstHour; h <= lastHour; h++) {
    // The scenarios' events of this hour go first, then the background's (which may run past the hour).
    const until = (h + 1) * HOUR;
    while (si < scenario.length && scenario[si]!.k < until) writer.push(scenario[si++]!);
    background.hour(h, push);
    await writer.drain();
    onHour?.(writer.written);
  }
  while (si < scenario.length) writer.push(scenario[si++]!);
  return writer.close();
}
