/** `device`: the id is a device's own and is checked against replays; `edge`: a fresh id minted here. */
export type EventOrigin = 'edge' | 'device';

export interface HeldEvent {
  id: string;
  body: string;
  origin: EventOrigin;
}

/**
 * Events whose commit failed (disk full, I/O error), kept in memory in arrival order until the disk
 * takes them again. Bounded: past `capacity` an event is refused rather than growing without limit.
 * Device event ids are indexed so a replay of a held event is still recognised.
 */
export class HeldEvents {
  private events: HeldEvent[] = [];
  private readonly deviceIds = new Set<string>();

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.events.length;
  }

  has(deviceEventId: string): boolean {
    return this.deviceIds.has(deviceEventId);
  }

  /** Keeps the event; false when memory is full too. */
  hold(event: HeldEvent): boolean {
    if (this.events.length >= this.capacity) return false;
    this.events.push(event);
    if (event.origin === 'device') this.deviceIds.add(event.id);
    return true;
  }

  /** Hands every held event over for a commit attempt. */
  take(): HeldEvent[] {
    const taken = this.events;
    this.events = [];
    for (const e of taken) if (e.origin === 'device') this.deviceIds.delete(e.id);
    return taken;
  }

  /** A commit attempt failed: the events go back in front of anything held since. */
  restore(events: HeldEvent[]): void {
    this.events = [...events, ...this.events];
    for (const e of events) if (e.origin === 'device') this.deviceIds.add(e.id);
  }
}
