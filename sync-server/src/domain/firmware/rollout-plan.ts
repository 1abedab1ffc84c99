import type { RolloutDeviceState } from '@cr/shared';
import type { RolloutRecord } from '../../store/firmware-rollouts-store';

const TERMINAL: readonly RolloutDeviceState[] = ['done', 'failed', 'skipped'];
const IN_FLIGHT: readonly RolloutDeviceState[] = ['sent', 'downloading', 'installing'];
/** The order a device's update moves in; a report never moves it back (a late `downloading` after `installing`). */
const RANK: Record<RolloutDeviceState, number> = { queued: 0, sent: 1, downloading: 2, installing: 3, done: 4, failed: 4, skipped: 4 };

/** How long a device that was sent a manifest has to finish (a door held back by a long lockdown fails after it). */
export const ANSWER_TIMEOUT_MS = 30 * 60_000;

/**
 * The next step of a rollout, as a pure function of its record: aborted once more than
 * `maxFailures` devices failed (every device not yet sent skipped, so it never receives the
 * update), done once every device ended, otherwise the next `batchSize` queued devices to send
 * when nothing of the current batch is still in flight. Returns the record to store and the
 * devices to send a manifest to now.
 */
export function planRollout(r: RolloutRecord, now: number, opts: PlanOptions = {}): { rollout: RolloutRecord; send: string[] } {
  const answerTimeoutMs = opts.answerTimeoutMs ?? ANSWER_TIMEOUT_MS;
  if (r.state !== 'running') return { rollout: r, send: [] };
  // A device that went silent (offline, or rebooted into a broken image) must not hold the rollout forever.
  const silent = (d: RolloutRecord['devices'][number]) => IN_FLIGHT.includes(d.state) && d.sentAt !== undefined && now - d.sentAt > answerTimeoutMs;
  if (r.devices.some(silent)) {
    const error = `no answer within ${Math.round(answerTimeoutMs / 60_000)} min`;
    r = { ...r, updatedAt: now, devices: r.devices.map((d) => (silent(d) ? { deviceId: d.deviceId, state: 'failed' as const, error } : d)) };
  }
  const failed = r.devices.filter((d) => d.state === 'failed').length;
  if (failed > r.maxFailures) {
    const devices = r.devices.map((d) => (d.state === 'queued' ? { ...d, state: 'skipped' as const } : d));
    return { rollout: { ...r, state: 'aborted', devices, updatedAt: now }, send: [] };
  }
  if (r.devices.every((d) => TERMINAL.includes(d.state))) return { rollout: { ...r, state: 'done', updatedAt: now }, send: [] };
  if (r.devices.some((d) => IN_FLIGHT.includes(d.state))) return { rollout: waiting(r, undefined), send: [] };
  // A batch ended: the next waits `batchWaitSec` after the last change (the batch's last answer).
  const waitMs = (r.batchWaitSec ?? 0) * 1000;
  if (waitMs > 0 && r.devices.some((d) => d.state !== 'queued') && now - r.updatedAt < waitMs)
    return { rollout: waiting(r, `next batch at ${new Date(r.updatedAt + waitMs).toISOString()}`), send: [] };
  const batch = r.devices.filter((d) => d.state === 'queued').slice(0, r.batchSize).map((d) => d.deviceId);
  const held = batch.filter((id) => opts.holdReason?.(id) !== undefined);
  const send = batch.filter((id) => !held.includes(id));
  return { rollout: waiting(r, held.length > 0 ? `${held.join(', ')}: ${opts.holdReason!(held[0]!)}` : undefined), send };
}

export interface PlanOptions {
  answerTimeoutMs?: number;
  /** why a queued device may not be sent its update now (undefined: it may) */
  holdReason?: (deviceId: string) => string | undefined;
}

/** The record with `why` it waits (unchanged, same object, when that is what it says already). */
function waiting(r: RolloutRecord, why: string | undefined): RolloutRecord {
  if (r.waiting === why) return r;
  const { waiting: _old, ...rest } = r;
  return why === undefined ? rest : { ...r, waiting: why };
}

/** A device's reported state applied to a rollout: forward moves only, never for a device already ended. */
export function applyProgress(r: RolloutRecord, deviceId: string, state: RolloutDeviceState, error: string | undefined, now: number): RolloutRecord | undefined {
  const current = r.devices.find((d) => d.deviceId === deviceId);
  // Threat: a late or replayed report re-opening a device that was skipped or already settled. An
  // aborted rollout still records how the devices already sent end.
  if (!current || current.state === 'queued' || TERMINAL.includes(current.state)) return undefined;
  if (RANK[state] <= RANK[current.state]) return undefined;
  const devices = r.devices.map((d) => (d.deviceId === deviceId ? { ...d, state, ...(error ? { error } : {}) } : d));
  return { ...r, devices, updatedAt: now };
}

/** Marks devices whose manifest went out as `sent`. */
export function markSent(r: RolloutRecord, deviceIds: readonly string[], now: number): RolloutRecord {
  const sent = new Set(deviceIds);
  return { ...r, updatedAt: now, devices: r.devices.map((d) => (sent.has(d.deviceId) && d.state === 'queued' ? { ...d, state: 'sent' as const, sentAt: now } : d)) };
}
