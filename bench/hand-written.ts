// Hand-written DuckDB SQL doing the same job as each of the seed's hunting queries A–J, as a DuckDB
// user would write it directly (ILIKE, regexp_matches with \b for Kusto's term match, range joins).
// `now` is the query instant as a SQL timestamp literal.
export function handWrittenSql(now: string): Record<string, string> {
  const ago = (days: number) => `(${now} - INTERVAL ${days} DAY)`;
  const RECON_H = ['whoami', 'whoami /all', 'whoami /groups', 'whoami /priv', 'hostname', 'systeminfo', 'ver', 'wmic os get',
    'reg query HKLM\\\\SOFTWARE\\\\Microsoft\\\\Windows NT\\\\CurrentVersion', 'query user', 'net user', 'nltest', 'ipconfig /all', 'arp -a', 'route print', 'dir', 'icacls'];
  const RECON_J = RECON_H.filter(r => !['whoami /all', 'whoami /groups', 'whoami /priv'].includes(r));
  const words = (list: string[]) => `'(?i)\\b(${list.map(s => s.replace(/ /g, ' ')).join('|')})\\b'`;
  return {
    A: `
WITH teams AS (
  SELECT m.Timestamp AS TTime, m.SenderEmailAddress, m.SenderDisplayName,
         r->>'RecipientUserDisplayName' AS VictimRecipientDisplayName, r->>'RecipientObjectId' AS VictimAccountObjectId
  FROM MessageEvents m, unnest(CAST(m.RecipientDetails AS JSON[])) AS u(r)
  WHERE m.Timestamp > ${ago(14)}),
rmm AS (
  SELECT DeviceName, Timestamp AS QTime, FileName AS RmmTool, InitiatingProcessAccountObjectId AS VictimAccountObjectId
  FROM DeviceProcessEvents
  WHERE Timestamp > ${ago(14)} AND lower(FileName) IN ('quickassist.exe', 'anydesk.exe', 'teamviewer.exe'))
SELECT rmm.DeviceName, t.SenderEmailAddress, t.SenderDisplayName, t.VictimRecipientDisplayName, t.VictimAccountObjectId, t.TTime, rmm.QTime, rmm.RmmTool
FROM teams t JOIN rmm ON t.VictimAccountObjectId = rmm.VictimAccountObjectId
 AND rmm.QTime BETWEEN t.TTime AND t.TTime + INTERVAL 30 MINUTE
WHERE t.VictimAccountObjectId <> '' AND rmm.DeviceName <> ''
ORDER BY rmm.QTime DESC`,
    B: `
SELECT * FROM DeviceProcessEvents
WHERE Timestamp > ${ago(7)} AND lower(InitiatingProcessFileName) = 'cmd.exe' AND lower(FileName) = 'cmd.exe'
  AND ProcessCommandLine ILIKE '%/S /D /c%' AND ProcessCommandLine ILIKE '%" set /p="PK"%' AND regexp_matches(ProcessCommandLine, '(?i)\\b1>')`,
    C: `
WITH f AS (
  SELECT DeviceName, Timestamp AS First, FileName FROM DeviceFileEvents
  WHERE Timestamp > ${ago(14)} AND ActionType IN ('FileCreated', 'FileRenamed')
    AND regexp_matches(FolderPath, '(?i)\\b[CD]:\\\\ProgramData\\\\(Adobe\\\\ARM|Microsoft\\\\DeviceSync)\\\\')),
h AS (
  SELECT DeviceName, Timestamp AS Run, FileName AS Host FROM DeviceProcessEvents
  WHERE Timestamp > ${ago(14)} AND lower(FileName) IN ('acroservicesupdater2_x64.exe', 'dlpuseragent.exe', 'adnotificationmanager.exe'))
SELECT f.DeviceName, h.Host, min(f.First) AS First, min(h.Run) AS Run, list_slice(list(DISTINCT f.FileName), 1, 10) AS Files
FROM f JOIN h ON f.DeviceName = h.DeviceName AND h.Run BETWEEN f.First AND f.First + INTERVAL 10 MINUTE
GROUP BY f.DeviceName, h.Host ORDER BY Run DESC`,
    D: `
WITH n AS (
  SELECT DeviceName, Timestamp AS NetTime, RemoteUrl, RemoteIP FROM DeviceNetworkEvents
  WHERE Timestamp > ${ago(14)} AND lower(InitiatingProcessFileName) IN ('powershell.exe', 'pwsh.exe') AND regexp_matches(RemoteUrl, '(?i)\\.(top|xyz|zip|click)$')),
w AS (
  SELECT DeviceName, Timestamp AS WTime, FileName, FolderPath, SHA256 FROM DeviceFileEvents
  WHERE Timestamp > ${ago(14)} AND FolderPath ILIKE '%\\AppData\\Roaming\\%' AND FileName ILIKE '%.exe')
SELECT n.DeviceName, n.NetTime, n.RemoteUrl, n.RemoteIP, w.WTime, w.FileName, w.FolderPath, w.SHA256
FROM n JOIN w ON n.DeviceName = w.DeviceName AND w.WTime BETWEEN n.NetTime AND n.NetTime + INTERVAL 5 MINUTE
ORDER BY w.WTime DESC`,
    E: `
SELECT Timestamp, DeviceName, ActionType, RegistryKey, RegistryValueName, PreviousRegistryValueData, InitiatingProcessFileName
FROM DeviceRegistryEvents
WHERE Timestamp > ${ago(30)} AND regexp_matches(RegistryKey, '(?i)\\\\SOFTWARE\\\\Classes\\\\Local Settings\\\\Software\\\\Microsoft\\b')
  AND lower(RegistryValueName) IN ('ucid', 'ufid', 'xj01', 'xj02', 'uxmp')
ORDER BY Timestamp DESC`,
    F: `
WITH o AS (
  SELECT DeviceName, InitiatingProcessFileName AS Proc, Timestamp AS OutTime, RemoteUrl FROM DeviceNetworkEvents
  WHERE Timestamp > ${ago(14)} AND RemoteUrl ILIKE '%.execute-api.%' AND lower(InitiatingProcessFileName) NOT IN ('chrome.exe', 'msedge.exe', 'firefox.exe')),
i AS (
  SELECT DeviceName, InitiatingProcessFileName AS Proc, Timestamp AS InTime, RemotePort FROM DeviceNetworkEvents
  WHERE Timestamp > ${ago(14)} AND RemotePort IN (135, 389, 445, 636))
SELECT o.DeviceName, o.Proc, o.OutTime, o.RemoteUrl, i.InTime, i.RemotePort
FROM o JOIN i ON o.DeviceName = i.DeviceName AND o.Proc = i.Proc AND i.InTime BETWEEN o.OutTime AND o.OutTime + INTERVAL 10 MINUTE
ORDER BY i.InTime DESC`,
    G: `
SELECT Timestamp, DeviceName, InitiatingProcessFileName, InitiatingProcessCommandLine, FolderPath FROM DeviceFileEvents
WHERE Timestamp > ${ago(14)} AND lower(FileName) = 'consolehost_history.txt' AND ActionType = 'FileDeleted'
ORDER BY Timestamp DESC`,
    H: `
SELECT DeviceName, count(*) AS eventCount, list(DISTINCT FileName) AS FileNames, list(DISTINCT InitiatingProcessFileName) AS InitiatingProcessFileNames,
  list_slice(list(DISTINCT ProcessCommandLine), 1, 5) AS ProcessCommandLines
FROM DeviceProcessEvents
WHERE Timestamp > ${ago(14)} AND lower(FileName) IN ('cmd.exe', 'powershell.exe', 'pwsh.exe') AND regexp_matches(ProcessCommandLine, ${words(RECON_H)})
GROUP BY DeviceName HAVING count(*) > 2`,
    I: `
SELECT * FROM DeviceProcessEvents
WHERE Timestamp > ${ago(2)} AND (lower(FileName) = 'rclone.exe' OR lower(ProcessVersionInfoOriginalFileName) = 'rclone.exe')
  AND regexp_matches(ProcessCommandLine, '(?i)\\bcopy ') AND ProcessCommandLine ILIKE '%--config rclone_uploader.conf%' AND ProcessCommandLine ILIKE '%--transfers 16%'
  AND ProcessCommandLine ILIKE '%--checkers 16%' AND ProcessCommandLine ILIKE '%--buffer-size 64M%' AND ProcessCommandLine ILIKE '%--max-age=3y%' AND ProcessCommandLine ILIKE '%--exclude *.mdf%'`,
    J: `
WITH rmm AS (
  SELECT DeviceName, Timestamp AS RMMTime FROM DeviceProcessEvents
  WHERE Timestamp > ${ago(14)} AND lower(FileName) IN ('quickassist.exe', 'anydesk.exe', 'teamviewer.exe')),
recon AS (
  SELECT DeviceName, Timestamp AS ReconTime, ProcessCommandLine AS ReconCmd, FileName AS ReconProc FROM DeviceProcessEvents
  WHERE Timestamp > ${ago(14)} AND lower(FileName) IN ('cmd.exe', 'powershell.exe', 'pwsh.exe') AND regexp_matches(ProcessCommandLine, ${words(RECON_J)})),
staging AS (
  SELECT DeviceName, Timestamp AS STime FROM DeviceFileEvents
  WHERE Timestamp > ${ago(14)} AND ActionType IN ('FileCreated', 'FileRenamed') AND regexp_matches(FileName, '(?i).*\\\\.(zip|exe|dll)$')),
rr AS (
  SELECT rmm.DeviceName, rmm.RMMTime, recon.ReconTime, recon.ReconProc, recon.ReconCmd
  FROM rmm JOIN recon ON rmm.DeviceName = recon.DeviceName AND recon.ReconTime BETWEEN rmm.RMMTime AND rmm.RMMTime + INTERVAL 10 MINUTE)
SELECT DeviceName, RMMTime, ReconTime, ReconProc, ReconCmd FROM rr
WHERE NOT EXISTS (SELECT 1 FROM staging s WHERE s.DeviceName = rr.DeviceName AND s.STime BETWEEN rr.RMMTime AND rr.RMMTime + INTERVAL 15 MINUTE)
GROUP BY ALL`,
  };
}
