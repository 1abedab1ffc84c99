import { z } from 'zod';

/** Door actions of CONTRACT.md §2. */
export const DOOR_ACTIONS = ['unlock', 'lock', 'pulse-unlock'] as const;
export const doorActionSchema = z.enum(DOOR_ACTIONS);
export type DoorAction = z.infer<typeof doorActionSchema>;

/** Default and bounds of a pulse-unlock. */
export const DEFAULT_PULSE_MS = 5_000;
export const MAX_PULSE_MS = 300_000;

/** `devices/{deviceId}/cmd` (edge → device). */
export const deviceCommandSchema = z.object({
  id: z.string().min(1).max(128),
  action: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/),
  durationMs: z.number().int().min(100).max(MAX_PULSE_MS).optional(),
  reason: z.string().max(500),
  expiresAt: z.number().int().nonnegative(),
});
export type DeviceCommand = z.infer<typeof deviceCommandSchema>;

/** `devices/{deviceId}/cmd/result` (device → edge). */
export const commandResultSchema = z.object({
  id: z.string().min(1).max(128),
  ok: z.boolean(),
  error: z.string().max(500).optional(),
  ts: z.number().int().nonnegative(),
});
export type CommandResult = z.infer<typeof commandResultSchema>;

/** Lifecycle of an operator's command (CONTRACT.md §3). */
export const COMMAND_STATUSES = ['pending', 'sent', 'executed', 'failed', 'expired', 'rejected'] as const;
export const commandStatusSchema = z.enum(COMMAND_STATUSES);
export type CommandStatus = z.infer<typeof commandStatusSchema>;

export function isFinalCommandStatus(status: CommandStatus): boolean {
  return status !== 'pending' && status !== 'sent';
}

/** Default time a command may take end to end before it expires; it never executes later. */
export const COMMAND_TTL_MS = 10_000;
