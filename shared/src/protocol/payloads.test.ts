import { describe, expect, it } from 'vitest';
import { accessRequestSchema, accessResponseSchema } from './access';
import { commandResultSchema, deviceCommandSchema } from './commands';
import { deviceConfigSchema, deviceStateSchemas, parseDeviceState, availabilitySchema } from './devices';
import { deviceEventSchema } from './events';
import { cloudToEdgeSchema, edgeToCloudSchema } from './edge-link';

const uuid = '3f1c2b9e-8a7d-4c21-9f6e-0a1b2c3d4e5f';

describe('device config', () => {
  it('accepts every kind', () => {
    for (const kind of ['door', 'reader', 'camera', 'pir', 'env', 'light', 'hvac', 'power', 'fire-panel', 'kiosk']) {
      expect(deviceConfigSchema.safeParse({ id: `${kind}-1`, kind, name: kind }).success).toBe(true);
    }
  });

  it('keeps kind-specific fields', () => {
    const r = deviceConfigSchema.parse({ id: 'reader-1', kind: 'reader', name: 'R', doorId: 'door-1', zoneId: 'lobby' });
    expect(r).toMatchObject({ kind: 'reader', doorId: 'door-1' });
  });

  it.each([
    ['unknown kind', { id: 'x', kind: 'toaster', name: 'x' }],
    ['missing name', { id: 'x', kind: 'door' }],
    ['id with a slash', { id: 'a/b', kind: 'door', name: 'x' }],
    ['id with a wildcard', { id: 'a+', kind: 'door', name: 'x' }],
    ['upper-case id', { id: 'Door', kind: 'door', name: 'x' }],
    ['reader door id injection', { id: 'r', kind: 'reader', name: 'x', doorId: '#' }],
    ['position off the plan', { id: 'x', kind: 'pir', name: 'x', position: { x: -1, y: 5 } }],
    ['held-open limit too short', { id: 'x', kind: 'door', name: 'x', heldOpenLimitMs: 5 }],
    ['not an object', 'door'],
    ['null', null],
  ])('rejects %s', (_n, payload) => {
    expect(deviceConfigSchema.safeParse(payload).success).toBe(false);
  });

  it('parses availability as plain text values only', () => {
    expect(availabilitySchema.safeParse('online').success).toBe(true);
    expect(availabilitySchema.safeParse('ONLINE').success).toBe(false);
  });
});

describe('device state', () => {
  it('accepts a door state and an env state', () => {
    expect(parseDeviceState('door', { locked: true, open: false, ts: 1 }).success).toBe(true);
    expect(parseDeviceState('env', { temperatureC: 22.5, humidityPct: 40, co2ppm: 600, ts: 1 }).success).toBe(true);
  });

  it.each([
    ['door', { locked: 'yes', open: false, ts: 1 }],
    ['door', { locked: true, ts: 1 }],
    ['env', { temperatureC: 500, humidityPct: 40, ts: 1 }],
    ['env', { temperatureC: Number.NaN, humidityPct: 40, ts: 1 }],
    ['hvac', { on: true, mode: 'turbo', setpointC: 22, ts: 1 }],
    ['fire-panel', { alarm: 1, ts: 1 }],
    ['power', { watts: -3, ts: 1 }],
    ['pir', { motion: true, ts: -1 }],
  ] as const)('rejects a malformed %s state %j', (kind, payload) => {
    expect(deviceStateSchemas[kind].safeParse(payload).success).toBe(false);
  });
});

describe('events, access and commands', () => {
  it('accepts a device event and rejects a non-UUID id or odd type', () => {
    expect(deviceEventSchema.safeParse({ id: uuid, type: 'door.forced', ts: 5 }).success).toBe(true);
    expect(deviceEventSchema.safeParse({ id: 'not-a-uuid', type: 'door.forced', ts: 5 }).success).toBe(false);
    expect(deviceEventSchema.safeParse({ id: uuid, type: 'DROP TABLE', ts: 5 }).success).toBe(false);
    expect(deviceEventSchema.safeParse({ id: uuid, type: 'fault', ts: 5, data: 'x' }).success).toBe(false);
  });

  it('validates access requests and responses', () => {
    const req = { requestId: 'r1', credential: { type: 'card', value: 'card-0001' }, ts: 1 };
    expect(accessRequestSchema.safeParse(req).success).toBe(true);
    expect(accessRequestSchema.safeParse({ ...req, credential: { type: 'retina', value: 'x' } }).success).toBe(false);
    expect(accessRequestSchema.safeParse({ ...req, credential: { type: 'card', value: '' } }).success).toBe(false);
    expect(accessRequestSchema.safeParse({ ...req, credential: { type: 'card', value: 'x'.repeat(300) } }).success).toBe(false);
    expect(accessRequestSchema.safeParse({ credential: req.credential, ts: 1 }).success).toBe(false);
    expect(accessResponseSchema.safeParse({ requestId: 'r1', granted: false, reason: 'malformed', ts: 1 }).success).toBe(true);
    expect(accessResponseSchema.safeParse({ requestId: 'r1', granted: false, reason: 'because', ts: 1 }).success).toBe(false);
  });

  it('validates device commands and results', () => {
    const cmd = { id: 'c1', action: 'pulse-unlock', durationMs: 5000, reason: 'grant', expiresAt: 10 };
    expect(deviceCommandSchema.safeParse(cmd).success).toBe(true);
    expect(deviceCommandSchema.safeParse({ ...cmd, durationMs: 10_000_000 }).success).toBe(false);
    expect(commandResultSchema.safeParse({ id: 'c1', ok: true, ts: 1 }).success).toBe(true);
    expect(commandResultSchema.safeParse({ id: 'c1', ok: 'true', ts: 1 }).success).toBe(false);
  });
});

describe('edge link messages', () => {
  it('accepts an event batch and refuses an empty or oversized one', () => {
    const ev = { id: uuid, type: 'access.granted', ts: 1, deviceId: 'reader-1' };
    expect(edgeToCloudSchema.safeParse({ type: 'events', batchId: 'b1', events: [ev] }).success).toBe(true);
    expect(edgeToCloudSchema.safeParse({ type: 'events', batchId: 'b1', events: [] }).success).toBe(false);
    const many = Array.from({ length: 1001 }, () => ev);
    expect(edgeToCloudSchema.safeParse({ type: 'events', batchId: 'b1', events: many }).success).toBe(false);
  });

  it('accepts a door command and refuses an unknown action', () => {
    const command = {
      id: 'c1',
      siteId: 'gangnam',
      target: { kind: 'door', doorId: 'door-1', action: 'unlock' },
      reason: 'emergency',
      issuedBy: 'hq@demo.local',
      issuerRole: 'hq-operator',
      issuedAt: 1,
      expiresAt: 2,
    };
    expect(cloudToEdgeSchema.safeParse({ type: 'command', command }).success).toBe(true);
    const bad = { ...command, target: { kind: 'door', doorId: 'door-1', action: 'explode' } };
    expect(cloudToEdgeSchema.safeParse({ type: 'command', command: bad }).success).toBe(false);
    expect(cloudToEdgeSchema.safeParse({ type: 'nope' }).success).toBe(false);
  });
});
