import type { DeviceKind, Position } from '../protocol/devices';
import type { Member } from '../access/permissions';
import type { Role } from '../auth/roles';

/**
 * The demo tenant (CONTRACT.md §1), in one place so the cloud's demo data and the device
 * simulator agree on every site, zone, door, reader and position.
 */
export const DEMO_TENANT = { id: 'demo', name: 'Demo Workspaces' } as const;
export const DEMO_PASSWORD = 'demo-pass-1234';

export interface DemoDevice {
  id: string;
  kind: DeviceKind;
  name: string;
  zoneId: string;
  /** readers: the door they open */
  doorId?: string;
  position: Position;
}

export interface DemoZone {
  id: string;
  name: string;
  polygon: Array<[number, number]>;
}

export interface DemoSite {
  id: string;
  name: string;
  lat: number;
  lng: number;
  timezone: string;
  address: string;
  zones: DemoZone[];
  devices: DemoDevice[];
}

/** Floor plans are 1000 × 600 plan units. Four zones side by side along a corridor. */
const ZONES: DemoZone[] = [
  { id: 'lobby', name: '로비 Lobby', polygon: [[0, 0], [300, 0], [300, 600], [0, 600]] },
  { id: 'lounge', name: '라운지 Lounge', polygon: [[300, 0], [600, 0], [600, 300], [300, 300]] },
  { id: 'meeting', name: '회의실 Meeting', polygon: [[600, 0], [1000, 0], [1000, 300], [600, 300]] },
  { id: 'office', name: '오피스 Office', polygon: [[300, 300], [1000, 300], [1000, 600], [300, 600]] },
];

const DOOR_AT: Record<string, Position> = {
  lobby: { x: 20, y: 300 },
  lounge: { x: 450, y: 290 },
  meeting: { x: 800, y: 290 },
  office: { x: 650, y: 310 },
};

/** Readers sit beside their door, on the zone's side, so neither pin hides the other. */
const READER_AT: Record<string, Position> = {
  lobby: { x: 60, y: 345 },
  lounge: { x: 495, y: 255 },
  meeting: { x: 845, y: 255 },
  office: { x: 695, y: 345 },
};

function zoneDevices(zone: DemoZone, i: number): DemoDevice[] {
  const door = DOOR_AT[zone.id] ?? { x: 100 + i * 200, y: 300 };
  const reader = READER_AT[zone.id] ?? { x: door.x + 40, y: door.y + 40 };
  const [x0, y0] = zone.polygon[0]!;
  const [x2, y2] = zone.polygon[2]!;
  const cx = Math.round((x0 + x2) / 2);
  const cy = Math.round((y0 + y2) / 2);
  const label = zone.name.split(' ')[1] ?? zone.id;
  return [
    { id: `door-${zone.id}`, kind: 'door', name: `${label} door`, zoneId: zone.id, position: door },
    { id: `reader-${zone.id}`, kind: 'reader', name: `${label} reader`, zoneId: zone.id, doorId: `door-${zone.id}`, position: reader },
    { id: `pir-${zone.id}`, kind: 'pir', name: `${label} motion`, zoneId: zone.id, position: { x: cx, y: cy } },
    { id: `light-${zone.id}`, kind: 'light', name: `${label} lights`, zoneId: zone.id, position: { x: cx + 40, y: cy - 40 } },
  ];
}

function facilityDevices(): DemoDevice[] {
  return [
    { id: 'camera-entrance', kind: 'camera', name: 'Entrance camera', zoneId: 'lobby', position: { x: 40, y: 200 } },
    { id: 'camera-office', kind: 'camera', name: 'Office camera', zoneId: 'office', position: { x: 960, y: 560 } },
    { id: 'env-lounge', kind: 'env', name: 'Lounge climate', zoneId: 'lounge', position: { x: 560, y: 40 } },
    { id: 'env-office', kind: 'env', name: 'Office climate', zoneId: 'office', position: { x: 340, y: 560 } },
    { id: 'hvac-main', kind: 'hvac', name: 'HVAC main', zoneId: 'office', position: { x: 500, y: 560 } },
    { id: 'hvac-meeting', kind: 'hvac', name: 'HVAC meeting', zoneId: 'meeting', position: { x: 960, y: 40 } },
    { id: 'power-main', kind: 'power', name: 'Main power meter', zoneId: 'lobby', position: { x: 40, y: 560 } },
    { id: 'fire-panel', kind: 'fire-panel', name: 'Fire panel', zoneId: 'lobby', position: { x: 260, y: 40 } },
    { id: 'kiosk-lobby', kind: 'kiosk', name: 'Lobby kiosk', zoneId: 'lobby', position: { x: 150, y: 150 } },
  ];
}

function demoSite(id: string, name: string, lat: number, lng: number, address: string): DemoSite {
  return {
    id,
    name,
    lat,
    lng,
    timezone: 'Asia/Seoul',
    address,
    zones: ZONES,
    devices: [...ZONES.flatMap(zoneDevices), ...facilityDevices()],
  };
}

export const DEMO_SITES: readonly DemoSite[] = [
  demoSite('gangnam', '강남점 Gangnam', 37.4979, 127.0276, '서울 강남구 테헤란로'),
  demoSite('hongdae', '홍대점 Hongdae', 37.5563, 126.9236, '서울 마포구 양화로'),
  demoSite('yeouido', '여의도점 Yeouido', 37.5219, 126.9245, '서울 영등포구 국제금융로'),
];

export interface DemoUser {
  email: string;
  name: string;
  role: Role;
  siteIds: string[];
}

export const DEMO_USERS: readonly DemoUser[] = [
  { email: 'hq@demo.local', name: 'HQ Operator', role: 'hq-operator', siteIds: [] },
  { email: 'gangnam.manager@demo.local', name: 'Gangnam Manager', role: 'site-manager', siteIds: ['gangnam'] },
  { email: 'vendor@demo.local', name: 'Facility Vendor', role: 'vendor', siteIds: ['gangnam', 'hongdae', 'yeouido'] },
  { email: 'admin@demo.local', name: 'Tenant Admin', role: 'tenant-admin', siteIds: [] },
];

const ALL_ZONES = ZONES.map((z) => z.id);

/**
 * Demo members: `card-0001` … `card-0100` granted on every zone of every demo site at all times
 * (`card-0001` also keeps access when a site's permission cache is stale), and `card-night`,
 * approved for secure mode.
 */
export function demoMembers(): Member[] {
  const members: Member[] = [];
  for (let n = 1; n <= 100; n++) {
    const no = String(n).padStart(4, '0');
    members.push({
      id: `member-${no}`,
      name: `Member ${no}`,
      active: true,
      credentials: [{ type: 'card', value: `card-${no}` }],
      grants: [{ zoneIds: ALL_ZONES }],
      secureMode: false,
      offlineWhitelist: n === 1,
    });
  }
  members.push({
    id: 'member-night',
    name: 'Night Security',
    active: true,
    credentials: [{ type: 'card', value: 'card-night' }],
    grants: [{ zoneIds: ALL_ZONES }],
    secureMode: true,
    offlineWhitelist: true,
  });
  return members;
}
