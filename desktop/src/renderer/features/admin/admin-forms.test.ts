import { describe, expect, it } from 'vitest';
import { checkMember, checkSite, checkZone, edgeCommand } from './admin-forms';

const site = { id: 'seongsu', name: '성수점', lat: '37.5446', lng: '127.0557', timezone: 'Asia/Seoul' };

describe('admin forms', () => {
  it('turns a valid site form into the body of POST /api/v1/sites', () => {
    expect(checkSite({ ...site, id: ' seongsu ' })).toEqual({
      problems: {},
      body: { id: 'seongsu', name: '성수점', lat: 37.5446, lng: 127.0557, timezone: 'Asia/Seoul' },
    });
  });

  it.each([
    [{ id: 'Seongsu' }, { id: 'bad-id' }],
    [{ id: '' }, { id: 'required' }],
    [{ name: '  ' }, { name: 'required' }],
    [{ lat: '91' }, { lat: 'out-of-range' }],
    [{ lng: 'east' }, { lng: 'bad-number' }],
    [{ timezone: 'Mars/Olympus' }, { timezone: 'bad-timezone' }],
  ])('names what is wrong with a site form: %j', (over, problems) => {
    expect(checkSite({ ...site, ...over })).toEqual({ problems });
  });

  it('checks zones and members the way the cloud will', () => {
    expect(checkZone({ id: 'lobby', name: 'Lobby' })).toEqual({});
    expect(checkZone({ id: 'lobby/1', name: '' })).toEqual({ id: 'bad-id', name: 'required' });
    const member = { id: 'minji', name: '김민지', card: 'c-1', zoneIds: ['lobby'], afterHours: true };
    expect(checkMember(member, 'seongsu').body).toEqual({ ...member, siteId: 'seongsu' });
    expect(checkMember({ ...member, zoneIds: [], card: ' ' }, 'seongsu')).toEqual({
      problems: { card: 'required', zoneIds: 'required' },
    });
  });

  it('builds the gateway command, asking for explicit consent to a plain-http cloud on another machine', () => {
    expect(edgeCommand({ siteId: 'seongsu', cloudUrl: 'https://cloud.example/', token: 'ey.x.y' })).toEqual({
      command: 'npm run edge -- --site seongsu --cloud https://cloud.example --token ey.x.y --commissioning',
      insecure: false,
    });
    expect(edgeCommand({ siteId: 's', cloudUrl: 'http://127.0.0.1:8080', token: 't' }).insecure).toBe(false);
    const lan = edgeCommand({ siteId: 's', cloudUrl: 'http://192.168.0.5:8080', token: 't' });
    expect(lan).toEqual({
      command:
        'npm run edge -- --site s --cloud http://192.168.0.5:8080 --token t --commissioning --insecure-cloud-url',
      insecure: true,
    });
  });
});
