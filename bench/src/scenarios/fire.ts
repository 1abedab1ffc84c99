import { randomUUID } from 'node:crypto';
import { deviceChannelFilter, deviceTopic } from '@cr/shared';
import { startEdge } from '../harness/services';
import { tempDir } from '../harness/temp';
import { announce, connectDevice, publish, subscribe } from '../harness/mqtt';
import { nowMs, waitFor } from '../harness/wait';
import { atMost, info, type Scenario } from '../scenario';
import { round, summarize } from '../stats';

const DOORS = 150;
const TRIALS = 3;
const SITE = 'firebench';

/** One fresh edge with 150 doors and a fire panel: fire.alarm → time until every door got `unlock`. */
async function trial(n: number): Promise<number> {
  // Fire must work with or without the cloud: the edge runs on its own here, as during an internet outage.
  const edge = await startEdge(SITE, tempDir(`fire-${n}`));
  const panel = await connectDevice(edge.mqttUrl, `fire-panel-${n}`);
  const doors = await connectDevice(edge.mqttUrl, `doors-${n}`);
  try {
    const devices = Array.from({ length: DOORS }, (_, i) => ({ id: `door-${i + 1}`, kind: 'door', name: `Door ${i + 1}`, zoneId: `zone-${i % 10}` }));
    await announce(panel, SITE, [...devices, { id: 'fire-panel', kind: 'fire-panel', name: 'Fire panel', zoneId: 'zone-0' }]);
    await waitFor('all doors registered', async () => ((await (await fetch(`${edge.httpUrl}/health`)).json()) as { devices: number }).devices === DOORS + 1, 20_000);
    const unlocked = new Set<string>();
    let last = 0;
    doors.on('message', (topic, payload) => {
      const cmd = JSON.parse(payload.toString()) as { action: string };
      if (cmd.action !== 'unlock') return;
      unlocked.add(topic);
      if (unlocked.size === DOORS) last = nowMs();
    });
    await subscribe(doors, deviceChannelFilter(SITE, 'cmd'));
    const sent = nowMs();
    await publish(panel, deviceTopic(SITE, 'fire-panel', 'events'), JSON.stringify({ id: randomUUID(), type: 'fire.alarm', ts: Date.now() }));
    await waitFor(`${DOORS} unlock commands`, () => unlocked.size === DOORS, 10_000, 5);
    return last - sent;
  } finally {
    panel.end(true);
    doors.end(true);
    await edge.stop();
  }
}

export const fire: Scenario = {
  name: 'fire',
  title: 'fire alarm → unlock sent to every one of 150 doors',
  async run() {
    const times: number[] = [];
    for (let n = 0; n < TRIALS; n++) times.push(await trial(n));
    const s = summarize(times);
    return {
      ran: `${TRIALS} trials, each a fresh edge process (embedded broker, no cloud link) with ${DOORS} doors + 1 fire panel announced by retained config; fire.alarm published by the panel; clock stops when the ${DOORS}th distinct door's unlock is received by a subscriber on the broker`,
      figures: [atMost('time to last unlock (worst of 3)', round(s.max), 'ms', 200), info('time to last unlock (median)', round(s.p50), 'ms')],
      details: { trialsMs: times },
    };
  },
};
