// Where the organisation's traffic goes: SaaS and vendor endpoints with stable addresses, the
// internal services on the domain controllers and the file server, and the actors' infrastructure
// (documentation address ranges, so that no real host is named as malicious).
import { J } from './format.js';
import { hash32 } from './prng.js';
import type { Rng } from './prng.js';

export interface Destination {
  readonly host: string;
  readonly jUrl: string;
  readonly ips: readonly string[];
}

function dest(host: string, prefix: string): Destination {
  const h = hash32(host);
  const ips = [0, 1, 2].map(i => `${prefix}.${(h >>> (i * 8)) & 255 || 1}.${((h >>> (i * 5)) % 250) + 2}`);
  return { host, jUrl: J(host), ips };
}

export function pickIp(d: Destination, rng: Rng): string {
  return d.ips[rng.int(d.ips.length)]!;
}

const M365 = (h: string) => dest(h, '52.96');
const MSFT = (h: string) => dest(h, '20.190');
const GOOGLE = (h: string) => dest(h, '142.250');
const AKAMAI = (h: string) => dest(h, '23.45');
const AWS = (h: string) => dest(h, '54.239');

export const SAAS = {
  outlook: M365('outlook.office365.com'),
  teams: M365('teams.microsoft.com'),
  teamsTrouter: M365('go.trouter.teams.microsoft.com'),
  login: M365('login.microsoftonline.com'),
  graph: M365('graph.microsoft.com'),
  office: M365('www.office.com'),
  sharepoint: M365('contoso.sharepoint.com'),
  mysite: M365('contoso-my.sharepoint.com'),
  onedrive: M365('oneclient.sfx.ms'),
  officeCdn: AKAMAI('officecdn.microsoft.com'),
  bing: MSFT('www.bing.com'),
  edge: MSFT('edge.microsoft.com'),
  google: GOOGLE('www.google.com'),
  gstatic: GOOGLE('www.gstatic.com'),
  youtube: GOOGLE('www.youtube.com'),
  chromeUpdate: GOOGLE('update.googleapis.com'),
  linkedin: dest('www.linkedin.com', '13.107'),
  github: dest('github.com', '140.82'),
  githubApi: dest('api.github.com', '140.82'),
  npm: dest('registry.npmjs.org', '104.16'),
  pypi: dest('pypi.org', '151.101'),
  stackoverflow: dest('stackoverflow.com', '104.18'),
  salesforce: dest('contoso.my.salesforce.com', '13.110'),
  servicenow: dest('contoso.service-now.com', '149.96'),
  workday: dest('wd5.myworkday.com', '216.187'),
  zoom: dest('contoso.zoom.us', '170.114'),
  adobe: AKAMAI('acroipm2.adobe.com'),
  wikipedia: dest('en.wikipedia.org', '208.80'),
  news: AKAMAI('www.bbc.co.uk'),
  weather: AKAMAI('weather.com'),
  internalApi: AWS('k8c2vx71mb.execute-api.eu-west-1.amazonaws.com'),
  s3: AWS('contoso-assets.s3.eu-west-1.amazonaws.com'),
} as const;

export const BROWSING: readonly Destination[] = [
  SAAS.google, SAAS.gstatic, SAAS.bing, SAAS.office, SAAS.sharepoint, SAAS.mysite, SAAS.linkedin, SAAS.salesforce, SAAS.servicenow,
  SAAS.workday, SAAS.youtube, SAAS.wikipedia, SAAS.news, SAAS.weather, SAAS.internalApi, SAAS.s3, SAAS.login, SAAS.outlook, SAAS.teams,
];
export const DEV_SITES: readonly Destination[] = [SAAS.github, SAAS.githubApi, SAAS.npm, SAAS.pypi, SAAS.stackoverflow, SAAS.internalApi];

export const SYSTEM_ENDPOINTS = {
  windowsUpdate: MSFT('fe3cr.delivery.mp.microsoft.com'),
  ctldl: AKAMAI('ctldl.windowsupdate.com'),
  telemetry: MSFT('v10.events.data.microsoft.com'),
  settings: MSFT('settings-win.data.microsoft.com'),
  defenderCloud: MSFT('wdcp.microsoft.com'),
  defenderUpdates: MSFT('definitionupdates.microsoft.com'),
  mde: MSFT('winatp-gw-weu.microsoft.com'),
  mdeEdr: MSFT('edr-weu.endpoint.security.microsoft.com'),
  mdi: MSFT('contoso-sensorapi.atp.azure.com'),
  ntp: MSFT('time.windows.com'),
  edgeUpdate: MSFT('msedge.api.cdp.microsoft.com'),
  officeC2r: AKAMAI('officecdn.microsoft.com'),
  adobeUpdate: AKAMAI('armmf.adobe.com'),
} as const;

export const REMOTE_TOOL_ENDPOINTS = {
  'QuickAssist.exe': [M365('remoteassistance.support.services.microsoft.com'), M365('rdprelayv3eastusprod-0.support.services.microsoft.com')],
  'AnyDesk.exe': [dest('relay-3b7c1a42.net.anydesk.com', '195.181'), dest('boot.net.anydesk.com', '195.181')],
  'TeamViewer.exe': [dest('router15.teamviewer.com', '37.252'), dest('master13.teamviewer.com', '37.252')],
} as const;

export const REMOTE_TOOL_DOWNLOADS = {
  'AnyDesk.exe': { url: 'https://download.anydesk.com/AnyDesk.exe', host: dest('download.anydesk.com', '195.181') },
  'TeamViewer.exe': { url: 'https://download.teamviewer.com/download/TeamViewerQS_x64.exe', host: dest('download.teamviewer.com', '37.252') },
} as const;

/** Internal services: the ports workstations and servers use toward the domain controllers and file server. */
export const DC_PORTS = [88, 389, 135, 445, 53] as const;

/** An address in a documentation range for the actors' infrastructure. */
export function actorIp(rng: Rng): string {
  return rng.chance(0.5) ? `198.51.100.${rng.range(2, 254)}` : `203.0.113.${rng.range(2, 254)}`;
}

const WORDS = ['cdn', 'sync', 'update', 'check', 'cloud', 'secure', 'ms', 'office', 'portal', 'static', 'api', 'svc', 'node', 'edge', 'login'];
export const HIGH_RISK_TLDS = ['top', 'xyz', 'click', 'zip'] as const;

export function highRiskHost(rng: Rng): string {
  return `${rng.pick(WORDS)}-${rng.pick(WORDS)}${rng.range(10, 99)}.${rng.pick(HIGH_RISK_TLDS)}`;
}

const REGIONS = ['us-east-1', 'us-east-2', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-1'];

export function apiGatewayHost(rng: Rng): string {
  const id = rng.hex(10).replace(/^[0-9]/, 'k');
  return `${id}.execute-api.${rng.pick(REGIONS)}.amazonaws.com`;
}
