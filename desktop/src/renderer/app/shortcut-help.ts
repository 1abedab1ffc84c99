import type { Shortcut } from './shortcuts';

/** Every shortcut of the console, for the help overlay (handlers live with their views). */
export const SHORTCUT_HELP: readonly Pick<Shortcut, 'key' | 'help'>[] = [
  { key: '?', help: 'help.showHelp' },
  { key: '1', help: 'help.goOverview' },
  { key: '2', help: 'help.goAlerts' },
  { key: '3', help: 'help.goEvents' },
  { key: '4', help: 'help.goAudit' },
  { key: '5', help: 'help.goSettings' },
  { key: '6', help: 'help.goPolicies' },
  { key: 'j', help: 'help.nextAlert' },
  { key: 'k', help: 'help.prevAlert' },
  { key: 'a', help: 'help.ackAlert' },
  { key: 'n', help: 'help.noteAlert' },
  { key: 'r', help: 'help.resolveAlert' },
  { key: '/', help: 'help.search' },
  { key: 'm', help: 'help.mute' },
  { key: 'l', help: 'help.language' },
  { key: 'e', help: 'help.editPlan' },
  { key: 'Escape', help: 'help.close' },
];
