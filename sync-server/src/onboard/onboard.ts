import { ONBOARDING_TEST_REASON, onboardingTestMember, onboardingTestMemberId, testAlarmOf, testSwipeOf, type ReportedEvent } from '@cr/shared';
import type { CloudApi } from './cloud-api';
import { Checklist, waitFor } from './checklist';
import type { SitePlan } from './site-plan';

export interface OnboardOptions {
  plan: SitePlan;
  /** a tenant-admin: site, zones, token, admission, the test member */
  admin: CloudApi;
  /** an HQ operator or the site's manager: the remote door test (admins do not move doors) */
  operator?: CloudApi;
  /** how long each waiting step waits (edge online, devices, swipe, alarm) */
  waitMs: number;
  /** the site exists already (a re-run): its registration is kept, the rest is done again */
  resume?: boolean;
  /** told the edge token once issued (e.g. written to a file for the gateway) */
  onEdgeToken?: (token: string) => void | Promise<void>;
  say: (line: string) => void;
}

interface SiteView {
  online: boolean;
}
interface DeviceView {
  id: string;
  kind: string;
  zoneId?: string;
  approval: 'pending' | 'approved';
}

/** The steps of a go-live, in order; each must pass before the next. */
export const STEPS = [
  'site registered',
  'zones created',
  'edge token issued',
  'edge gateway online',
  'devices discovered',
  'devices admitted and placed',
  'test card opens the door (permissions synced)',
  'door opened and locked remotely',
  'test alarm received',
] as const;

/**
 * Takes a new site from nothing to live through the public API, as the console's onboarding
 * wizard does: every step waits for what the site itself reports (the edge's link, its device
 * list, its access events and alarms), never for what was merely sent. Returns the checklist.
 */
export async function onboardSite(o: OnboardOptions): Promise<Checklist> {
  const { plan, admin, say } = o;
  const site = `/api/v1/sites/${plan.id}`;
  const list = new Checklist(say);
  const testMember = onboardingTestMemberId(plan.id);
  const doorZone = plan.devices.find((d) => d.id === plan.acceptance.doorId)!.zoneId;
  const steps: Array<() => Promise<string>> = [
    async () => {
      const r = await admin.call('POST', '/api/v1/sites', { id: plan.id, name: plan.name, lat: plan.lat, lng: plan.lng, timezone: plan.timezone, ...(plan.address ? { address: plan.address } : {}) });
      if (r.status === 201) return `${plan.id} (${plan.name}) at ${plan.lat}, ${plan.lng}`;
      if (r.status === 409 && o.resume) return `${plan.id} exists already (--resume)`;
      throw new Error(r.status === 409 ? `${plan.id} exists already; re-run with --resume to continue its onboarding` : `HTTP ${r.status} ${JSON.stringify(r.body)}`);
    },
    async () => {
      for (const z of plan.zones) await admin.expect([200], 'PUT', `${site}/zones/${z.id}`, { name: z.name });
      return plan.zones.map((z) => z.id).join(', ');
    },
    async () => {
      const issued = await admin.expect<{ token: string; expiresAt: number }>([201], 'POST', `${site}/edge-tokens`);
      await o.onEdgeToken?.(issued.token);
      say(`  run on the gateway: npm run edge -- --site ${plan.id} --cloud ${admin.baseUrl} --token <the token> --commissioning`);
      return `expires ${new Date(issued.expiresAt).toISOString()}`;
    },
    async () => {
      await waitFor(() => 'the gateway has not connected', async () => ((await admin.expect<SiteView>([200], 'GET', site)).online ? true : undefined), o.waitMs);
      return 'linked to the cloud';
    },
    async () => {
      let seen: DeviceView[] = [];
      const missing = () => plan.devices.filter((d) => !seen.some((s) => s.id === d.id)).map((d) => d.id);
      await waitFor(
        () => `still missing ${missing().join(', ')}`,
        async () => {
          seen = await admin.expect<DeviceView[]>([200], 'GET', `${site}/devices`);
          return missing().length === 0 ? true : undefined;
        },
        o.waitMs,
      );
      return `${plan.devices.length} of ${plan.devices.length} announced (${seen.length} in all)`;
    },
    async () => {
      const seen = await admin.expect<DeviceView[]>([200], 'GET', `${site}/devices`);
      let changed = 0;
      for (const d of plan.devices) {
        const now = seen.find((s) => s.id === d.id);
        if (now?.approval === 'approved' && now.zoneId === d.zoneId) continue;
        await admin.expect([200], 'POST', `${site}/devices/${d.id}/approve`, { zoneId: d.zoneId });
        changed += 1;
      }
      return `${plan.devices.length} in their zones (${changed} approved or moved now)`;
    },
    async () => {
      await admin.expect([200, 201], 'PUT', `/api/v1/members/${testMember}`, onboardingTestMember({ card: plan.acceptance.card, zoneIds: [doorZone] }));
      const since = Date.now();
      say(`  swipe the test card ${plan.acceptance.card} at ${plan.acceptance.readerId}`);
      const granted = await waitFor(
        () => `no granted swipe of the test card at ${plan.acceptance.readerId}`,
        async () => {
          const page = await admin.expect<{ items: ReportedEvent[] }>([200], 'GET', `${site}/events?type=access.granted&from=${since - 5_000}&limit=50`);
          return testSwipeOf(page.items, testMember, since - 5_000, plan.acceptance.readerId);
        },
        o.waitMs,
      );
      return `granted at ${new Date(granted.ts).toISOString()}`;
    },
    async () => {
      if (!o.operator) throw new Error('needs an HQ operator or the site manager: --operator-email (admins do not move doors)');
      const results: string[] = [];
      for (const action of ['unlock', 'lock'] as const) {
        const cmd = await o.operator.expect<{ id: string }>([202], 'POST', `${site}/doors/${plan.acceptance.doorId}/commands`, { action, reason: ONBOARDING_TEST_REASON });
        const done = await waitFor(
          () => `${action} of ${plan.acceptance.doorId} not confirmed by the door`,
          async () => {
            const s = await o.operator!.expect<{ status: string; error?: string }>([200], 'GET', `/api/v1/commands/${cmd.id}`);
            if (['failed', 'expired', 'rejected'].includes(s.status)) throw new Error(`${action}: ${s.status}${s.error ? ` (${s.error})` : ''}`);
            return s.status === 'executed' ? s : undefined;
          },
          Math.min(o.waitMs, 30_000),
          200,
        );
        results.push(`${action} ${done.status}`);
      }
      return results.join(', ');
    },
    async () => {
      const since = Date.now();
      say('  trip a test alarm: open a door without a badge, or press the fire panel test');
      const alarm = await waitFor(
        () => 'no alarm from the site',
        async () => {
          const alerts = await admin.expect<Array<{ id: string; type: string; raisedAt: number }>>([200], 'GET', `/api/v1/alerts?siteId=${plan.id}`);
          return testAlarmOf(alerts, since - 5_000);
        },
        o.waitMs,
      );
      return `${alarm.type} raised and shown`;
    },
  ];
  for (let i = 0; i < steps.length; i++) if (!(await list.step(STEPS[i]!, steps[i]!))) break;
  // The test card opens nothing once the test is over.
  await admin.call('PUT', `/api/v1/members/${testMember}`, onboardingTestMember({ card: plan.acceptance.card, zoneIds: [], active: false })).catch(() => undefined);
  return list;
}
