import { z } from 'zod';
import { Store } from './store';

/** Per-console preferences, kept in localStorage. */
export const settingsSchema = z.object({
  lang: z.enum(['ko', 'en']).catch('ko'),
  muted: z.boolean().catch(false),
  /** http base URL of a site's edge on the LAN, per site id */
  edges: z.record(z.string(), z.string()).catch({}),
  /** send door commands to the edge even while the cloud is reachable */
  preferLan: z.boolean().catch(false),
});
export type Settings = z.infer<typeof settingsSchema>;

const KEY = 'cr.settings';
export const DEFAULT_SETTINGS: Settings = { lang: 'ko', muted: false, edges: {}, preferLan: false };

/** An edge address as typed by a person: http(s)://host[:port], nothing else. */
export const edgeUrlSchema = z
  .string()
  .trim()
  .regex(/^https?:\/\/[a-zA-Z0-9.-]+(:\d{1,5})?\/?$/, 'http://address:port')
  .transform((u) => u.replace(/\/+$/, ''));

export class SettingsStore extends Store<Settings> {
  constructor(private readonly storage: Storage | undefined) {
    let saved: Settings = DEFAULT_SETTINGS;
    try {
      const raw = storage?.getItem(KEY);
      if (raw) saved = settingsSchema.parse({ ...DEFAULT_SETTINGS, ...JSON.parse(raw) });
    } catch {
      saved = DEFAULT_SETTINGS;
    }
    super(saved);
  }

  override set(next: Settings): void {
    super.set(next);
    try {
      this.storage?.setItem(KEY, JSON.stringify(next));
    } catch {
      // storage disabled: settings last for this session
    }
  }

  patch(p: Partial<Settings>): void {
    this.set({ ...this.get(), ...p });
  }
}
