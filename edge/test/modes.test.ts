import { afterEach, describe, expect, it } from 'vitest';
import { startScenario, setMode, remoteCommand, type Scenario } from './support/scenario';
import { waitFor } from './support/wait';

async function registerDoors(s: Scenario, n: number): Promise<string[]> {
  const ids = Array.from({ length: n }, (_, i) => `door-${i}`);
  await Promise.all(ids.map((id) => s.devices.config({ id, kind: 'door', name: id, zoneId: 'lobby' })));
  await waitFor(() => s.edge.ctx.registry.doorIds().length === n, 'doors registered');
  return ids;
}

const commandsTo = (s: Scenario, doorId: string, action: string) => s.devices.commandsFor(doorId).filter((c) => c.action === action);

describe('site modes are enforced on every door', () => {
  let s: Scenario;
  afterEach(() => s.close());

  it('reports a lockdown as executed only when every reachable door confirmed, and names the doors that did not', async () => {
    s = await startScenario();
    await registerDoors(s, 5);
    await s.devices.availability('door-4', 'offline');
    await waitFor(() => s.edge.ctx.registry.get('door-4')?.reportedOnline === false, 'door-4 offline');
    s.devices.silent.add('door-1');
    s.devices.silent.add('door-2');
    const outcome = await setMode(s, 'lockdown', { expiresAt: Date.now() + 1_500 });
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toMatch(/lockdown is in force, but 2 of 5 doors did not confirm: door-1 \(no-answer\), door-2 \(no-answer\)/);
    expect(Object.fromEntries((outcome.doors ?? []).map((d) => [d.doorId, d.result]))).toEqual({
      'door-0': 'confirmed',
      'door-1': 'no-answer',
      'door-2': 'no-answer',
      'door-3': 'confirmed',
      'door-4': 'offline',
    });
    expect(s.edge.ctx.modes.mode).toBe('lockdown');
    for (const id of ['door-0', 'door-1', 'door-2', 'door-3', 'door-4']) expect(commandsTo(s, id, 'lock')).toHaveLength(1);

    s.devices.silent.clear();
    const back = await setMode(s, 'emergency-unlock');
    expect(back).toMatchObject({ status: 'executed' });
    expect(back.doors?.filter((d) => d.result === 'confirmed')).toHaveLength(4);
  });

  it('corrects at once a door whose state contradicts the mode, and one that comes back online', async () => {
    s = await startScenario();
    await registerDoors(s, 2);
    expect(await setMode(s, 'lockdown')).toMatchObject({ status: 'executed' });
    const locksBefore = commandsTo(s, 'door-0', 'lock').length;
    // Someone turns the lock by hand (or the lock restarts unlocked).
    await s.devices.state('door-0', { locked: false, open: false });
    await waitFor(() => commandsTo(s, 'door-0', 'lock').length === locksBefore + 1, 'door-0 locked again');
    // A lock that was offline during the lockdown comes back.
    await s.devices.availability('door-1', 'offline');
    await waitFor(() => s.edge.ctx.registry.get('door-1')?.reportedOnline === false, 'door-1 offline');
    const door1Locks = commandsTo(s, 'door-1', 'lock').length;
    await s.devices.availability('door-1', 'online');
    await waitFor(() => commandsTo(s, 'door-1', 'lock').length === door1Locks + 1, 'door-1 locked on its return');
    // A person's unlock during a lockdown stands: it is not "corrected".
    const unlock = remoteCommand(s.siteId, { kind: 'door', doorId: 'door-0', action: 'unlock' });
    s.cloud.command(unlock);
    await waitFor(() => s.cloud.outcomes.find((o) => o.commandId === unlock.id && o.status === 'executed'), 'unlock executed');
    const locks = commandsTo(s, 'door-0', 'lock').length;
    await s.devices.state('door-0', { locked: false, open: true });
    await new Promise((r) => setTimeout(r, 300));
    expect(commandsTo(s, 'door-0', 'lock')).toHaveLength(locks);
  });

  it('secure mode locks doors left unlocked; an emergency unlocks a door that reports locked', async () => {
    s = await startScenario();
    await registerDoors(s, 2);
    const unlock = remoteCommand(s.siteId, { kind: 'door', doorId: 'door-0', action: 'unlock' });
    s.cloud.command(unlock);
    await waitFor(() => s.cloud.outcomes.find((o) => o.commandId === unlock.id), 'unlock done');
    await s.devices.state('door-0', { locked: false, open: false });
    expect(await setMode(s, 'secure')).toMatchObject({ status: 'executed' });
    expect(commandsTo(s, 'door-0', 'lock')).toHaveLength(1);
    expect(await setMode(s, 'emergency-unlock')).toMatchObject({ status: 'executed' });
    const unlocks = commandsTo(s, 'door-1', 'unlock').length;
    await s.devices.state('door-1', { locked: true, open: false });
    await waitFor(() => commandsTo(s, 'door-1', 'unlock').length === unlocks + 1, 'door-1 unlocked again');
  });
});
