import type { DoorAction, SiteMode } from '@cr/shared';

/** What a confirmation is about: a door of a site, or the mode of a whole site. */
export type CommandTarget =
  | { kind: 'door'; siteId: string; siteName: string; doorId: string; doorName: string; action?: DoorAction }
  | { kind: 'mode'; siteId: string; siteName: string; mode: SiteMode };

/** A reason is required for every command; it goes to the audit log. */
export const MIN_REASON_LENGTH = 3;
export const isReasonValid = (reason: string): boolean => reason.trim().length >= MIN_REASON_LENGTH;

/** Pulse duration as typed (seconds) → milliseconds within the contract's bounds, or undefined when invalid. */
export function pulseMs(seconds: string): number | undefined {
  const n = Number(seconds);
  if (!Number.isFinite(n) || n < 1 || n > 300) return undefined;
  return Math.round(n * 1000);
}
