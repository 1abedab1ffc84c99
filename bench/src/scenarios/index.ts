import type { Scenario } from '../scenario';
import { merge } from './merge';
import { fire } from './fire';
import { access } from './access';
import { backlog } from './backlog';
import { ingest } from './ingest';
import { scale } from './scale';
import { fanout } from './fanout';
import { consoleScenario } from './console';
import { booking } from './booking';
import { policy } from './policy';

/** Every scenario, in the order `npm run bench` runs them. */
export const SCENARIOS: readonly Scenario[] = [access, fire, backlog, ingest, fanout, merge, scale, consoleScenario, booking, policy];
