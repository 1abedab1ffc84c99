import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import WebSocket from 'ws';

/** The unmodified y-websocket client provider, in node with the ws polyfill, as consoles and edges use it. */
export function connectProvider(baseUrl: string, docName: string, token: string, doc = new Y.Doc()): WebsocketProvider {
  return new WebsocketProvider(`${baseUrl.replace(/^http/, 'ws')}/sync`, docName, doc, {
    params: { token },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 200,
  });
}

export function whenSynced(p: WebsocketProvider): Promise<void> {
  return p.synced ? Promise.resolve() : new Promise((resolve) => p.once('sync', (s: boolean) => s && resolve()));
}

/** Opens a raw socket and resolves with the close code and reason the server sent. */
export function closeCodeOf(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ code: number; reason: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
    ws.on('error', reject);
  });
}
