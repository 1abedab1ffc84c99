import { useEffect, useRef } from 'react';

/** A keyboard shortcut: `key` as KeyboardEvent.key ('?', 'a', 'Escape'…). */
export interface Shortcut {
  key: string;
  /** i18n key of the description shown in the help overlay */
  help: string;
  run: () => void;
  /** also fires while typing in a field (Escape) */
  inFields?: boolean;
}

const isTyping = (t: EventTarget | null): boolean =>
  t instanceof HTMLElement && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName));

/** Pure matcher, so the binding table is testable without a DOM. */
export function matchShortcut(shortcuts: readonly Shortcut[], e: { key: string; ctrlKey: boolean; metaKey: boolean; altKey: boolean; typing: boolean }): Shortcut | undefined {
  if (e.ctrlKey || e.metaKey || e.altKey) return undefined;
  return shortcuts.find((s) => s.key === e.key && (!e.typing || s.inFields));
}

/** Binds shortcuts on the window for as long as the component lives; latest handlers always run. */
export function useShortcuts(shortcuts: readonly Shortcut[]): void {
  const ref = useRef(shortcuts);
  ref.current = shortcuts;
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const hit = matchShortcut(ref.current, { key: e.key, ctrlKey: e.ctrlKey, metaKey: e.metaKey, altKey: e.altKey, typing: isTyping(e.target) });
      if (!hit) return;
      e.preventDefault();
      hit.run();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
