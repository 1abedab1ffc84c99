import { describe, expect, it } from 'vitest';
import type { Principal, SiteMode } from '@cr/shared';
import { correctionFor, doorFanout, type DoorView, INITIAL_MODE, mayLock, onFireAlarm, refuseDoorAction, requestMode, type ModeState } from './site-mode';

const user = (role: 'hq-operator' | 'site-manager' | 'vendor' | 'tenant-admin', siteIds = ['s1']): Principal => ({ kind: 'user', userId: role, role, tenantId: 't', siteIds });
const ask = (state: ModeState, mode: SiteMode, who: Principal) => requestMode(state, { mode, principal: who, tenantId: 't', siteId: 's1', by: 'x', now: 5 });
const FIRE = onFireAlarm(1);

describe('site mode state machine', () => {
  it.each<[string, ModeState, SiteMode, Principal, boolean]>([
    ['hq sets secure', INITIAL_MODE, 'secure', user('hq-operator'), true],
    ['vendor may not change modes', INITIAL_MODE, 'lockdown', user('vendor'), false],
    ['manager of another site may not', INITIAL_MODE, 'lockdown', user('site-manager', ['s2']), false],
    ['other tenant may not', INITIAL_MODE, 'normal', { ...user('hq-operator'), tenantId: 'evil' }, false],
    ['during fire: lockdown refused', FIRE, 'lockdown', user('hq-operator'), false],
    ['during fire: secure refused', FIRE, 'secure', user('site-manager'), false],
    ['during fire: admin cannot reset', FIRE, 'normal', user('tenant-admin'), false],
    ['during fire: site manager resets', FIRE, 'normal', user('site-manager'), true],
    ['during fire: staying in emergency is fine', FIRE, 'emergency-unlock', user('hq-operator'), true],
  ])('%s', (_n, state, mode, who, ok) => {
    expect(ask(state, mode, who).ok).toBe(ok);
  });

  it('a reset clears the fire state; a manual emergency-unlock does not start one', () => {
    const reset = ask(FIRE, 'normal', user('hq-operator'));
    expect(reset.ok && reset.next).toMatchObject({ mode: 'normal', fireActive: false });
    const manual = ask(INITIAL_MODE, 'emergency-unlock', user('hq-operator'));
    expect(manual.ok && manual.next.fireActive).toBe(false);
  });

  it('refuses every lock while doors must stand open', () => {
    expect(mayLock(FIRE)).toBe(false);
    expect(refuseDoorAction(FIRE, 'lock')).toMatch(/fire/);
    expect(refuseDoorAction(FIRE, 'unlock')).toBeUndefined();
    expect(refuseDoorAction({ mode: 'emergency-unlock', fireActive: false }, 'lock')).toBeDefined();
    expect(refuseDoorAction(INITIAL_MODE, 'lock')).toBeUndefined();
  });

  it.each<[SiteMode, SiteMode, string | undefined]>([
    ['normal', 'emergency-unlock', 'unlock'],
    ['emergency-unlock', 'normal', 'lock'],
    ['normal', 'lockdown', 'lock'],
    ['normal', 'secure', 'lock'],
    ['secure', 'secure', undefined],
    ['lockdown', 'normal', undefined],
    ['secure', 'normal', undefined],
    ['emergency-unlock', 'emergency-unlock', undefined],
  ])('fan-out %s → %s is %s', (from, to, action) => {
    expect(doorFanout({ mode: from, fireActive: false }, { mode: to, fireActive: false })).toBe(action);
  });

  it.each<[string, SiteMode, DoorView, string | undefined]>([
    ['emergency: a door reporting locked is unlocked', 'emergency-unlock', { locked: true, authorized: false }, 'unlock'],
    ['emergency: a door that never reported is unlocked', 'emergency-unlock', { authorized: false }, 'unlock'],
    ['emergency: an unlocked door is left alone', 'emergency-unlock', { locked: false, authorized: false }, undefined],
    ['lockdown: an unlocked door is locked', 'lockdown', { locked: false, authorized: false }, 'lock'],
    ['lockdown: a door of unknown state is locked', 'lockdown', { authorized: false }, 'lock'],
    ['lockdown: a door a person unlocked stays unlocked', 'lockdown', { locked: false, authorized: true }, undefined],
    ['secure: a door left unlocked is locked', 'secure', { locked: false, authorized: false }, 'lock'],
    ['secure: a granted pulse is not cut short', 'secure', { locked: false, authorized: true }, undefined],
    ['secure: a door of unknown state is left alone', 'secure', { authorized: false }, undefined],
    ['normal: nothing is corrected', 'normal', { locked: false, authorized: false }, undefined],
  ])('%s', (_name, mode, door, action) => {
    expect(correctionFor(mode, door)).toBe(action);
  });
});
