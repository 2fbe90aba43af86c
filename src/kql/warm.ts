// Warm-up for the startup snapshot: builds the Defender binder state and runs the parser and
// binder over queries that touch most of the language, so that their one-time initialisation
// (slow in the Bridge.NET build) is already done when chainhunt starts.
import { defenderGlobalState } from './global-state.js';
import { parseAndBind } from './bind.js';

const WARM_UP_QUERIES = [
  'print x = 1, y = strcat("a", tostring(2)), z = now(), w = ago(1d)',
  `let _t = 30m;
let a = materialize(DeviceProcessEvents | where Timestamp > ago(14d) | where FileName in~ ("a.exe") and ProcessCommandLine has_any ("x", "y")
  | extend V = tostring(parse_json(AdditionalFields).a) | project DeviceName, T = Timestamp, V);
let b = DeviceNetworkEvents | where RemoteUrl matches regex @"\\.top$" | project DeviceName, T2 = Timestamp, RemoteUrl;
a | join kind=leftouter b on DeviceName | where T2 between (T .. T + _t) or isnull(T2)
| summarize count(), make_set(RemoteUrl, 10), arg_max(T, *) by DeviceName, bin(T, 1h)
| mv-expand set_RemoteUrl | order by count_ desc | take 10`,
  'datatable(a:long, b:string, c:dynamic)[1, "x", dynamic({"k":[1,2]})] | union (range x from 1 to 3 step 1) | project-away x | top 3 by a',
];

export function warmUp(): void {
  defenderGlobalState();
  for (const q of WARM_UP_QUERIES) parseAndBind(q);
}
