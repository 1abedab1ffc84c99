import { z } from 'zod';

/** Site modes (DESIGN.md offline rules). */
export const SITE_MODES = ['normal', 'secure', 'lockdown', 'emergency-unlock'] as const;
export const siteModeSchema = z.enum(SITE_MODES);
export type SiteMode = z.infer<typeof siteModeSchema>;
