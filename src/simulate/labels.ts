// Ground truth: which rows each intrusion stage and each benign look-alike wrote. Events carry a
// RowSet; the writer adds each row's ReportId (AlertId for AlertInfo/AlertEvidence, which have no
// ReportId) to it as the row is written. The shapes below are those of labels.json (see README.md).

export type RowId = number | string;

export class RowSet {
  private readonly ids = new Map<string, RowId[]>();
  private readonly seen = new Map<string, Set<RowId>>();
  /** Earliest and latest event time (ticks) added through note(). */
  first = Infinity;
  last = -Infinity;

  add(table: string, id: RowId): void {
    let list = this.ids.get(table);
    if (!list) {
      list = [];
      this.ids.set(table, list);
    }
    if (table === 'AlertEvidence' || table === 'AlertInfo') {
      // Several evidence rows share one AlertId: list each alert once.
      let s = this.seen.get(table);
      if (!s) this.seen.set(table, (s = new Set()));
      if (s.has(id)) return;
      s.add(id);
    }
    list.push(id);
  }

  note(k: number): void {
    if (k < this.first) this.first = k;
    if (k > this.last) this.last = k;
  }

  get empty(): boolean {
    return this.ids.size === 0;
  }

  toJSON(): Record<string, RowId[]> {
    return Object.fromEntries([...this.ids].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
}

export interface UserRef {
  oid: string;
  upn: string;
  sid: string;
  name: string;
}

export interface DeviceRef {
  id: string;
  name: string;
}

export interface StageLabel {
  present: boolean;
  reportIds: Record<string, RowId[]>;
  first: string | null;
}

export interface IntrusionVariant {
  /** 'full' (all nine stages), 'kiosk' (recon on a low-privilege kiosk, then gone), 'partial' (stages skipped). */
  kind: 'full' | 'kiosk' | 'partial';
  /** How the actor first reached the user: a cross-tenant Teams chat, or a phone call (vishing, no Teams message). */
  contact: 'teams' | 'vishing';
  lure: string | null;
  sender: { email: string; name: string; tenantDomain: string } | null;
  chatThreadId: string | null;
  mailbomb: boolean;
  tool: 'QuickAssist.exe' | 'AnyDesk.exe' | 'TeamViewer.exe';
  shell: 'cmd.exe' | 'powershell.exe';
  delivery: 'set-p-zip' | 'powershell-zip' | null;
  /** A PowerShell download from a high-risk TLD that drops an EXE under AppData\Roaming. */
  downloader: boolean;
  sideload: { host: string; dll: string; folder: string } | null;
  c2: { kind: 'api-gateway' | 'high-risk-tld'; host: string; ip: string } | null;
  lateralTargets: string[];
  rmm: string | null;
  exfil: { fileName: string; originalFileName: string; flags: 'all' | 'partial'; commandLine: string } | null;
  historyDeletion: boolean;
  skipped: number[];
}

export interface IntrusionLabel {
  id: string;
  victim: { user: UserRef; device: DeviceRef };
  variant: IntrusionVariant;
  stages: Record<string, StageLabel>;
  /** Activity around the nine stages: the mail bomb before contact, PowerShell history deletion, alerts raised. */
  extras: Record<string, StageLabel>;
  devicesTouched: string[];
  firstDomainControllerInteraction: string | null;
}

export interface BenignLabel {
  id: string;
  kind: string;
  description: string;
  entities: Record<string, unknown>;
  first: string | null;
  reportIds: Record<string, RowId[]>;
}

export interface Labels {
  seed: number;
  options: Record<string, unknown>;
  start: string;
  end: string;
  tenantId: string;
  domain: string;
  counts: Record<string, number>;
  intrusions: IntrusionLabel[];
  benign: BenignLabel[];
}
