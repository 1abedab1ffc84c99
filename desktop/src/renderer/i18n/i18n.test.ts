import { describe, expect, it } from 'vitest';
import { ALERT_TYPES, COMMAND_STATUSES, DEVICE_KINDS, DOOR_ACTIONS, ROLES, SEVERITIES, SITE_MODES } from '@cr/shared';
import { SITE_TONES } from '../features/overview/site-rows';
import { SHORTCUT_HELP } from '../app/shortcut-help';
import { en } from './en';
import { placeholders } from './format';
import { CATALOGS, translate, type MessageKey } from './i18n';
import { ko } from './ko';

describe('message catalogs', () => {
  it('Korean and English have exactly the same keys', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(ko).sort());
  });

  it('every message has the same placeholders in both languages and no empty text', () => {
    for (const key of Object.keys(ko) as MessageKey[]) {
      expect(placeholders(en[key]), key).toEqual(placeholders(ko[key]));
      expect(ko[key].trim(), key).not.toBe('');
      expect(en[key].trim(), key).not.toBe('');
    }
  });

  it('covers every value the data can carry (alert types, modes, statuses, roles, kinds)', () => {
    const needed = [
      ...Object.keys(ALERT_TYPES).map((t) => `alertType.${t}`),
      ...SITE_MODES.map((m) => `mode.${m}`),
      ...COMMAND_STATUSES.map((s) => `commandStatus.${s}`),
      ...['sending', 'send-failed', 'unconfirmed'].map((s) => `commandStatus.${s}`),
      ...DOOR_ACTIONS.map((a) => `doorAction.${a}`),
      ...ROLES.map((r) => `role.${r}`),
      ...SEVERITIES.map((s) => `severity.${s}`),
      ...DEVICE_KINDS.map((k) => `kind.${k}`),
      ...SITE_TONES.map((t) => `tone.${t}`),
      ...['locked', 'unlocked', 'open', 'offline', 'unknown', 'online'].map((l) => `look.${l}`),
      ...['open', 'acknowledged', 'resolved'].map((s) => `alertState.${s}`),
      ...SHORTCUT_HELP.map((s) => s.help),
    ];
    for (const lang of ['ko', 'en'] as const) {
      const missing = needed.filter((k) => !(k in CATALOGS[lang]));
      expect(missing, lang).toEqual([]);
    }
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(translate('en', 'banner.reconnected', { n: 3 })).toBe('Reconnected — merged 3 changes');
    expect(translate('ko', 'banner.minutesOld', { n: 7 })).toBe('7분 전 상태');
    expect(translate('en', 'banner.reconnected')).toContain('{n}');
  });
});
