// chainhunt simulate: write a deterministic organisation's Defender telemetry, with intrusions and
// benign look-alikes, as streaming API files plus labels.json (the ground truth).
import { DEFAULT_END, DEFAULTS, simulate, SimulateOptionError } from '../../simulate/index.js';
import { UsageError } from '../errors.js';

export interface SimulateCommandOptions {
  readonly out: string;
  readonly seed?: string;
  readonly devices?: string;
  readonly users?: string;
  readonly days?: string;
  readonly intrusions?: string;
  readonly end?: string;
  readonly partRecords?: string;
  readonly quiet?: boolean;
}

function integer(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text.trim())) throw new UsageError(`--${name} must be a non-negative integer, not ${JSON.stringify(text)}`);
  return Number(text);
}

function number(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text.trim()) || !(n > 0)) throw new UsageError(`--${name} must be a positive number, not ${JSON.stringify(text)}`);
  return n;
}

export async function runSimulateCommand(options: SimulateCommandOptions): Promise<number> {
  const started = performance.now();
  const tty = process.stderr.isTTY && !options.quiet;
  let lastLine = 0;
  try {
    const result = await simulate({
      out: options.out,
      seed: integer('seed', options.seed),
      devices: integer('devices', options.devices),
      users: integer('users', options.users),
      days: number('days', options.days),
      intrusions: integer('intrusions', options.intrusions),
      end: options.end,
      partRecords: integer('part-records', options.partRecords),
      onProgress: ({ events }) => {
        if (options.quiet) return;
        if (tty) process.stderr.write(`\rsimulating: ${events.toLocaleString('en-US')} events`);
        else if (events - lastLine >= 1_000_000) {
          lastLine = events;
          process.stderr.write(`simulating: ${events} events\n`);
        }
      },
    });
    const seconds = (performance.now() - started) / 1000;
    if (tty) process.stderr.write('\n');
    const l = result.labels;
    process.stdout.write(
      `Wrote ${result.events.toLocaleString('en-US')} events to ${options.out} in ${seconds.toFixed(1)} s (${Math.round(result.events / seconds).toLocaleString('en-US')} events/s).\n` +
        Object.entries(result.counts).map(([t, n]) => `  ${t.padEnd(24)} ${n.toLocaleString('en-US').padStart(12)}\n`).join('') +
        `Period ${l.start} .. ${l.end}; ${l.intrusions.length} intrusion${l.intrusions.length === 1 ? '' : 's'}, ${l.benign.length} benign look-alikes; ground truth in ${options.out}/labels.json.\n` +
        l.intrusions.map(i => `  ${i.id}: ${i.variant.kind}, ${i.variant.contact}, ${i.variant.tool}${i.variant.sideload ? `, ${i.variant.sideload.host}+${i.variant.sideload.dll}` : ''} on ${i.victim.device.name} (${i.victim.user.upn}), stages ${Object.entries(i.stages).filter(([, s]) => s.present).map(([n]) => n).join(',')}\n`).join('') +
        `Query it as of the period's end, e.g.: chainhunt hunt --now ${l.end.replace(/\.0+Z$/, 'Z')}\n`,
    );
    return 0;
  } catch (e) {
    if (e instanceof SimulateOptionError) throw new UsageError(e.message);
    throw e;
  }
}

export const SIMULATE_DEFAULTS = { ...DEFAULTS, end: DEFAULT_END };
