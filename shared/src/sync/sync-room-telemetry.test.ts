import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import { MESSAGE_AWARENESS, SyncRoom, type SyncPeer } from './sync-room';
import { liveTelemetryOf } from '../protocol/telemetry';
import type { Principal } from '../auth/roles';

const EDGE: Principal = { kind: 'edge', tenantId: 'demo', siteId: 'gangnam' };
const HQ: Principal = { kind: 'user', userId: 'hq', role: 'hq-operator', tenantId: 'demo', siteIds: [] };

/** A peer that only speaks presence: announces its own state and keeps what the room relays. */
class Presence implements SyncPeer {
  readonly awareness = new awarenessProtocol.Awareness(new Y.Doc());
  closed: { code: number; reason: string } | undefined;
  constructor(
    private readonly room: SyncRoom,
    readonly principal: Principal,
    readonly access: 'read' | 'write' = 'write',
  ) {
    room.join(this);
  }
  send(frame: Uint8Array): void {
    const dec = decoding.createDecoder(frame);
    if (decoding.readVarUint(dec) === MESSAGE_AWARENESS)
      awarenessProtocol.applyAwarenessUpdate(this.awareness, decoding.readVarUint8Array(dec), this.room);
  }
  close(code: number, reason: string): void {
    this.closed = { code, reason };
    this.room.leave(this);
  }
  announce(state: Record<string, unknown>): void {
    this.awareness.setLocalState(state);
    const enc = encoding.createEncoder();
    encoding.writeVarUint(enc, MESSAGE_AWARENESS);
    encoding.writeVarUint8Array(enc, awarenessProtocol.encodeAwarenessUpdate(this.awareness, [this.awareness.clientID]));
    this.room.receive(this, encoding.toUint8Array(enc));
  }
  live() {
    return liveTelemetryOf(this.awareness.getStates().values());
  }
}

describe('SyncRoom and live telemetry', () => {
  it('relays the gateway’s telemetry, larger than a person’s presence limit, to every console', () => {
    const room = new SyncRoom(new Y.Doc());
    const edge = new Presence(room, EDGE);
    const hq = new Presence(room, HQ, 'read');
    const telemetry: Record<string, { state: Record<string, unknown>; ts: number }> = {};
    for (let i = 0; i < 150; i++) telemetry[`env-${i}`] = { state: { temperatureC: 20 + i / 10, humidityPct: 40, co2ppm: 600 }, ts: 1_700_000_000_000 + i };
    edge.announce({ telemetry });
    expect(edge.closed).toBeUndefined();
    expect(Object.keys(hq.live())).toHaveLength(150);
    expect(hq.live()['env-3']?.state.temperatureC).toBe(20.3);
  });

  it('drops telemetry a console announces, so it can never pass for the gateway’s readings', () => {
    const room = new SyncRoom(new Y.Doc());
    const edge = new Presence(room, EDGE);
    const hq = new Presence(room, HQ);
    const other = new Presence(room, HQ);
    edge.announce({ telemetry: { 'env-1': { state: { temperatureC: 31 }, ts: 100 } } });
    hq.announce({ user: 'hq', telemetry: { 'env-1': { state: { temperatureC: 21 }, ts: 999 } } });
    expect(other.live()).toEqual({ 'env-1': { state: { temperatureC: 31 }, ts: 100 } });
    expect(room.awareness.getStates().has(hq.awareness.clientID)).toBe(false);
    // Its ordinary presence still goes through.
    hq.announce({ user: 'hq', viewing: 'alert-1' });
    expect(other.awareness.getStates().get(hq.awareness.clientID)).toEqual({ user: 'hq', viewing: 'alert-1' });
  });

  it('still holds a console’s presence to the person’s size limit', () => {
    const room = new SyncRoom(new Y.Doc());
    const hq = new Presence(room, HQ);
    hq.announce({ user: 'x'.repeat(20_000) });
    expect(hq.closed?.reason).toBe('presence too large');
  });
});
