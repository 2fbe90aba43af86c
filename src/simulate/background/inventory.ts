// DeviceInfo and DeviceNetworkInfo: one row per device per day, as Defender's periodic reports.
import { AD_DOMAIN, type Device, type User } from '../org.js';
import { objEv } from '../rows.js';
import { T } from '../writer.js';
import type { Ctx } from './context.js';

function osOf(d: Device): { platform: string; build: number; version: string; info: string; type: string } {
  if (d.isServer) return { platform: 'WindowsServer2022', build: 20348, version: '10.0', info: '21H2', type: 'Server' };
  return { platform: 'Windows11', build: 26100, version: '10.0', info: '24H2', type: 'Workstation' };
}

export function deviceInfo(ctx: Ctx, d: Device, k: number, loggedOn: User | null): void {
  const { org, rng } = ctx;
  const os = osOf(d);
  const tags = d.role === 'domain-controller' ? ['Domain Controller'] : d.role === 'admin-workstation' ? ['PAW'] : d.role === 'kiosk' ? ['Kiosk'] : [];
  ctx.emit(objEv(k, T.DeviceInfo, {
    DeviceId: d.id,
    DeviceName: d.name,
    ClientVersion: '10.8760.26100.3476',
    PublicIP: org.publicIp,
    OSArchitecture: '64-bit',
    OSPlatform: os.platform,
    OSBuild: os.build,
    IsAzureADJoined: !d.isServer,
    JoinType: d.isServer ? 'Domain Joined' : 'Hybrid Azure AD Join',
    AadDeviceId: d.aadId,
    LoggedOnUsers: JSON.stringify(loggedOn ? [{ UserName: loggedOn.sam, DomainName: 'CONTOSO', Sid: loggedOn.sid }] : []),
    OSVersion: os.version,
    MachineGroup: d.isServer ? 'Servers' : d.role === 'kiosk' ? 'Kiosks' : 'Workstations',
    OnboardingStatus: 'Onboarded',
    AdditionalFields: JSON.stringify({ Domain: AD_DOMAIN }),
    DeviceCategory: 'Endpoint',
    DeviceType: os.type,
    Model: d.isServer ? 'Virtual Machine' : rng.pick(['Latitude 7450', 'EliteBook 840 G11', 'ThinkPad T14 Gen 5']),
    Vendor: d.isServer ? 'Microsoft Corporation' : rng.pick(['Dell Inc.', 'HP', 'Lenovo']),
    OSDistribution: d.isServer ? 'Windows Server 2022' : 'Windows 11',
    OSVersionInfo: os.info,
    IsInternetFacing: false,
    SensorHealthState: 'Active',
    IsExcluded: false,
    ExposureLevel: rng.pick(['Low', 'Medium', 'Medium']),
    AssetValue: d.role === 'domain-controller' || d.role === 'file-server' ? 'High' : 'Normal',
    DeviceDynamicTags: JSON.stringify(tags),
    ConnectivityType: 'Streamlined',
  }));
}

export function deviceNetworkInfo(ctx: Ctx, d: Device, k: number): void {
  const { org } = ctx;
  const gw = d.ip.replace(/\.\d+$/, '.1');
  ctx.emit(objEv(k, T.DeviceNetworkInfo, {
    DeviceId: d.id,
    DeviceName: d.name,
    NetworkAdapterName: d.isServer ? 'Ethernet0' : 'Ethernet',
    MacAddress: d.mac.replace(/-/g, ''),
    NetworkAdapterType: 'Ethernet',
    NetworkAdapterStatus: 'Up',
    TunnelType: 'None',
    ConnectedNetworks: JSON.stringify([{ Name: AD_DOMAIN, Description: AD_DOMAIN, IsConnectedToInternet: true, Category: 'Domain' }]),
    DnsAddresses: JSON.stringify(org.dcs.map(dc => dc.ip)),
    IPv4Dhcp: d.isServer ? '' : gw.replace(/\.1$/, '.2'),
    DefaultGateways: JSON.stringify([gw]),
    IPAddresses: JSON.stringify([{ IPAddress: d.ip, SubnetPrefix: 24, AddressType: 'Private' }]),
    NetworkAdapterVendor: d.isServer ? 'Microsoft' : 'Intel',
  }));
}

export function inventory(ctx: Ctx, d: Device, k: number, loggedOn: User | null): void {
  deviceInfo(ctx, d, k, loggedOn);
  deviceNetworkInfo(ctx, d, k + 1_000_000 + ctx.rng.int(10_000_000));
}
