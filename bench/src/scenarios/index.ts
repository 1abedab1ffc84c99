import type { Scenario } from '../scenario';
import { merge } from './merge';
import { fire } from './fire';
import { access } from './access';

/** Every scenario, in the order `npm run bench` runs them. */
export const SCENARIOS: readonly Scenario[] = [access, fire, merge];
