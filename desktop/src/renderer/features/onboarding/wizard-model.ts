import { ACCEPTANCE_CHECKS, readyToGoLive, type AcceptanceCheck } from '@cr/shared';

/** The steps of a new site's onboarding, in order. */
export const WIZARD_STEPS = ['site', 'policy', 'zones', 'gateway', 'discovery', 'sync', 'acceptance'] as const;
export type WizardStep = (typeof WIZARD_STEPS)[number];

/**
 * Opening-hours templates. The cloud's sites carry no policy yet (CONTRACT.md §9 is not built), so
 * a template becomes the gateway's staffed hours (`--site-hours`, in the site's time zone): people
 * counted inside outside them raise an after-hours presence alarm. "24h" watches no hours.
 */
export const POLICY_TEMPLATES = ['office', '24h', 'custom'] as const;
export type PolicyTemplate = (typeof POLICY_TEMPLATES)[number];

export interface PolicyChoice {
  template: PolicyTemplate;
  /** custom hours, `HH:MM` */
  open: string;
  close: string;
}

export const DEFAULT_POLICY: PolicyChoice = { template: 'office', open: '08:00', close: '22:00' };

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** The gateway's `--site-hours` for a choice; undefined for "24h"; `bad-hours` when custom hours are not two different times. */
export function siteHoursOf(p: PolicyChoice): { hours?: string; problem?: 'bad-hours' } {
  if (p.template === '24h') return {};
  if (p.template === 'office') return { hours: '08:00-22:00' };
  if (!HHMM.test(p.open) || !HHMM.test(p.close) || p.open === p.close) return { problem: 'bad-hours' };
  return { hours: `${p.open}-${p.close}` };
}

/** Where each acceptance check stands: waiting for the site, passed (with what was seen), or not yet started. */
export type CheckState = { state: 'idle' } | { state: 'waiting' } | { state: 'passed'; detail: string; at: number };

export type Checks = Record<AcceptanceCheck, CheckState>;

export const NO_CHECKS: Checks = Object.fromEntries(ACCEPTANCE_CHECKS.map((c) => [c, { state: 'idle' }])) as Checks;

export const canGoLive = (checks: Checks): boolean =>
  readyToGoLive(Object.fromEntries(ACCEPTANCE_CHECKS.map((c) => [c, checks[c].state === 'passed'])));

/** Seconds, one decimal, as the go-live summary shows the time from "create site" to live. */
export const seconds = (ms: number): string => (ms / 1000).toFixed(1);

/** A test card number nobody else holds: the site, and a random part. */
export const testCardNumber = (siteId: string, random: () => number = Math.random): string =>
  `test-${siteId}-${Math.floor(random() * 1e6)
    .toString()
    .padStart(6, '0')}`.slice(0, 128);

/** Whether a step can be opened: the site step always; the rest once the site exists. */
export const stepOpen = (step: WizardStep, siteCreated: boolean): boolean => step === 'site' || siteCreated;
