// The default responder: takes no action, records what it would have done.
import { targetEntity } from '../engine.js';
import type { Responder, ResolvedAction, ResponderResult } from './types.js';

export function describeTarget(a: ResolvedAction): string {
  if (a.target.kind === 'device') return `device ${a.target.device.name}${a.target.device.id ? ` (machine id ${a.target.device.id})` : ''}`;
  const u = a.target.user;
  const who = u.upn ?? (u.name ? (u.domain ? `${u.domain}\\${u.name}` : u.name) : targetEntity(a.target).value);
  const ids = [u.objectId && `object id ${u.objectId}`, u.sid && `SID ${u.sid}`].filter(Boolean).join(', ');
  return `user ${who}${ids ? ` (${ids})` : ''}`;
}

const VERB = { disableUser: 'disable the account of', revokeSessions: 'revoke the sign-in sessions of', isolateDevice: 'isolate' } as const;

export class DryRunResponder implements Responder {
  readonly name = 'dry-run';
  supports(): boolean {
    return true;
  }
  async execute(a: ResolvedAction): Promise<ResponderResult> {
    return { status: 'dryRun', detail: `would ${VERB[a.type]} ${describeTarget(a)}` };
  }
}
