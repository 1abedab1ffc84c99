import { dynamicKey, type Translate } from '../../i18n/i18n';
import type { NotifyProblem } from './notification-forms';

export const notifyProblemText = (p: NotifyProblem | undefined, t: Translate): string =>
  p ? t(dynamicKey('notify.problem', p)) : '';
