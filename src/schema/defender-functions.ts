// Functions that Defender advanced hunting provides beyond the Kusto language, declared as KQL so
// the binder types them and the compiler expands them like any user function.
// Without Microsoft's cloud file-profile service, FileProfile adds its columns empty (null),
// exactly the shape Defender returns for a file it has no profile for.

export interface DefenderFunction {
  readonly name: string;
  readonly parameters: string;
  readonly body: string;
  readonly description: string;
}

export const DEFENDER_FUNCTIONS: readonly DefenderFunction[] = [
  {
    name: 'FileProfile',
    parameters: '(T:(*), x:string="SHA1", y:long=1000)',
    body: `{ T | extend GlobalPrevalence=long(null), GlobalFirstSeen=datetime(null), GlobalLastSeen=datetime(null),
      Signer="", Issuer="", SignerHash="", IsCertificateValid=bool(null), IsRootSignerMicrosoft=bool(null),
      SignatureState="", IsExecutable=bool(null), ThreatName="", Publisher="", SoftwareName="",
      ProfileAvailability="Unavailable" }`,
    description: 'Enriches rows with file profile columns (empty: no cloud file-profile service locally).',
  },
  {
    name: 'AssignedIPAddresses',
    parameters: '(x:string, y:datetime)',
    body: `{ DeviceNetworkInfo
      | where (DeviceName =~ x or DeviceId =~ x) and Timestamp <= y
      | summarize arg_max(Timestamp, IPAddresses) by DeviceId, DeviceName
      | mv-expand IPAddress = IPAddresses
      | project Timestamp, DeviceId, DeviceName, IPAddress = tostring(IPAddress.IPAddress),
                AddressType = tostring(IPAddress.AddressType) }`,
    description: 'IP addresses assigned to a device (by name or id) at or before a given time, from DeviceNetworkInfo.',
  },
  {
    name: 'DeviceFromIP',
    parameters: '(x:string, y:datetime)',
    body: `{ DeviceNetworkInfo
      | where Timestamp <= y
      | mv-expand IPAddress = IPAddresses
      | where tostring(IPAddress.IPAddress) == x
      | summarize arg_max(Timestamp, *) by DeviceId
      | project IP = x, DeviceId, DeviceName, Timestamp }`,
    description: 'Devices that had a given IP address at or before a given time, from DeviceNetworkInfo.',
  },
];
