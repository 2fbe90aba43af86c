// Scoring detections, incidents and attack disruption against the simulator's ground truth
// (labels.json). Pure: labels, alerts, incidents and actions in, a report out.
//
// Definitions:
// - A labelled row is (table, ReportId) — AlertId for AlertInfo/AlertEvidence — listed by an
//   intrusion's stage (or extra) or a benign look-alike in labels.json. ReportIds are unique per table
//   in the simulator's output.
// - An alert belongs to an intrusion when one of its source events is a row of that intrusion; to a
//   look-alike likewise. An alert with no labelled source event is background.
// - An intrusion's stage s is detected when some alert that names stage s (alert.stages) has a source
//   event among stage s's labelled rows. (An alert whose evidence includes stage s rows without naming
//   s is counted under `evidenced`, not as a detection of s.)
// - An intrusion lands in the incidents that hold at least one of its alerts. It "lands whole" when
//   that is exactly one incident, that incident holds no other intrusion's alerts, and it holds, for
//   every detected stage, an alert that detects it.
// - A false-positive incident holds no intrusion alert: 'lookalike' when at least one of its alerts
//   is a benign look-alike's, 'background' when none is labelled.
// - Disruption for an intrusion: the actions recorded on the incidents it landed in; its time is the
//   action's timestamp (the event time of the triggering evidence), compared with the intrusion's
//   firstDomainControllerInteraction. Actions on false-positive incidents are false disruptions.
import type { Alert, Incident, ResponseAction, Severity } from '../detect/model.js';
import { SEVERITIES } from '../detect/model.js';
import type { IntrusionLabel, Labels } from '../simulate/labels.js';

export interface IntrusionResult {
  readonly id: string;
  readonly kind: string;
  readonly contact: string;
  readonly victim: { readonly user: string; readonly device: string };
  readonly stagesPresent: number[];
  readonly stagesDetected: number[];
  readonly stagesMissed: number[];
  /** Stages whose rows are evidence of some alert (whatever stages the alert names). */
  readonly stagesEvidenced: number[];
  readonly alerts: { readonly id: string; readonly ruleId: string; readonly title: string; readonly stages: readonly number[]; readonly firstActivity: string }[];
  readonly incidents: string[];
  /** Exactly one incident, of this intrusion alone, holding every detected stage. */
  readonly landsWhole: boolean;
  /** Other intrusions or look-alikes whose alerts share its incidents. */
  readonly sharedWith: string[];
  readonly firstDomainControllerInteraction: string | null;
  readonly disruption: {
    readonly first: string | null;
    readonly policyId: string | null;
    /** firstDomainControllerInteraction minus the first action, in ms: positive = before the DC was reached. */
    readonly leadMs: number | null;
    readonly beforeDc: boolean | null;
    readonly userContained: boolean;
    readonly deviceContained: boolean;
    readonly actions: number;
  };
}

export interface IncidentResult {
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  readonly alerts: number;
  readonly intrusions: string[];
  readonly lookalikes: string[];
  /** 'intrusion' | 'merged' (several intrusions) | 'lookalike' | 'background'. */
  readonly class: 'intrusion' | 'merged' | 'lookalike' | 'background';
  readonly disrupted: boolean;
}

export interface EvalReport {
  readonly seed: number | null;
  readonly intrusions: IntrusionResult[];
  readonly incidents: IncidentResult[];
  readonly overall: {
    readonly alerts: { readonly total: number; readonly intrusion: number; readonly lookalike: number; readonly background: number };
    readonly recallByStage: Record<string, { readonly present: number; readonly detected: number; readonly recall: number | null }>;
    readonly recall: { readonly present: number; readonly detected: number; readonly recall: number | null };
    readonly incidentsPerIntrusion: { readonly mean: number | null; readonly distribution: Record<string, number> };
    readonly incidents: { readonly total: number; readonly intrusion: number; readonly merged: number; readonly lookalike: number; readonly background: number };
    readonly falsePositiveIncidents: { readonly total: number; readonly mediumOrAbove: number; readonly lookalikeMediumOrAbove: number; readonly bySeverity: Record<string, number> };
    readonly alertsPerIncident: { readonly mean: number | null; readonly median: number | null; readonly max: number };
    readonly disruption: {
      readonly reachingDc: number;
      readonly disruptedBeforeDc: number;
      readonly disruptedAfterDc: number;
      readonly notDisrupted: number;
      readonly leadMs: { readonly min: number | null; readonly median: number | null };
      /** Actions recorded on false-positive incidents (innocent users or devices contained). */
      readonly falseActions: number;
      readonly falseIncidents: number;
    };
    readonly goals: {
      readonly oneIncidentPerIntrusion: boolean;
      readonly fullRecall: boolean;
      readonly noMediumFalsePositive: boolean;
      readonly disruptionBeforeDc: boolean;
    };
  };
}

type Owner = { readonly owner: string; readonly part?: string };

const key = (table: string, id: string | number) => `${table}|${String(id)}`;
const sevRank = (s: string) => SEVERITIES.indexOf(s as Severity);
const median = (xs: number[]) => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

