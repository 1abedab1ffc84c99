import { z } from 'zod';
import { idSchema } from '../ids';
import { parseClock } from '../time';
import { siteModeSchema } from '../protocol/site-mode';

const clock = z.string().refine((v) => parseClock(v) !== undefined && v !== '24:00', 'must be HH:MM between 00:00 and 23:59');

/** What starts a scenario: zone presence held for a while, a time of day, a mode change, an alert. */
export const scenarioTriggerSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('zone-empty'), zoneId: idSchema, forMin: z.number().int().min(0).max(24 * 60) }),
  z.strictObject({ kind: z.literal('zone-occupied'), zoneId: idSchema, forMin: z.number().int().min(0).max(24 * 60) }),
  z.strictObject({ kind: z.literal('time'), at: clock, days: z.array(z.number().int().min(0).max(6)).min(1).max(7).optional() }),
  z.strictObject({ kind: z.literal('mode'), mode: siteModeSchema }),
  z.strictObject({ kind: z.literal('alert'), type: z.string().min(1).max(60) }),
]);
export type ScenarioTrigger = z.infer<typeof scenarioTriggerSchema>;

/** What must also hold when the trigger fires. */
export const scenarioConditionSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('site-open') }),
  z.strictObject({ kind: z.literal('site-closed') }),
  z.strictObject({ kind: z.literal('mode'), mode: siteModeSchema }),
]);
export type ScenarioCondition = z.infer<typeof scenarioConditionSchema>;

/** The modes a scenario may put the site in. */
export const AUTOMATION_MODES = ['normal', 'secure'] as const;

/** What a scenario does: switch a light or HVAC unit, change the site's mode, tell people. */
export const scenarioActionSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('device'),
    deviceId: idSchema,
    action: z.enum(['on', 'off', 'set']),
    value: z.union([z.number(), z.string().max(60)]).optional(),
  }),
  /** automation may switch between normal and secure only: lockdown and emergency-unlock stay people's decisions */
  z.strictObject({ kind: z.literal('mode'), mode: z.enum(AUTOMATION_MODES) }),
  z.strictObject({ kind: z.literal('notify'), message: z.string().min(1).max(500) }),
  /** waits before the next action (a run in progress is what `mode` below is about) */
  z.strictObject({ kind: z.literal('wait'), minutes: z.number().min(0).max(24 * 60) }),
]);
export type ScenarioAction = z.infer<typeof scenarioActionSchema>;

/**
 * How a scenario behaves when it fires again while it still runs: `single` ignores the new run,
 * `restart` abandons the running one for the new one, `queued` runs them one after the other.
 */
export const SCENARIO_RUN_MODES = ['single', 'restart', 'queued'] as const;

/** An automation of the site, run by its edge from memory. */
export const scenarioSchema = z.strictObject({
  id: idSchema,
  trigger: scenarioTriggerSchema,
  conditions: z.array(scenarioConditionSchema).max(10).optional(),
  actions: z.array(scenarioActionSchema).min(1).max(20),
  mode: z.enum(SCENARIO_RUN_MODES).optional(),
  /** a scenario firing more often than this in the last hour is skipped (a flapping sensor must not flicker the lights) */
  maxRunsPerHour: z.number().int().min(1).max(3600).optional(),
});
export type Scenario = z.infer<typeof scenarioSchema>;
