// Responders by name, and the chain that routes each action to the first one that can carry it out.
import type { ActionType } from '../policies.js';
import { loadResponderConfig, type ResponderConfig, ResponderConfigError } from './config.js';
import { DryRunResponder } from './dry-run.js';
import { GraphResponder } from './graph.js';
import { MdeResponder } from './mde.js';
import { WebhookResponder } from './webhook.js';
import type { Responder } from './types.js';

export const RESPONDER_NAMES = ['dry-run', 'webhook', 'graph', 'mde'] as const;
export type ResponderName = (typeof RESPONDER_NAMES)[number];

export function createResponder(name: string, config: ResponderConfig): Responder {
  switch (name) {
    case 'dry-run': return new DryRunResponder();
    case 'webhook': return new WebhookResponder(config);
    case 'graph': return new GraphResponder(config);
    case 'mde': return new MdeResponder(config);
    default: throw new ResponderConfigError(`unknown responder '${name}' (known: ${RESPONDER_NAMES.join(', ')}; several: graph,mde)`);
  }
}

/**
 * Responders from a comma-separated list ("graph,mde"): each action goes to the first that supports
 * it. The config file (if any) must be 0600; secrets otherwise come from the environment.
 */
export function createResponders(spec = 'dry-run', configFile?: string, env: NodeJS.ProcessEnv = process.env): Responder[] {
  const names = spec.split(',').map(s => s.trim()).filter(Boolean);
  if (names.length === 0) throw new ResponderConfigError('no responder named');
  const config = loadResponderConfig(configFile, env);
  return names.map(n => createResponder(n, config));
}

export function responderFor(responders: readonly Responder[], type: ActionType): Responder | undefined {
  return responders.find(r => r.supports(type));
}

export type { Responder, ResolvedAction, ResponderResult } from './types.js';
export { DryRunResponder, GraphResponder, MdeResponder, WebhookResponder };
export { loadResponderConfig, ResponderConfigError };
