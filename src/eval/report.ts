// The evaluation report as text tables.
import type { EvalReport } from './evaluate.js';

/** A signed duration: 4m12s, 1h03m, 850ms. */
export function formatDuration(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  let v = Math.abs(ms);
  if (v < 1000) return `${sign}${Math.round(v)}ms`;
  v = Math.round(v / 1000);
  const h = Math.floor(v / 3600);
  const m = Math.floor((v % 3600) / 60);
  const s = v % 60;
  if (h) return `${sign}${h}h${String(m).padStart(2, '0')}m`;
  if (m) return `${sign}${m}m${String(s).padStart(2, '0')}s`;
  return `${sign}${s}s`;
}

const pct = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(x === 1 || x === 0 ? 0 : 1)}%`);
const stages = (xs: readonly number[]) => (xs.length ? xs.join(',') : '-');

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map(r => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(head), line(widths.map(w => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function formatReport(r: EvalReport): string {
  const o = r.overall;
  const out: string[] = [];
  out.push(`Intrusions${r.seed !== null ? ` (simulator seed ${r.seed})` : ''}`);
  out.push(table(
    ['intrusion', 'variant', 'present', 'detected', 'missed', 'alerts', 'incidents', 'whole', 'first DC contact', 'disrupted at', 'before DC', 'contained'],
    r.intrusions.map(i => [
      i.id,
      `${i.kind}/${i.contact}`,
      stages(i.stagesPresent),
      stages(i.stagesDetected),
      stages(i.stagesMissed),
      String(i.alerts.length),
      i.incidents.length ? i.incidents.join(' ') : '-',
      i.landsWhole ? 'yes' : 'NO',
      i.firstDomainControllerInteraction ?? '-',
      i.disruption.first ?? '-',
      i.disruption.leadMs === null ? (i.firstDomainControllerInteraction ? 'NOT DISRUPTED' : 'n/a') : `${i.disruption.leadMs > 0 ? '' : 'NO '}${formatDuration(i.disruption.leadMs)}`,
      i.disruption.actions ? `${i.disruption.userContained ? 'user' : ''}${i.disruption.userContained && i.disruption.deviceContained ? '+' : ''}${i.disruption.deviceContained ? 'device' : ''}` || 'other' : '-',
    ]),
  ));
  out.push('');
  out.push('Recall by stage');
  out.push(table(
    ['stage', ...Object.keys(o.recallByStage), 'all'],
    [
      ['present', ...Object.values(o.recallByStage).map(s => String(s.present)), String(o.recall.present)],
      ['detected', ...Object.values(o.recallByStage).map(s => String(s.detected)), String(o.recall.detected)],
      ['recall', ...Object.values(o.recallByStage).map(s => pct(s.recall)), pct(o.recall.recall)],
    ],
  ));
  out.push('');
  const fpList = r.incidents.filter(i => i.class === 'lookalike' || i.class === 'background');
  out.push(`Incidents: ${o.incidents.total} (${o.incidents.intrusion} intrusion, ${o.incidents.merged} merging intrusions, ${o.incidents.lookalike} benign look-alike, ${o.incidents.background} background)`);
  if (fpList.length) {
    out.push(table(['false-positive incident', 'severity', 'alerts', 'made of', 'disrupted'], fpList.map(i => [i.id, i.severity, String(i.alerts), i.lookalikes.join(' ') || 'unlabelled activity', i.disrupted ? 'YES' : 'no'])));
  }
  out.push(`Incidents per intrusion: mean ${o.incidentsPerIntrusion.mean === null ? 'n/a' : o.incidentsPerIntrusion.mean.toFixed(2)} (${Object.entries(o.incidentsPerIntrusion.distribution).map(([k, v]) => `${v} with ${k}`).join(', ')})`);
  out.push(`Alerts per incident: mean ${o.alertsPerIncident.mean === null ? 'n/a' : o.alertsPerIncident.mean.toFixed(1)}, median ${o.alertsPerIncident.median ?? 'n/a'}, max ${o.alertsPerIncident.max}`);
  out.push(`Alerts: ${o.alerts.total} (${o.alerts.intrusion} intrusion, ${o.alerts.lookalike} benign look-alike, ${o.alerts.background} background)`);
  const d = o.disruption;
  out.push(`Disruption: ${d.disruptedBeforeDc}/${d.reachingDc} intrusions reaching a domain controller contained before it (${d.disruptedAfterDc} after, ${d.notDisrupted} not)${d.leadMs.min !== null ? `; lead min ${formatDuration(d.leadMs.min)}, median ${formatDuration(d.leadMs.median!)}` : ''}; ${d.falseActions} action(s) on ${d.falseIncidents} false-positive incident(s)`);
  out.push('');
  const g = o.goals;
  const mark = (b: boolean) => (b ? 'met' : 'NOT MET');
  out.push('Goals');
  out.push(`  every intrusion in exactly one incident holding all its detected stages: ${mark(g.oneIncidentPerIntrusion)}`);
  out.push(`  recall 100% for stages present: ${mark(g.fullRecall)} (${pct(o.recall.recall)})`);
  out.push(`  no false-positive incident of medium severity or above: ${mark(g.noMediumFalsePositive)} (${o.falsePositiveIncidents.mediumOrAbove}; made only of benign look-alikes: ${o.falsePositiveIncidents.lookalikeMediumOrAbove})`);
  out.push(`  disruption before the first domain-controller interaction: ${mark(g.disruptionBeforeDc)} (${d.disruptedBeforeDc}/${d.reachingDc})`);
  return out.join('\n');
}
