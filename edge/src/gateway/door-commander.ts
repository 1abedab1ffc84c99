import { randomUUID } from 'node:crypto';
import { DEFAULT_PULSE_MS, deviceTopic, type CommandResult, type DoorAction } from '@cr/shared';
import type { DeviceBus } from '../mqtt/bus';
import type { DoorSafety } from '../domain/door-safety';

export type DoorResult = { ok: true } | { ok: false; error: string; expired?: boolean };

interface Pending {
  doorId: string;
  action: DoorAction;
  resolve: (r: DoorResult) => void;
  timer: NodeJS.Timeout;
}

/**
 * Sends door commands over MQTT (`devices/{doorId}/cmd`) and matches `cmd/result` replies by id.
 * Every unlock or pulse also tells door safety that opening is legitimate, and every lock ends that.
 */
export class DoorCommander {
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly bus: DeviceBus,
    private readonly siteId: string,
    private readonly doors: DoorSafety,
    private readonly now: () => number,
  ) {}

  /** Fire-and-forget command (grants, fan-out); returns the command id. */
  send(doorId: string, action: DoorAction, reason: string, opts: { durationMs?: number; expiresAt?: number; id?: string } = {}): string {
    const now = this.now();
    const id = opts.id ?? randomUUID();
    const durationMs = action === 'pulse-unlock' ? (opts.durationMs ?? DEFAULT_PULSE_MS) : undefined;
    if (action === 'pulse-unlock') this.doors.authorize(doorId, now + (durationMs ?? 0));
    else if (action === 'unlock') this.doors.authorize(doorId, Number.MAX_SAFE_INTEGER);
    else this.doors.revoke(doorId);
    const cmd = { id, action, durationMs, reason: reason.slice(0, 500), expiresAt: opts.expiresAt ?? now + 10_000 };
    this.bus.publish(deviceTopic(this.siteId, doorId, 'cmd'), JSON.stringify(cmd), { qos: 1 });
    return id;
  }

  /** Sends a command and waits for the door's result until `expiresAt`. */
  execute(doorId: string, action: DoorAction, reason: string, expiresAt: number, durationMs?: number, id: string = randomUUID()): Promise<DoorResult> {
    const wait = Math.max(0, expiresAt - this.now());
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve({ ok: false, error: 'door did not confirm before the command expired', expired: true });
      }, wait);
      this.pending.set(id, { doorId, action, resolve, timer });
      this.send(doorId, action, reason, { durationMs, expiresAt, id });
    });
  }

  /** A `cmd/result` from a device; unknown ids (grants nobody waits for) are ignored. */
  onResult(fromDeviceId: string, result: CommandResult): void {
    const p = this.pending.get(result.id);
    // Threat: another device confirming (or failing) a command sent to this door.
    if (!p || p.doorId !== fromDeviceId) return;
    this.pending.delete(result.id);
    clearTimeout(p.timer);
    if (result.ok) this.doors.confirmed(fromDeviceId, p.action);
    p.resolve(result.ok ? { ok: true } : { ok: false, error: result.error ?? 'door reported failure' });
  }

  close(): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.resolve({ ok: false, error: 'edge shutting down' });
      this.pending.delete(id);
    }
  }
}
