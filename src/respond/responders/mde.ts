// Microsoft Defender for Endpoint API for device containment:
//   isolateDevice: POST {base}/api/machines/{machineId}/isolate
//                  {"Comment": "...", "IsolationType": "Full" | "Selective"}   → 201 machineAction
// (base: https://api.security.microsoft.com by default; regional hosts such as
// eu.api.security.microsoft.com work too). The machine id is the device's DeviceId. Needs the
// Machine.Isolate application permission.
import type { ActionType } from '../policies.js';
import type { ResponderConfig } from './config.js';
import { failure, joinUrl, send } from './http.js';
import { TokenSource } from './oauth.js';
import type { Responder, ResolvedAction, ResponderResult } from './types.js';

export function isolationComment(a: ResolvedAction): string {
  return `chainhunt attack disruption: policy ${a.policy.id} (${a.policy.name}) on incident ${a.incidentId}, triggered by evidence at ${a.timestamp}`;
}

export class MdeResponder implements Responder {
  readonly name = 'mde';
  private readonly tokens: TokenSource;

  constructor(private readonly config: ResponderConfig) {
    this.tokens = new TokenSource(config.mde, 'Defender for Endpoint', config.timeoutMs);
  }

  supports(type: ActionType): boolean {
    return type === 'isolateDevice';
  }

  async execute(a: ResolvedAction): Promise<ResponderResult> {
    if (a.target.kind !== 'device') return { status: 'failed', detail: `mde: ${a.type} needs a device` };
    const machineId = a.target.device.id;
    if (!machineId) return { status: 'failed', detail: `mde: no Defender machine id (DeviceId) known for ${a.target.device.name}` };
    const token = await this.tokens.get();
    if ('error' in token) return { status: 'failed', detail: `mde: ${token.error}` };
    const url = joinUrl(this.config.mde.baseUrl, `api/machines/${encodeURIComponent(machineId)}/isolate`);
    const res = await send({
      method: 'POST',
      url,
      headers: { Authorization: `Bearer ${token.token}`, 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ Comment: isolationComment(a), IsolationType: this.config.mde.isolationType }),
      timeoutMs: this.config.timeoutMs,
    });
    if (!res.ok) return { status: 'failed', detail: failure(`mde POST ${url}`, res) };
    let actionRef = '';
    try {
      const body = JSON.parse(res.text) as { id?: unknown; status?: unknown };
      if (typeof body.id === 'string') actionRef = `, machine action ${body.id}${typeof body.status === 'string' ? ` (${body.status})` : ''}`;
    } catch {
      // no machine action in the answer
    }
    return { status: 'succeeded', detail: `mde POST ${url}: HTTP ${res.status}${actionRef}` };
  }
}
