import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import WebSocket from 'ws';

/** The unmodified y-websocket client provider in node (ws polyfill), as consoles and edges use it. */
export function connectProvider(
  baseUrl: string,
  docName: string,
  token: string | undefined,
  doc = new Y.Doc(),
): WebsocketProvider {
  return new WebsocketProvider(`${baseUrl.replace(/^http/, 'ws')}${token === undefined ? '' : '/sync'}`, docName, doc, {
    params: token === undefined ? {} : { token },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
}

export function whenSynced(p: WebsocketProvider): Promise<void> {
  return p.synced ? Promise.resolve() : new Promise((resolve) => p.once('sync', (s: boolean) => s && resolve()));
}

/** Which client library speaks to a server: y-websocket's provider, or Hocuspocus's own. */
export type ClientKind = 'y-websocket' | 'hocuspocus';
export const CLIENT_KINDS: readonly ClientKind[] = ['y-websocket', 'hocuspocus'];

/** One client of one document, whichever provider it uses. */
export interface SyncClient {
  doc: Y.Doc;
  synced: Promise<void>;
  destroy(): void;
}

/** The unmodified Hocuspocus provider in node, on its own socket (one connection per client, as a console has). */
function connectHocuspocus(baseUrl: string, docName: string, doc: Y.Doc): SyncClient {
  const websocketProvider = new HocuspocusProviderWebsocket({
    url: baseUrl.replace(/^http/, 'ws'),
    WebSocketPolyfill: WebSocket,
  });
  let resolveSynced: () => void = () => undefined;
  const synced = new Promise<void>((resolve) => (resolveSynced = resolve));
  const provider = new HocuspocusProvider({
    websocketProvider,
    name: docName,
    document: doc,
    onSynced: ({ state }) => state && resolveSynced(),
  });
  provider.attach();
  return {
    doc,
    synced,
    destroy: () => {
      provider.destroy();
      websocketProvider.destroy();
    },
  };
}

/** A client of `docName` on the server at `baseUrl` with the provider that server is made for. */
export function connectClient(
  kind: ClientKind,
  baseUrl: string,
  docName: string,
  token: string | undefined,
  doc = new Y.Doc(),
): SyncClient {
  if (kind === 'hocuspocus') {
    if (token !== undefined) throw new Error('the Hocuspocus reference runs without authentication');
    return connectHocuspocus(baseUrl, docName, doc);
  }
  const p = connectProvider(baseUrl, docName, token, doc);
  return { doc, synced: whenSynced(p), destroy: () => p.destroy() };
}
