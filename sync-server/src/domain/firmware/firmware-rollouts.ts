import { randomUUID } from 'node:crypto';
import { SAFETY_KINDS, signFirmwareManifest, type EdgeToCloud, type UserPrincipal } from '@cr/shared';
import type { LinkHub } from '../../edge-link/link-hub';
import type { SiteDevices } from '../site-devices';
import type { AuditPort, FirmwareRolloutsPort } from '../../store/ports';
import type { RolloutRecord } from '../../store/firmware-rollouts-store';
import type { CloudLog } from '../../log';
import { ApiError, notFound } from '../errors';
import { auditAdminChange } from '../audit/admin-audit';
import { applyProgress, markSent, planRollout } from './rollout-plan';

/** What a tenant admin asks for (validated by the route). */
export interface RolloutRequest {
  deviceIds: string[];
  version: string;
  url: string;
  sha256: string;
  batchSize: number;
  maxFailures: number;
  /** seconds between the end of one batch and the start of the next */
  batchWaitSec?: number;
}

export interface FirmwareRolloutDeps {
  store: FirmwareRolloutsPort;
  hub: Pick<LinkHub, 'deliver'>;
  devices: Pick<SiteDevices, 'reported'>;
  audit: AuditPort;
  /** the cloud's signing key, which every edge pins (welcome) and verifies manifests with */
  privateKey: CryptoKey;
  log: CloudLog;
  /** whether a maintenance window of the site (or of the device) is open now; doors, readers and fire panels wait for one */
  inMaintenance: (tenantId: string, siteId: string, deviceId: string, now: number) => Promise<boolean>;
}

/** Why a door, reader or fire panel waits. */
export const OUTSIDE_MAINTENANCE = 'doors, readers and fire panels are updated only inside a maintenance window of the site';

type Progress = Extract<EdgeToCloud, { type: 'firmware.progress' }>;

/**
 * Firmware rollouts (CONTRACT.md §6): records in the store, driven batch by batch. Each step reads
 * the record, plans it (rollout-plan.ts), sends signed manifests over the site's edge link and
 * writes it back; steps of one rollout run one after another in this instance. `tick` (the
 * background job, run by the holder of the `firmware-rollouts` lease) resumes rollouts after a
 * restart and retries batches whose edge was offline.
 */
export class FirmwareRollouts {
  private readonly chains = new Map<string, Promise<unknown>>();

  constructor(private readonly deps: FirmwareRolloutDeps) {}

  async create(user: UserPrincipal, siteId: string, req: RolloutRequest, source: string): Promise<RolloutRecord> {
    const known = new Set((this.deps.devices.reported(user.tenantId, siteId) ?? []).map((d) => d.id));
    const unknown = req.deviceIds.filter((id) => !known.has(id));
    if (unknown.length > 0) throw new ApiError(400, 'unknown-device', `not devices of site ${siteId} as its edge reported them: ${unknown.slice(0, 10).join(', ')}`);
    const now = Date.now();
    const rollout: RolloutRecord = {
      id: randomUUID(),
      tenantId: user.tenantId,
      siteId,
      version: req.version,
      url: req.url,
      sha256: req.sha256,
      batchSize: req.batchSize,
      maxFailures: req.maxFailures,
      ...(req.batchWaitSec ? { batchWaitSec: req.batchWaitSec } : {}),
      state: 'running',
      createdBy: user.userId,
      createdAt: now,
      updatedAt: now,
      devices: req.deviceIds.map((deviceId) => ({ deviceId, state: 'queued' as const })),
    };
    await this.deps.store.insert(rollout);
    await auditAdminChange(this.deps.audit, user, {
      action: 'firmware.rollout',
      target: siteId,
      siteId,
      source,
      details: { rolloutId: rollout.id, version: req.version, sha256: req.sha256, devices: req.deviceIds.length, batchSize: req.batchSize, maxFailures: req.maxFailures },
    });
    await this.step(user.tenantId, rollout.id);
    return (await this.deps.store.byId(user.tenantId, rollout.id)) ?? rollout;
  }

  async get(tenantId: string, id: string): Promise<RolloutRecord> {
    const r = await this.deps.store.byId(tenantId, id);
    if (!r) throw notFound('firmware rollout');
    return r;
  }

  /** A device's progress as its site's edge reported it; only for a rollout of that same site (threat: an edge settling another site's rollout). */
  async progress(tenantId: string, siteId: string, msg: Progress): Promise<void> {
    await this.serially(msg.rolloutId, async () => {
      const r = await this.deps.store.byId(tenantId, msg.rolloutId);
      if (!r || r.siteId !== siteId) return;
      const next = applyProgress(r, msg.deviceId, msg.state, msg.error, Date.now());
      if (next) await this.advance(next);
    });
  }

  /** Resumes every running rollout one step (the background job). */
  async tick(): Promise<void> {
    for (const r of await this.deps.store.running()) await this.step(r.tenantId, r.id);
  }

  private step(tenantId: string, id: string): Promise<void> {
    return this.serially(id, async () => {
      const r = await this.deps.store.byId(tenantId, id);
      if (r) await this.advance(r, false);
    });
  }

  /** Plans, sends the manifests it calls for, stores the result. */
  private async advance(r: RolloutRecord, changed = true): Promise<void> {
    const now = Date.now();
    const held = await this.heldOutsideMaintenance(r, now);
    const { rollout, send } = planRollout(r, now, { holdReason: (id) => (held.has(id) ? OUTSIDE_MAINTENANCE : undefined) });
    const sent: string[] = [];
    for (const deviceId of send) if (await this.sendManifest(rollout, deviceId)) sent.push(deviceId);
    const final = sent.length > 0 ? markSent(rollout, sent, Date.now()) : rollout;
    if (changed || final !== r) await this.deps.store.save(final);
    if (final.state !== r.state) this.deps.log.info({ rolloutId: r.id, siteId: r.siteId }, `firmware rollout ${r.id}: ${final.state}`);
  }

  /** Queued doors, readers and fire panels of the rollout that no open maintenance window covers now. */
  private async heldOutsideMaintenance(r: RolloutRecord, now: number): Promise<Set<string>> {
    const held = new Set<string>();
    if (r.state !== 'running') return held;
    const kinds = new Map((this.deps.devices.reported(r.tenantId, r.siteId) ?? []).map((d) => [d.id, d.kind]));
    for (const d of r.devices) {
      const kind = kinds.get(d.deviceId);
      // A device the edge no longer lists is treated as the safety device it may be.
      if (d.state !== 'queued' || (kind !== undefined && !SAFETY_KINDS.has(kind))) continue;
      if (!(await this.deps.inMaintenance(r.tenantId, r.siteId, d.deviceId, now))) held.add(d.deviceId);
    }
    return held;
  }

  /** Whether the edge took it; an offline edge leaves the device queued for a later step. */
  private async sendManifest(r: RolloutRecord, deviceId: string): Promise<boolean> {
    const manifest = { rolloutId: r.id, deviceId, version: r.version, url: r.url, sha256: r.sha256 };
    const signature = await signFirmwareManifest(this.deps.privateKey, manifest);
    const delivery = await this.deps.hub.deliver(r.tenantId, r.siteId, { type: 'firmware.update', manifest, signature });
    return delivery === 'sent' || delivery === 'unconfirmed';
  }

  private serially<T>(id: string, task: () => Promise<T>): Promise<T> {
    const run = (this.chains.get(id) ?? Promise.resolve()).catch(() => undefined).then(task);
    this.chains.set(id, run);
    void run.finally(() => this.chains.get(id) === run && this.chains.delete(id)).catch(() => undefined);
    return run;
  }
}
