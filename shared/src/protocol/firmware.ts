import { z } from 'zod';
import { idSchema } from '../ids';
import { importPublicKey } from '../auth/token';

/**
 * Firmware rollouts (CONTRACT.md §6): the cloud signs one manifest per device, the edge verifies it
 * with the cloud's pinned key before offering it on `devices/{id}/ota`, the device reports on
 * `devices/{id}/ota/progress`.
 */
export const OTA_PROGRESS_STATES = ['downloading', 'installing', 'done', 'failed'] as const;
export const ROLLOUT_DEVICE_STATES = ['queued', 'sent', 'downloading', 'installing', 'done', 'failed', 'skipped'] as const;
export type RolloutDeviceState = (typeof ROLLOUT_DEVICE_STATES)[number];

const version = z.string().min(1).max(60);
const url = z.string().url().max(2000).refine((u) => /^https?:\/\//.test(u), 'url must be http(s)');
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'sha256 must be 64 lowercase hex digits');

/** What the cloud signs for one device of one rollout. */
export const firmwareManifestSchema = z.object({ rolloutId: z.string().min(1).max(64), deviceId: idSchema, version, url, sha256 });
export type FirmwareManifest = z.infer<typeof firmwareManifestSchema>;

/** Edge → device offer on `devices/{deviceId}/ota` (`id` is the rollout's). */
export const otaOfferSchema = z.object({ id: z.string().min(1).max(64), version, url, sha256 });
export type OtaOffer = z.infer<typeof otaOfferSchema>;

/** Device → edge on `devices/{deviceId}/ota/progress`. */
export const otaProgressSchema = z.strictObject({
  id: z.string().min(1).max(64),
  state: z.enum(OTA_PROGRESS_STATES),
  progress: z.number().finite().min(0).max(100).optional(),
  error: z.string().max(200).optional(),
});
export type OtaProgress = z.infer<typeof otaProgressSchema>;

/** Parses a progress payload's bytes; undefined for anything that is not a valid report (never throws). */
export function parseOtaProgress(payload: Uint8Array): OtaProgress | undefined {
  try {
    const parsed = otaProgressSchema.safeParse(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload)));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Domain separation: a manifest signature can never pass for a token or a key-rotation proof. */
const PREFIX = 'cr-firmware-manifest/v1\n';
const utf8 = new TextEncoder();
const ED25519 = { name: 'Ed25519' } as const;

function canonicalManifest(m: FirmwareManifest): Uint8Array<ArrayBuffer> {
  return utf8.encode(PREFIX + JSON.stringify([m.rolloutId, m.deviceId, m.version, m.url, m.sha256]));
}

function base64url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The cloud's Ed25519 signature (base64url) over a manifest. */
export async function signFirmwareManifest(privateKey: CryptoKey, m: FirmwareManifest): Promise<string> {
  return base64url(new Uint8Array(await crypto.subtle.sign(ED25519, privateKey, canonicalManifest(m))));
}

/** Whether `signature` is the holder of `publicJwk`'s signature over `m`; false for any malformed input. */
export async function verifyFirmwareManifest(publicJwk: Record<string, unknown>, m: FirmwareManifest, signature: string): Promise<boolean> {
  try {
    const key = await importPublicKey(publicJwk as JsonWebKey);
    const bin = atob(signature.replace(/-/g, '+').replace(/_/g, '/'));
    return await crypto.subtle.verify(ED25519, key, Uint8Array.from(bin, (c) => c.charCodeAt(0)), canonicalManifest(m));
  } catch {
    return false;
  }
}
