// A quick synthetic Defender dataset for benchmarks, generated inside DuckDB with SQL (no rows pass
// through JavaScript): background process, file, network, registry and Teams activity over 14 days,
// with a sprinkling of the rows the seed's hunting queries look for.
import type { DuckDbStore } from '../src/store/duckdb-store.js';

export interface DatasetSize {
  readonly processEvents: number;
  readonly fileEvents: number;
  readonly networkEvents: number;
  readonly registryEvents: number;
  readonly messageEvents: number;
}

export function sizeFor(total: number): DatasetSize {
  return {
    processEvents: Math.round(total * 0.45),
    fileEvents: Math.round(total * 0.25),
    networkEvents: Math.round(total * 0.22),
    registryEvents: Math.round(total * 0.07),
    messageEvents: Math.round(total * 0.01),
  };
}

/** The instant the dataset ends at; queries run with this as now(). */
export const DATASET_NOW = new Date('2026-06-01T00:00:00Z');

const SPAN_SECONDS = 14 * 86400;

// Deterministic pseudo-random pick from a list: list[hash(i, salt) % n]
const pick = (list: string[], salt: number) => `([${list.map(s => `'${s.replace(/'/g, "''")}'`).join(', ')}])[1 + (hash(i * ${salt} + ${salt}) % ${list.length})::INTEGER]`;
const ts = (salt: number) => `(TIMESTAMP '${DATASET_NOW.toISOString().slice(0, 19).replace('T', ' ')}' - to_seconds((hash(i + ${salt}) % ${SPAN_SECONDS})::BIGINT))`;

const DEVICES = Array.from({ length: 400 }, (_, i) => `ws-${String(i).padStart(4, '0')}`);
const PROCESSES = ['chrome.exe', 'msedge.exe', 'svchost.exe', 'explorer.exe', 'teams.exe', 'outlook.exe', 'winword.exe', 'excel.exe',
  'cmd.exe', 'powershell.exe', 'conhost.exe', 'rundll32.exe', 'msiexec.exe', 'onedrive.exe', 'taskhostw.exe', 'searchindexer.exe',
  'python.exe', 'code.exe', 'git.exe', 'node.exe', 'QuickAssist.exe', 'AnyDesk.exe', 'rclone.exe', 'AcroServicesUpdater2_x64.exe', 'DlpUserAgent.exe'];
const COMMANDS = ['cmd.exe /c dir C:\\Users', 'cmd.exe /c whoami', 'cmd.exe /c hostname', 'cmd.exe /c ipconfig /all', 'powershell.exe -NoProfile -Command Get-Process',
  'cmd.exe /c echo build', 'powershell.exe -File C:\\scripts\\inventory.ps1', 'cmd.exe /c copy a.txt b.txt', 'chrome.exe --type=renderer', 'svchost.exe -k netsvcs',
  'cmd.exe /S /D /c" set /p="PK" 0<NUL 1>C:\\ProgramData\\Adobe\\ARM\\u.zip"', 'rclone.exe copy \\\\fs01\\data remote:x --config rclone_uploader.conf --transfers 16 --checkers 16 --buffer-size 64M --max-age=3y --exclude *.mdf',
  'cmd.exe /c systeminfo', 'cmd.exe /c net user /domain', 'git.exe status', 'node.exe server.js', 'msiexec.exe /i agent.msi /qn', 'cmd.exe /c nltest /dclist:contoso'];
const FOLDERS = ['C:\\Windows\\System32\\', 'C:\\Program Files\\Google\\Chrome\\', 'C:\\Users\\u\\AppData\\Local\\Temp\\', 'C:\\Users\\u\\AppData\\Roaming\\App\\',
  'C:\\ProgramData\\Adobe\\ARM\\S\\1\\', 'C:\\ProgramData\\Microsoft\\DeviceSync\\', 'D:\\data\\', 'C:\\Users\\u\\Documents\\'];
const FILES = ['report.docx', 'setup.exe', 'update.zip', 'msi.dll', 'notes.txt', 'ConsoleHost_history.txt', 'image.png', 'payload.dll', 'tool.exe', 'data.csv'];
const URLS = ['www.microsoft.com', 'login.microsoftonline.com', 'github.com', 'cdn.example.com', 'updates.example.org', 'k3j9.execute-api.us-east-1.amazonaws.com',
  'dl.badsite.top', 'files.cheap.xyz', 'teams.microsoft.com', 'graph.microsoft.com'];
