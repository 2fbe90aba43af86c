// The objects detection, correlation and response share: rules, alerts, incidents, actions.
// Alerts and incidents follow Microsoft Defender's model (and the Microsoft Graph security API's
// field names where they are serialised) so that analysts and SOAR tools find what they expect.

export type Severity = 'informational' | 'low' | 'medium' | 'high';
export const SEVERITIES: readonly Severity[] = ['informational', 'low', 'medium', 'high'];

/** The entity kinds a rule maps columns to, and that correlation links alerts by. */
export type EntityKind =
  | 'device' | 'userObjectId' | 'userUpn' | 'userSid' | 'userName' | 'ip' | 'url'
  | 'file' | 'fileHash' | 'process' | 'registryValue' | 'teamsThread' | 'mailbox';

/** Which result column of a rule's query fills each entity of an alert. */
export type EntityMapping = Partial<Record<EntityKind, string | string[]>>;

export interface DetectionRule {
  readonly id: string;
  readonly file: string;
  readonly title: string;
  readonly description: string;
  readonly severity: Severity;
  readonly tactics: readonly string[];
  readonly techniques: readonly string[];
  /** The seed's intrusion stages (1–9) the rule evidences. */
  readonly stages: readonly number[];
  /** 'continuous' (near real time, on data as it lands) or a period such as 5m or 1h. */
  readonly frequency: 'continuous' | string;
  /** How far back each run looks, as a Kusto timespan (e.g. 1h, 1d). */
  readonly lookback: string;
  readonly entities: EntityMapping;
  readonly responseActions: readonly string[];
  readonly enabled: boolean;
  /** The KQL: must return Timestamp and ReportId (Defender's custom detection contract). */
  readonly query: string;
  readonly queryLine: number;
}

/** A row of telemetry that raised an alert: enough to get back to it. */
export interface SourceEvent {
  readonly table: string;
  readonly reportId: string;
  readonly timestamp: string;
  readonly deviceName: string;
}

export interface AlertEntity {
  readonly kind: EntityKind;
  readonly value: string;
}

export interface Alert {
  /** Deterministic: the same rule over the same events is the same alert, so re-runs add nothing. */
  readonly id: string;
  readonly ruleId: string;
  readonly title: string;
  readonly description: string;
  readonly severity: Severity;
  readonly category: string;
  readonly tactics: readonly string[];
  readonly techniques: readonly string[];
  readonly stages: readonly number[];
  /** Time of the earliest and latest evidence (event time, not detection time). */
  readonly firstActivity: string;
  readonly lastActivity: string;
  readonly createdTime: string;
  readonly entities: readonly AlertEntity[];
  readonly sourceEvents: readonly SourceEvent[];
  readonly responseActions: readonly string[];
}

export type IncidentStatus = 'active' | 'inProgress' | 'resolved' | 'redirected';
export type Classification = 'unknown' | 'falsePositive' | 'truePositive' | 'informationalExpectedActivity';

export interface IncidentComment {
  readonly comment: string;
  readonly createdBy: string;
  readonly createdTime: string;
}

export interface Incident {
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  readonly status: IncidentStatus;
  readonly classification: Classification;
  readonly determination: string;
  readonly assignedTo: string;
  readonly tags: readonly string[];
  readonly firstActivity: string;
  readonly lastActivity: string;
  readonly createdTime: string;
  readonly lastUpdateTime: string;
  readonly stages: readonly number[];
  readonly tactics: readonly string[];
  readonly alertIds: readonly string[];
  readonly entities: readonly AlertEntity[];
  readonly comments: readonly IncidentComment[];
}

/** A containment action taken (or, in dry-run, that would be taken) by attack disruption. */
export interface ResponseAction {
  readonly id: string;
  readonly incidentId: string;
  readonly policyId: string;
  readonly action: string;
  readonly target: AlertEntity;
  /** The event time of the evidence that triggered it (replayed history measures as live data would). */
  readonly timestamp: string;
  readonly responder: string;
  readonly status: 'dryRun' | 'succeeded' | 'failed';
  readonly detail: string;
}