export function evaluate(labels: Labels, alerts: readonly Alert[], incidents: readonly Incident[], actions: readonly ResponseAction[]): EvalReport {
  // Labelled rows → owners.
  const owners = new Map<string, Owner[]>();
  const own = (o: Owner, ids: Record<string, (string | number)[]>) => {
    for (const [table, list] of Object.entries(ids)) {
      for (const id of list) {
        const k = key(table, id);
        const l = owners.get(k);
        if (l) l.push(o);
        else owners.set(k, [o]);
      }
    }
  };
  const intrusionById = new Map<string, IntrusionLabel>();
  for (const i of labels.intrusions) {
    intrusionById.set(i.id, i);
    for (const [s, st] of Object.entries(i.stages)) own({ owner: i.id, part: s }, st.reportIds);
    for (const [x, st] of Object.entries(i.extras)) own({ owner: i.id, part: x }, st.reportIds);
  }
  const benignIds = new Set(labels.benign.map(b => b.id));
  for (const b of labels.benign) own({ owner: b.id }, b.reportIds);

  // Alerts → intrusion stages evidenced, look-alikes.
  interface AlertClass { readonly parts: Map<string, Set<string>>; readonly benign: Set<string> }
  const alertClass = new Map<string, AlertClass>();
  for (const a of alerts) {
    const parts = new Map<string, Set<string>>();
    const benign = new Set<string>();
    for (const e of a.sourceEvents) {
      for (const o of owners.get(key(e.table, e.reportId)) ?? []) {
        if (benignIds.has(o.owner)) benign.add(o.owner);
        else {
          const set = parts.get(o.owner) ?? new Set<string>();
          if (o.part) set.add(o.part);
          parts.set(o.owner, set);
        }
      }
    }
    alertClass.set(a.id, { parts, benign });
  }
  const alertById = new Map(alerts.map(a => [a.id, a]));
  const detects = (a: Alert, intrusion: string, stage: number) => !!alertClass.get(a.id)?.parts.get(intrusion)?.has(String(stage)) && a.stages.includes(stage);

  // Incidents.
  const actionsByIncident = new Map<string, ResponseAction[]>();
  for (const x of actions) {
    const l = actionsByIncident.get(x.incidentId);
    if (l) l.push(x);
    else actionsByIncident.set(x.incidentId, [x]);
  }
  const incidentResults: IncidentResult[] = incidents.map(inc => {
    const intr = new Set<string>();
    const look = new Set<string>();
    for (const id of inc.alertIds) {
      const c = alertClass.get(id);
      if (!c) continue;
      for (const o of c.parts.keys()) intr.add(o);
      for (const b of c.benign) look.add(b);
    }
    const cls = intr.size > 1 ? 'merged' : intr.size === 1 ? 'intrusion' : look.size ? 'lookalike' : 'background';
    return { id: inc.id, title: inc.title, severity: inc.severity, alerts: inc.alertIds.length, intrusions: [...intr].sort(), lookalikes: [...look].sort(), class: cls, disrupted: (actionsByIncident.get(inc.id)?.length ?? 0) > 0 };
  });
  const incidentsOfAlert = new Map<string, string[]>();
  for (const inc of incidents) {
    for (const id of inc.alertIds) {
      const l = incidentsOfAlert.get(id);
      if (l) l.push(inc.id);
      else incidentsOfAlert.set(id, [inc.id]);
    }
  }
  const incidentById = new Map(incidents.map(i => [i.id, i]));
  const incidentResultById = new Map(incidentResults.map(i => [i.id, i]));

  // Intrusions.
  const intrusionResults: IntrusionResult[] = labels.intrusions.map(i => {
    const present = Object.entries(i.stages).filter(([, s]) => s.present).map(([n]) => Number(n)).sort((a, b) => a - b);
    const mine = alerts.filter(a => alertClass.get(a.id)!.parts.has(i.id));
    const detected = present.filter(s => mine.some(a => detects(a, i.id, s)));
    const evidenced = present.filter(s => mine.some(a => alertClass.get(a.id)!.parts.get(i.id)!.has(String(s))));
    const incs = [...new Set(mine.flatMap(a => incidentsOfAlert.get(a.id) ?? []))].sort();
    const landsWhole = incs.length === 1 && incidentResultById.get(incs[0]!)!.intrusions.length === 1 && detected.every(s => incidentById.get(incs[0]!)!.alertIds.some(id => {
      const a = alertById.get(id);
      return !!a && detects(a, i.id, s);
    }));
    const shared = new Set<string>();
    for (const id of incs) {
      const r = incidentResultById.get(id)!;
      for (const o of [...r.intrusions, ...r.lookalikes]) if (o !== i.id) shared.add(o);
    }
    const acts = incs.flatMap(id => actionsByIncident.get(id) ?? []).sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));
    const first = acts[0] ?? null;
    const dc = i.firstDomainControllerInteraction;
    const leadMs = first && dc ? Date.parse(dc) - Date.parse(first.timestamp) : null;
    const u = i.victim.user;
    const userValues = new Set([u.oid, u.upn, u.sid, u.name].filter(Boolean).map(v => v.toLowerCase()));
    const victimDevice = i.victim.device.name.toLowerCase().split('.')[0]!;
    return {
      id: i.id,
      kind: i.variant.kind,
      contact: i.variant.contact,
      victim: { user: u.upn, device: i.victim.device.name },
      stagesPresent: present,
      stagesDetected: detected,
      stagesMissed: present.filter(s => !detected.includes(s)),
      stagesEvidenced: evidenced,
      alerts: mine.map(a => ({ id: a.id, ruleId: a.ruleId, title: a.title, stages: a.stages, firstActivity: a.firstActivity })),
      incidents: incs,
      landsWhole,
      sharedWith: [...shared].sort(),
      firstDomainControllerInteraction: dc,
      disruption: {
        first: first?.timestamp ?? null,
        policyId: first?.policyId ?? null,
        leadMs,
        beforeDc: dc ? (first ? leadMs! > 0 : false) : null,
        userContained: acts.some(a => a.target.kind !== 'device' && userValues.has(a.target.value.toLowerCase().split('\\').pop()!)),
        deviceContained: acts.some(a => a.target.kind === 'device' && a.target.value.toLowerCase().split('.')[0] === victimDevice),
        actions: acts.length,
      },
    };
  });

  // Overall.
  const recallByStage: Record<string, { present: number; detected: number; recall: number | null }> = {};
  for (let s = 1; s <= 9; s++) {
    const p = intrusionResults.filter(r => r.stagesPresent.includes(s)).length;
    const d = intrusionResults.filter(r => r.stagesDetected.includes(s)).length;
    recallByStage[String(s)] = { present: p, detected: d, recall: p ? d / p : null };
  }
  const totalPresent = intrusionResults.reduce((n, r) => n + r.stagesPresent.length, 0);
  const totalDetected = intrusionResults.reduce((n, r) => n + r.stagesDetected.length, 0);
  const distribution: Record<string, number> = {};
  for (const r of intrusionResults) distribution[String(r.incidents.length)] = (distribution[String(r.incidents.length)] ?? 0) + 1;
  const fp = incidentResults.filter(r => r.class === 'lookalike' || r.class === 'background');
  const bySeverity: Record<string, number> = {};
  for (const r of fp) bySeverity[r.severity] = (bySeverity[r.severity] ?? 0) + 1;
  const mediumUp = (r: IncidentResult) => sevRank(r.severity) >= sevRank('medium');
  const reaching = intrusionResults.filter(r => r.firstDomainControllerInteraction);
  const leads = reaching.map(r => r.disruption.leadMs).filter((x): x is number => x !== null);
  const fpIds = new Set(fp.map(r => r.id));
  const counts = { intrusion: 0, lookalike: 0, background: 0 };
  for (const c of alertClass.values()) counts[c.parts.size ? 'intrusion' : c.benign.size ? 'lookalike' : 'background']++;
  const sizes = incidentResults.map(r => r.alerts);

  const report: EvalReport['overall'] = {
    alerts: { total: alerts.length, ...counts },
    recallByStage,
    recall: { present: totalPresent, detected: totalDetected, recall: totalPresent ? totalDetected / totalPresent : null },
    incidentsPerIntrusion: { mean: mean(intrusionResults.map(r => r.incidents.length)), distribution },
    incidents: {
      total: incidentResults.length,
      intrusion: incidentResults.filter(r => r.class === 'intrusion').length,
      merged: incidentResults.filter(r => r.class === 'merged').length,
      lookalike: incidentResults.filter(r => r.class === 'lookalike').length,
      background: incidentResults.filter(r => r.class === 'background').length,
    },
    falsePositiveIncidents: { total: fp.length, mediumOrAbove: fp.filter(mediumUp).length, lookalikeMediumOrAbove: fp.filter(r => r.class === 'lookalike' && mediumUp(r)).length, bySeverity },
    alertsPerIncident: { mean: mean(sizes), median: median(sizes), max: sizes.length ? Math.max(...sizes) : 0 },
    disruption: {
      reachingDc: reaching.length,
      disruptedBeforeDc: reaching.filter(r => r.disruption.beforeDc).length,
      disruptedAfterDc: reaching.filter(r => r.disruption.first && !r.disruption.beforeDc).length,
      notDisrupted: reaching.filter(r => !r.disruption.first).length,
      leadMs: { min: leads.length ? Math.min(...leads) : null, median: median(leads) },
      falseActions: actions.filter(a => fpIds.has(a.incidentId)).length,
      falseIncidents: fp.filter(r => r.disrupted).length,
    },
    goals: {
      oneIncidentPerIntrusion: intrusionResults.every(r => r.landsWhole),
      fullRecall: totalDetected === totalPresent,
      noMediumFalsePositive: fp.filter(mediumUp).length === 0,
      disruptionBeforeDc: reaching.every(r => r.disruption.beforeDc),
    },
  };
  return { seed: typeof labels.seed === 'number' ? labels.seed : null, intrusions: intrusionResults, incidents: incidentResults, overall: report };
}
