import { describe, expect, it } from 'vitest';
import { Supervisor } from './supervisor';
import type { Service } from './processes';

/** A stand-in service whose exit the test controls (the supervisor only watches `exited`). */
function fakeService(name: string): Service & { exit: (code: number) => void } {
  let exit!: (code: number) => void;
  const exited = new Promise<number | string>((r) => (exit = r));
  return { spec: { name, entry: '', args: [], ready: [] }, exited, exit } as unknown as Service & { exit: (code: number) => void };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('Supervisor', () => {
  it('restarts a crashed child, then gives up after the limit', async () => {
    const gaveUp: string[] = [];
    const sup = new Supervisor((name) => gaveUp.push(name), 2);
    const started: Array<ReturnType<typeof fakeService>> = [];
    const restart = async () => {
      const s = fakeService('edge gangnam');
      started.push(s);
      return s;
    };
    const first = fakeService('edge gangnam');
    sup.watch(first, restart);
    first.exit(1);
    await tick();
    expect(started).toHaveLength(1);
    started[0]!.exit(1);
    await tick();
    expect(started).toHaveLength(2);
    started[1]!.exit(1);
    await tick();
    expect(started).toHaveLength(2);
    expect(gaveUp).toEqual(['edge gangnam']);
  });

  it('does nothing once the demo is shutting down', async () => {
    const sup = new Supervisor(() => {
      throw new Error('should not give up');
    });
    let restarts = 0;
    const s = fakeService('cloud');
    sup.watch(s, async () => (restarts++, fakeService('cloud')));
    sup.shutdown();
    s.exit(0);
    await tick();
    expect(restarts).toBe(0);
  });
});
