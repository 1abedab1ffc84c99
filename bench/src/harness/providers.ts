import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import WebSocket from 'ws';

/** The unmodified y-websocket client provider in node (ws polyfill), as consoles and edges use it. */
export function connectProvider(baseUrl: string, docName: string, token: string | undefined, doc = new Y.Doc()): WebsocketProvider {
  return new WebsocketProvider(`${baseUrl.replace(/^http/, 'ws')}${token === undefined ? '' : '/sync'}`, docName, doc, {
    params: token === undefined ? {} : { token },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
}

export function whenSynced(p: WebsocketProvider): Promise<void> {
  return p.synced ? Promise.resolve() : new Promise((resolve) => p.once('sync', (s: boolean) => s && resolve()));
}
