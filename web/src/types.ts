// The HTTP API's shapes (scratch/ISSUE5.md's contract). Times are ISO-8601 UTC strings.

export type Severity = 'informational' | 'low' | 'medium' | 'high';
export type IncidentStatus = 'active' | 'inProgress' | 'resolved' | 'redirected';
export type Classification = 'unknown' | 'falsePositive' | 'truePositive' | 'informationalExpectedActivity';

export const SEVERITIES: readonly Severity[] = ['high', 'medium', 'low', 'informational'];
export const STATUSES: readonly IncidentStatus[] = ['active', 'inProgress', 'resolved', 'redirected'];
export const CLASSIFICATIONS: readonly Classification[] = ['unknown', 'truePositive', 'falsePositive', 'informationalExpectedActivity'];
export const DETERMINATIONS: readonly string[] = [
  'unknown', 'apt', 'malware', 'securityPersonnel', 'securityTesting', 'unwantedSoftware', 'multiStagedAttack',
  'compromisedAccount', 'phishing', 'maliciousUserActivity', 'notMalicious', 'notEnoughDataToValidate',
  'confirmedActivity', 'lineOfBusinessApplication', 'other',
];

export interface Entity {
  kind: string;
  value: string;
}

export interface IncidentSummary {
  id: string;
  title: string;
  severity: Severity;
  status: IncidentStatus;
  classification: Classification;
  determination: string;
  assignedTo: string;
  tags: string[];
  stages: number[];
  tactics: string[];
  users: string[];
  devices: string[];
  firstActivity: string;
  lastActivity: string;
  createdTime: string;
  lastUpdateTime: string;
  alertCount: number;
}

export interface Comment {
  comment: string;
  createdBy: string;
  createdTime: string;
}

export interface IncidentFull extends IncidentSummary {
  description: string;
  entities: Entity[];
  comments: Comment[];
}

export interface SourceEvent {
  table: string;
  reportId: string;
  timestamp: string;
  deviceName: string;
}

export interface Alert {
  id: string;
  ruleId: string;
  title: string;
  description: string;
  severity: Severity;
  category: string;
  tactics: string[];
  techniques: string[];
  stages: number[];
  firstActivity: string;
  lastActivity: string;
  entities: Entity[];
  sourceEvents: SourceEvent[];
  responseActions: string[];
  incidentId?: string;
}

export interface ResponseAction {
  id: string;
  incidentId?: string;
  policyId: string;
  action: string;
  target: Entity;
  timestamp: string;
  responder: string;
  status: string;
  detail: string;
}

export interface TimelineEntry {
  time: string;
  alertId: string;
  title: string;
  severity: Severity;
  stages: number[];
  tactics: string[];
}

export interface StageCoverage {
  stage: number;
  name: string;
  covered: boolean;
  firstSeen: string | null;
}

export interface GraphNode {
  id: string;
  kind: string;
  label: string;
  severity?: Severity;
}

export interface GraphEdge {
  source: string;
  target: string;
}

export interface HistoryEntry {
  time: string;
  actor: string;
  change: string;
  oldValue: string | null;
  newValue: string | null;
}

export interface IncidentDetail {
  incident: IncidentFull;
  alerts: Alert[];
  actions: ResponseAction[];
  timeline: TimelineEntry[];
  stages: StageCoverage[];
  graph: { nodes: GraphNode[]; edges: GraphEdge[] };
  history: HistoryEntry[];
}

export interface IncidentPatch {
  status?: IncidentStatus;
  classification?: Classification;
  determination?: string;
  assignedTo?: string;
  tags?: string[];
}

export interface Column {
  name: string;
  type: string;
}

export interface RenderSpec {
  visualization: string;
  properties: Record<string, unknown>;
}

export interface QueryAnswer {
  queryId: string;
  columns: Column[];
  rows: unknown[][];
  render: RenderSpec | null;
  stats: { rowCount: number; truncated: boolean; elapsedMs: number };
}

export interface EvidenceTable {
  table: string;
  columns: Column[];
  rows: unknown[][];
}

export interface HuntingQuery {
  name: string;
  title: string;
  letter: string;
  stages: number[];
  techniques: string[];
  tables: string[];
  query: string;
}

export interface SavedQuery {
  id: string;
  name: string;
  query: string;
  createdTime: string;
}

export interface Rule {
  id: string;
  title: string;
  description: string;
  severity: Severity;
  tactics: string[];
  techniques: string[];
  stages: number[];
  frequency: string;
  lookback: string;
  enabled: boolean;
  query: string;
  file: string;
  alertCount: number;
}

export interface RuleRun {
  ruleId: string;
  rows: number;
  alerts: number;
  newAlerts: number;
  incidents: number;
}

export interface DataTable {
  name: string;
  rowCount: number;
  firstTimestamp: string | null;
  lastTimestamp: string | null;
}

export interface SchemaTable {
  name: string;
  columns: Column[];
}

export interface IngestFile {
  name: string;
  /** ingested, skipped (already ingested), failed... */
  status?: string;
  format?: string | null;
  accepted: number;
  rejected: number;
  message?: string | null;
  tables?: Record<string, { accepted: number; rejected: number }>;
  errors?: string[];
}

export interface IngestAnswer {
  files: IngestFile[];
  /** Accepted and rejected records per table, over all files. */
  tables?: Record<string, { accepted: number; rejected: number }>;
  quarantined?: number;
  quarantine: string | null;
}

export interface IncidentFilter {
  status?: string[];
  severity?: string[];
  q?: string;
  sort?: string;
  order?: 'asc' | 'desc';
}
