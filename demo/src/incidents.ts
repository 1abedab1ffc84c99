import { DEMO_WATCH, type LocalSystem } from './system';

/** Demo incidents, by name: what `npm run demo -- <incident> <site> [target]` can trigger. */
export const INCIDENTS = {
  fire: 'fire alarm at the fire panel (every door unlocks)',
  'fire-clear': 'the fire panel clears (the site stays in emergency-unlock until reset)',
  force: 'a door forced open (default: door-lobby)',
  'hold-open': 'a door held open (default: door-lobby)',
  offline: 'a device goes offline (default: env-office)',
  online: 'the device comes back (default: env-office)',
  swipe: 'a badge swipe: target = card (default card-0001) at reader-lobby',
  intrusion: 'a zone empties, then someone moves in it without a badge (default: lounge; about 10 s to stage)',
  tailgate: 'two people walk in on one badge, counted by the zone camera (default: door-lobby)',
  crowd: 'more people in a zone than it holds (default: lobby)',
  stuffy: 'CO2 stays far above the limit (default: env-office; the alarm follows after 10 s)',
  'hvac-empty': 'everyone leaves a zone with its HVAC running (default: meeting; the alarm follows after 15 s)',
  flap: 'a device drops off the network and back six times (default: camera-office)',
  calm: 'staged incidents end: people badge back in, the air clears (alarms stay until resolved)',
  cut: "cut the site's internet (edge ↔ cloud link)",
  restore: "restore the site's internet",
} as const;
export type Incident = keyof typeof INCIDENTS;

export function isIncident(name: string): name is Incident {
  return Object.hasOwn(INCIDENTS, name);
}

/** Triggers an incident on a running system; returns a one-line description of what happened. */
export async function trigger(system: LocalSystem, incident: Incident, siteId: string, target?: string): Promise<string> {
  const site = system.sites.get(siteId);
  if (!site) throw new Error(`unknown site ${siteId}; running: ${[...system.sites.keys()].join(', ')}`);
  const sim = async (path: string, body?: unknown): Promise<void> => {
    const res = await system.simulate(siteId, path, body);
    if (!res.ok) throw new Error(`simulator refused ${path}: HTTP ${res.status} ${await res.text()}`);
  };
  switch (incident) {
    case 'cut':
      site.proxy.cut();
      return `${siteId}: internet cut`;
    case 'restore':
      site.proxy.restore();
      return `${siteId}: internet restored`;
    case 'fire':
      await sim('fire');
      return `${siteId}: fire alarm raised`;
    case 'fire-clear':
      await sim('fire/clear');
      return `${siteId}: fire panel cleared`;
    case 'force':
      await sim(`force/${target ?? 'door-lobby'}`);
      return `${siteId}: ${target ?? 'door-lobby'} forced`;
    case 'hold-open':
      await sim(`hold/${target ?? 'door-lobby'}`);
      return `${siteId}: ${target ?? 'door-lobby'} held open`;
    case 'offline':
    case 'online':
      await sim(`${incident}/${target ?? 'env-office'}`);
      return `${siteId}: ${target ?? 'env-office'} ${incident}`;
    case 'swipe':
      await sim('swipe', { readerId: 'reader-lobby', card: target ?? 'card-0001' });
      return `${siteId}: ${target ?? 'card-0001'} swiped at reader-lobby`;
    case 'intrusion':
      await sim(`intrude/${target ?? 'lounge'}`, { quietMs: DEMO_WATCH.zoneEmptyMs + 1_500 });
      return `${siteId}: someone moving in ${target ?? 'lounge'} without a badge`;
    case 'tailgate':
      await sim(`tailgate/${target ?? 'door-lobby'}`);
      return `${siteId}: two people in on one badge at ${target ?? 'door-lobby'}`;
    case 'crowd':
      await sim(`crowd/${target ?? 'lobby'}`, { people: DEMO_WATCH.zoneCapacity + 5 });
      return `${siteId}: ${DEMO_WATCH.zoneCapacity + 5} people in ${target ?? 'lobby'} (capacity ${DEMO_WATCH.zoneCapacity})`;
    case 'stuffy':
      await sim(`stuffy/${target ?? 'env-office'}`);
      return `${siteId}: CO2 rising at ${target ?? 'env-office'}`;
    case 'hvac-empty':
      await sim(`hvac-empty/${target ?? 'meeting'}`);
      return `${siteId}: ${target ?? 'meeting'} empty with its HVAC running`;
    case 'flap':
      await sim(`flap/${target ?? 'camera-office'}`, { times: 6 });
      return `${siteId}: ${target ?? 'camera-office'} dropped offline 6 times`;
    case 'calm':
      await sim('calm');
      return `${siteId}: staged incidents over`;
  }
}
