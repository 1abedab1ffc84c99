import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { idSchema } from '@cr/shared';
import { isPasswordHash } from './password';

/** One MQTT login of the embedded broker: the devices it may speak for, or `*` for all of the site. */
export const deviceUserSchema = z.object({
  username: z.string().min(1).max(128),
  passwordHash: z.string().refine(isPasswordHash, 'passwordHash must be scrypt$N$r$p$salt$hash (see the README)'),
  deviceIds: z.union([z.literal('*'), z.array(idSchema).min(1).max(1000)]),
});
export type DeviceUser = z.infer<typeof deviceUserSchema>;

const usersFileSchema = z
  .array(deviceUserSchema)
  .min(1)
  .max(10_000)
  .refine((users) => new Set(users.map((u) => u.username)).size === users.length, 'usernames must be unique');

/** Reads and validates `--mqtt-users FILE`; throws one clear line on any problem. */
export function loadDeviceUsers(path: string): DeviceUser[] {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read ${path}: ${(err as Error).message.split('\n')[0]}`, { cause: err });
  }
  const parsed = usersFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${path}: ${issue?.path.join('.') || 'file'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}
