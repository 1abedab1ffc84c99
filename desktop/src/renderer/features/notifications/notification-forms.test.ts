import { describe, expect, it } from 'vitest';
import { formatLocal } from '@cr/shared';
import {
  checkChannel,
  checkRule,
  checkSilence,
  siteWallTime,
  tomorrowNine,
  type ChannelFields,
  type RuleFields,
  type SilenceFields,
} from './notification-forms';

const channel: ChannelFields = {
  kind: 'webhook',
  url: 'https://hooks.example.com/cr',
  secret: 's3cret',
  to: '',
  provider: 'alimtalk',
};
const rule: RuleFields = {
  channelId: 'c1',
  siteIds: [],
  categories: [],
  minSeverity: '',
  escalateAfterMin: '',
  notifyResolved: false,
  escalationOnly: false,
};
const SEOUL = 'Asia/Seoul';
// 2026-03-10 14:20 in Seoul
const NOW = Date.UTC(2026, 2, 10, 5, 20);
const silence: SilenceFields = {
  siteId: 'gangnam',
  deviceId: '',
  types: [],
  startsAt: '',
  preset: '30m',
  endsAt: '',
  reason: 'fire drill',
};

describe('channel form', () => {
  it('sends only the fields of the chosen kind', () => {
    expect(checkChannel({ ...channel, url: ' https://hooks.example.com/cr ', to: 'ignored' }).body).toEqual({
      kind: 'webhook',
      url: 'https://hooks.example.com/cr',
      secret: 's3cret',
    });
    expect(checkChannel({ ...channel, kind: 'email', to: 'ops@example.com,\n guard@example.com' }).body).toEqual({
      kind: 'email',
      to: ['ops@example.com', 'guard@example.com'],
    });
    expect(
      checkChannel({ ...channel, kind: 'sms', to: '010-1234-5678; +82 10 9876 5432', provider: 'sms' }).body,
    ).toEqual({ kind: 'sms', to: ['01012345678', '+821098765432'], provider: 'sms' });
  });

  it.each<[Partial<ChannelFields>, Record<string, string>]>([
    [
      { url: '', secret: '' },
      { url: 'required', secret: 'required' },
    ],
    [{ url: 'hooks example' }, { url: 'bad-url' }],
    [{ url: 'ftp://hooks.example.com/x' }, { url: 'url-scheme' }],
    [{ url: 'https://u:p@hooks.example.com/x' }, { url: 'url-credentials' }],
    [{ url: 'https://hooks.example.com/x#ops' }, { url: 'url-fragment' }],
    [{ kind: 'email', to: '' }, { to: 'required' }],
    [{ kind: 'email', to: 'ops@example.com, ops' }, { to: 'bad-email' }],
    [{ kind: 'sms', to: 'call me' }, { to: 'bad-phone' }],
    [{ kind: 'email', to: Array.from({ length: 21 }, (_, i) => `a${i}@example.com`).join(',') }, { to: 'too-many' }],
  ])('names what is wrong: %j', (over, problems) => {
    expect(checkChannel({ ...channel, ...over })).toEqual({ problems });
  });
});

describe('rule form', () => {
  it('leaves out what means "all" and sends the rest', () => {
    expect(checkRule(rule).body).toEqual({ channelId: 'c1', notifyResolved: false });
    expect(
      checkRule({
        ...rule,
        siteIds: ['gangnam'],
        categories: ['security'],
        minSeverity: 'major',
        escalateAfterMin: ' 15 ',
        notifyResolved: true,
      }).body,
    ).toEqual({
      channelId: 'c1',
      siteIds: ['gangnam'],
      categories: ['security'],
      minSeverity: 'major',
      escalateAfterMin: 15,
      notifyResolved: true,
    });
  });

  it.each(['0', '10081', '2.5', 'soon', '-3'])('refuses %s minutes of escalation', (m) => {
    expect(checkRule({ ...rule, escalateAfterMin: m })).toEqual({ problems: { escalateAfterMin: 'bad-minutes' } });
  });

  it('needs a channel', () => {
    expect(checkRule({ ...rule, channelId: '' })).toEqual({ problems: { channelId: 'required' } });
  });

  it('a next tier needs its minutes, and is never told of the resolution', () => {
    expect(checkRule({ ...rule, escalationOnly: true })).toEqual({ problems: { escalateAfterMin: 'tier-needs-minutes' } });
    expect(checkRule({ ...rule, escalationOnly: true, escalateAfterMin: '5', notifyResolved: true }).body).toEqual({
      channelId: 'c1',
      escalateAfterMin: 5,
      notifyResolved: false,
      escalationOnly: true,
    });
  });
});

describe('silence form', () => {
  it('reads wall times in the site zone, whatever zone this computer is in', () => {
    expect(siteWallTime('2026-03-10T14:20', SEOUL)).toBe(NOW);
    expect(siteWallTime('2026-03-10T14:20', 'Europe/Berlin')).toBe(Date.UTC(2026, 2, 10, 13, 20));
    expect(siteWallTime('2026-03-10 14:20', SEOUL)).toBeUndefined();
    expect(formatLocal(tomorrowNine(NOW, SEOUL), SEOUL)).toBe('2026-03-11 09:00');
  });

  it('turns each preset into an end, from now or from a later start', () => {
    expect(checkSilence(silence, NOW, SEOUL).body).toEqual({
      siteId: 'gangnam',
      endsAt: NOW + 30 * 60_000,
      reason: 'fire drill',
    });
    expect(
      checkSilence({ ...silence, preset: '2h', deviceId: ' door-lobby ', types: ['door.forced'] }, NOW, SEOUL).body,
    ).toEqual({
      siteId: 'gangnam',
      deviceId: 'door-lobby',
      types: ['door.forced'],
      endsAt: NOW + 120 * 60_000,
      reason: 'fire drill',
    });
    expect(checkSilence({ ...silence, preset: 'tomorrow9' }, NOW, SEOUL).body?.endsAt).toBe(
      Date.UTC(2026, 2, 11, 0, 0),
    );
    const window = checkSilence(
      { ...silence, startsAt: '2026-03-12T22:00', preset: 'custom', endsAt: '2026-03-13T02:00' },
      NOW,
      SEOUL,
    ).body;
    expect(window).toMatchObject({ startsAt: Date.UTC(2026, 2, 12, 13, 0), endsAt: Date.UTC(2026, 2, 12, 17, 0) });
  });

  it.each<[Partial<SilenceFields>, Record<string, string>]>([
    [
      { reason: ' ', siteId: '' },
      { reason: 'required', siteId: 'required' },
    ],
    [{ preset: 'custom', endsAt: '' }, { endsAt: 'required' }],
    [{ preset: 'custom', endsAt: '2026-03-10T14:00' }, { endsAt: 'in-past' }],
    [{ startsAt: '2026-03-12T10:00', preset: 'custom', endsAt: '2026-03-12T09:00' }, { endsAt: 'end-before-start' }],
    [{ preset: 'custom', endsAt: '2026-04-10T14:21' }, { endsAt: 'too-long' }],
    [{ startsAt: '12/03/2026' }, { startsAt: 'bad-time' }],
  ])('says what the cloud would refuse: %j', (over, problems) => {
    expect(checkSilence({ ...silence, ...over }, NOW, SEOUL)).toEqual({ problems });
  });
});
