import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import { wsBase } from './edge-link';

/**
 * Keeps the site document in sync with the cloud over the standard y-websocket protocol, at
 * `<cloud ws>/sync/<docName>?token=…`. The provider reconnects on its own with backoff.
 */
export class DocSync {
  private readonly provider: WebsocketProvider;

  constructor(cloudUrl: string, docName: string, doc: Y.Doc, token: string, maxBackoffMs: number) {
    this.provider = new WebsocketProvider(`${wsBase(cloudUrl)}/sync`, docName, doc, {
      params: { token },
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      maxBackoffTime: maxBackoffMs,
      disableBc: true,
      // A refused token (4401/4403) may be fixed on the cloud side; keep trying, slowly.
      shouldReconnect: () => true,
    });
  }

  /** The edge token for the next connection (the current one stays up until it drops). */
  setToken(token: string): void {
    this.provider.params = { token };
  }

  /** The gateway's presence on the cloud's copy of the document: where live telemetry is announced. */
  get awareness(): WebsocketProvider['awareness'] {
    return this.provider.awareness;
  }

  get synced(): boolean {
    return this.provider.synced;
  }

  connect(): void {
    this.provider.connect();
  }

  disconnect(): void {
    this.provider.disconnect();
  }

  destroy(): void {
    this.provider.destroy();
  }
}
