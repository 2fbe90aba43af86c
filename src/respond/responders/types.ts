// What a responder is given and what it says back.
import type { ActionTarget, PlannedAction } from '../engine.js';
import type { ActionType } from '../policies.js';

/** A planned action whose target has been completed from the store (object id, UPN, SID, machine id). */
export interface ResolvedAction extends PlannedAction {
  readonly target: ActionTarget;
}

export interface ResponderResult {
  readonly status: 'succeeded' | 'failed' | 'dryRun';
  /** What was done (or would be), or why it failed. Never holds a secret. */
  readonly detail: string;
}

export interface Responder {
  /** As recorded on the action: dry-run, webhook, graph, mde. */
  readonly name: string;
  /** Whether it carries out this kind of action. */
  supports(type: ActionType): boolean;
  /** Carries out the action. Failures are results, not exceptions. */
  execute(action: ResolvedAction): Promise<ResponderResult>;
}
