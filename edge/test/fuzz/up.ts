import { setTimeout as sleep } from 'node:timers/promises';
import type { EdgeTarget } from './target';

/** Thrown into the lanes once the edge crashed more often than the run allows. */
export class EdgeGone extends Error {
  constructor() {
    super('the edge crashed and was not respawned');
  }
}

/** Waits while the edge is down between a crash and its respawn. */
export async function untilUp(target: EdgeTarget): Promise<void> {
  while (!target.alive) {
    if (target.gaveUp) throw new EdgeGone();
    // The exit event and the respawn promise arrive a tick apart: poll briefly rather than spin.
    await Promise.race([target.ready(), sleep(50)]);
  }
}
