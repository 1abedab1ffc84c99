import { useRef, useState } from 'react';
import type { Translate } from '../../i18n/i18n';
import { useAdminAction } from '../admin/use-admin-action';
import { ConfirmDialog } from './ConfirmDialog';

interface Ask {
  title: string;
  question: string;
  confirm: string;
  /** the change; resolves with the line that says it was done */
  run: () => Promise<string>;
}

/**
 * An admin action that asks first (remove a channel, end a silence). A refusal stays in the dialog;
 * closing it returns the focus to the button that opened it.
 */
export function useConfirmedAction(t: Translate) {
  const action = useAdminAction(t);
  const [asked, setAsked] = useState<Ask>();
  const opener = useRef<HTMLElement | null>(null);
  const close = (): void => {
    setAsked(undefined);
    opener.current?.focus();
  };
  const ask = (a: Ask): void => {
    opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setAsked(a);
  };
  const dialog = asked && (
    <ConfirmDialog
      title={asked.title}
      question={asked.question}
      confirm={asked.confirm}
      busy={action.busy}
      error={action.error}
      onConfirm={() => void action.run(asked.run).then((ok) => ok && close())}
      onClose={close}
    />
  );
  return { ask, dialog, busy: action.busy, done: action.done, error: asked ? undefined : action.error };
}
