// Test helper: judges alerts against a simulation's labels.json. An alert belongs to an intrusion when
// one of its source events is a labelled row of that intrusion (a stage or an extra such as the mail
// bomb or the history deletion); an intrusion's stage counts as detected when an alert whose stages
// include it has a source event labelled with that stage. An alert none of whose source events
// belongs to an intrusion is a false positive: from a benign look-alike (named) or from the background.
import type { Alert, SourceEvent } from '../../src/detect/model.js';
import type { Labels } from '../../src/simulate/labels.js';

export interface Owner {
  readonly id: string;
  /** "1".."9", an extra ("mailbomb", "historyDeletion"), or the benign kind. */
  readonly part: string;
  readonly benign: boolean;
}

export class LabelIndex {
  private readonly owners = new Map<string, Owner[]>();

  constructor(readonly labels: Labels) {
    const add = (table: string, id: string | number, o: Owner) => {
      const k = `${table}|${String(id)}`;
      const l = this.owners.get(k);
      if (l) l.push(o);
      else this.owners.set(k, [o]);
    };
    for (const i of labels.intrusions) {
      for (const [part, s] of [...Object.entries(i.stages), ...Object.entries(i.extras)]) {
        for (const [table, ids] of Object.entries(s.reportIds)) for (const id of ids) add(table, id, { id: i.id, part, benign: false });
      }
    }
    for (const b of labels.benign) {
      for (const [table, ids] of Object.entries(b.reportIds)) for (const id of ids) add(table, id, { id: b.id, part: b.kind, benign: true });
    }
  }

  ownersOf(e: SourceEvent): Owner[] {
    return this.owners.get(`${e.table}|${e.reportId}`) ?? [];
  }

  /** The intrusions an alert's source events belong to. */
  intrusionsOf(a: Alert): Set<string> {
    return new Set(a.sourceEvents.flatMap(e => this.ownersOf(e)).filter(o => !o.benign).map(o => o.id));
  }

  /** The benign look-alike kinds an alert's source events belong to. */
  benignKindsOf(a: Alert): Set<string> {
    return new Set(a.sourceEvents.flatMap(e => this.ownersOf(e)).filter(o => o.benign).map(o => o.part));
  }

  /** Per intrusion: the present stages and which of them alerts detect (by alert stage and labelled source event). */
  coverage(alerts: readonly Alert[]): Map<string, { present: number[]; detected: number[]; rules: Map<number, Set<string>> }> {
    const out = new Map<string, { present: number[]; detected: number[]; rules: Map<number, Set<string>> }>();
    for (const i of this.labels.intrusions) {
      const present = Object.entries(i.stages).filter(([, s]) => s.present).map(([n]) => Number(n)).sort((a, b) => a - b);
      out.set(i.id, { present, detected: [], rules: new Map() });
    }
    for (const a of alerts) {
      for (const e of a.sourceEvents) {
        for (const o of this.ownersOf(e)) {
          if (o.benign) continue;
          const stage = Number(o.part);
          if (!Number.isInteger(stage) || !a.stages.includes(stage)) continue;
          const c = out.get(o.id)!;
          if (!c.detected.includes(stage)) c.detected.push(stage);
          let set = c.rules.get(stage);
          if (!set) c.rules.set(stage, (set = new Set()));
          set.add(a.ruleId);
        }
      }
    }
    for (const c of out.values()) c.detected.sort((a, b) => a - b);
    return out;
  }
}

const RANK = { informational: 0, low: 1, medium: 2, high: 3 } as const;

/** Alerts at `min` severity or above none of whose source events belongs to an intrusion. */
export function falsePositives(index: LabelIndex, alerts: readonly Alert[], min: keyof typeof RANK = 'medium'): Alert[] {
  return alerts.filter(a => RANK[a.severity] >= RANK[min] && index.intrusionsOf(a).size === 0);
}