const VALUE_NAMES = ['UCID', 'UFID', 'XJ01', 'Version', 'InstallPath', 'Enabled', 'LastRun', 'Theme', 'Config', 'State'];
const KEYS = ['HKEY_CURRENT_USER\\S-1-5-21-1\\SOFTWARE\\Classes\\Local Settings\\Software\\Microsoft', 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run',
  'HKEY_CURRENT_USER\\SOFTWARE\\Microsoft\\Office', 'HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\svc'];
const ACTIONS = ['FileCreated', 'FileModified', 'FileRenamed', 'FileDeleted'];
const SENDERS = ['it.helpdesk@contoso-support.onmicrosoft.com', 'colleague@contoso.com', 'partner@fabrikam.com'];
const OIDS = Array.from({ length: 400 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);

export async function generateDataset(store: DuckDbStore, size: DatasetSize): Promise<void> {
  await store.ensureSchema();
  const run = (sql: string) => store.sql(sql);
  await run(`INSERT INTO DeviceProcessEvents (Timestamp, DeviceId, DeviceName, ActionType, FileName, FolderPath, ProcessCommandLine,
      InitiatingProcessFileName, InitiatingProcessAccountObjectId, ProcessVersionInfoOriginalFileName, ReportId, ProcessId)
    SELECT ${ts(1)}, 'd' || (i % 400), ${pick(DEVICES, 3)}, 'ProcessCreated', ${pick(PROCESSES, 5)}, ${pick(FOLDERS, 7)}, ${pick(COMMANDS, 11)},
      ${pick(PROCESSES, 13)}, ${pick(OIDS, 17)}, ${pick(PROCESSES, 19)}, i, i % 65536
    FROM range(${size.processEvents}) r(i)`);
  await run(`INSERT INTO DeviceFileEvents (Timestamp, DeviceName, ActionType, FileName, FolderPath, SHA256, InitiatingProcessFileName, InitiatingProcessCommandLine, ReportId)
    SELECT ${ts(2)}, ${pick(DEVICES, 23)}, ${pick(ACTIONS, 29)}, ${pick(FILES, 31)}, ${pick(FOLDERS, 37)}, md5(i::VARCHAR), ${pick(PROCESSES, 41)}, ${pick(COMMANDS, 43)}, i
    FROM range(${size.fileEvents}) r(i)`);
  await run(`INSERT INTO DeviceNetworkEvents (Timestamp, DeviceName, InitiatingProcessFileName, RemoteUrl, RemoteIP, RemotePort, ReportId)
    SELECT ${ts(3)}, ${pick(DEVICES, 47)}, ${pick(PROCESSES, 53)}, ${pick(URLS, 59)}, '10.0.' || (i % 255) || '.' || (i % 250), ([443, 80, 445, 389, 135, 636, 5985, 53])[1 + (hash(i * 61) % 8)::INTEGER], i
    FROM range(${size.networkEvents}) r(i)`);
  await run(`INSERT INTO DeviceRegistryEvents (Timestamp, DeviceName, ActionType, RegistryKey, RegistryValueName, PreviousRegistryValueData, InitiatingProcessFileName, ReportId)
    SELECT ${ts(4)}, ${pick(DEVICES, 67)}, 'RegistryValueSet', ${pick(KEYS, 71)}, ${pick(VALUE_NAMES, 73)}, '', ${pick(PROCESSES, 79)}, i
    FROM range(${size.registryEvents}) r(i)`);
  await run(`INSERT INTO MessageEvents (Timestamp, SenderEmailAddress, SenderDisplayName, RecipientDetails, ThreadId, ReportId)
    SELECT ${ts(5)}, ${pick(SENDERS, 83)}, 'Sender ' || (i % 50), json_array(json_object('RecipientObjectId', ${pick(OIDS, 89)}, 'RecipientUserDisplayName', 'User ' || (i % 400))),
      '19:t' || i || '@thread.v2', 'm' || i
    FROM range(${size.messageEvents}) r(i)`);
  await run('CHECKPOINT');
}
