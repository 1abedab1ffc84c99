import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import { WebsocketProvider } from 'y-websocket';
import { IndexeddbPersistence } from 'y-indexeddb';
import { remoteChangesBetween, stateVectorOf } from './merge-count';
import { Store } from './store';

export type LinkStatus = 'off' | 'connecting' | 'connected' | 'synced' | 'denied';

export interface LiveDocStatus {
  cloud: LinkStatus;
  edge: LinkStatus;
  /** the locally stored copy has been loaded (or there is no local store) */
  restored: boolean;
  lastSyncedAt?: number;
}

export interface LiveDocOptions {
  name: string;
  cloudSyncUrl: string;
  token: () => string | undefined;
  /** gets a fresh access token after the server closed with 4401; false when signed out */
  refresh: () => Promise<boolean>;
  /** key of the local copy (scoped per cloud and user); undefined disables local persistence */
  storageKey?: string;
  onReconnected: (mergedChanges: number) => void;
  onCloudUp: () => void;
}

/** Clock jitter so dozens of consoles behind one NAT do not reconnect in lock-step. */
const backoffCeiling = (): number => 2_500 + Math.floor(Math.random() * 2_500);

/**
 * One Yjs document with its local copy (IndexedDB), its cloud provider and, on a site LAN, an edge
 * provider. Both providers share one awareness so presence reaches people on either path.
 */
export class LiveDoc {
  readonly doc = new Y.Doc();
  readonly awareness = new Awareness(this.doc);
  readonly status = new Store<LiveDocStatus>({ cloud: 'connecting', edge: 'off', restored: false });
  private readonly cloud: WebsocketProvider;
  private edge: WebsocketProvider | undefined;
  private edgeKey = '';
  private persistence: IndexeddbPersistence | undefined;
  private baseline: Map<number, number> | undefined;
  private offlineLocalChanges = 0;
  refs = 0;

  constructor(private readonly opts: LiveDocOptions) {
    if (opts.storageKey && typeof indexedDB !== 'undefined') {
      this.persistence = new IndexeddbPersistence(opts.storageKey, this.doc);
      void this.persistence.whenSynced.then(() => this.patch({ restored: true }));
    } else this.patch({ restored: true });
    this.cloud = this.provider(opts.cloudSyncUrl, opts.token() ?? '', 'cloud');
    this.doc.on('update', (_u: Uint8Array, origin: unknown) => {
      const local = origin !== this.cloud && origin !== this.edge && origin !== this.persistence;
      if (local && this.status.get().cloud !== 'synced') this.offlineLocalChanges++;
    });
  }

  private patch(p: Partial<LiveDocStatus>): void {
    this.status.update((s) => ({ ...s, ...p }));
  }

  private provider(url: string, token: string, link: 'cloud' | 'edge'): WebsocketProvider {
    // Threat: BroadcastChannel would share documents between tabs of different users of one
    // browser profile, around the server's per-document authorization. Sync only via servers.
    const p = new WebsocketProvider(url, this.opts.name, this.doc, {
      params: { token },
      awareness: this.awareness,
      disableBc: true,
      maxBackoffTime: backoffCeiling(),
    });
    p.on('status', ({ status }: { status: string }) => {
      if (status === 'connected') this.patch({ [link]: 'connected' });
      else if (status === 'connecting' && this.status.get()[link] !== 'connected') this.patch({ [link]: 'connecting' });
    });
    p.on('connection-close', () => {
      this.markBaseline();
      if (this.status.get()[link] !== 'denied') this.patch({ [link]: 'connecting' });
    });
    p.on('sync', (synced: boolean) => {
      if (!synced) return;
      this.patch({ [link]: 'synced', lastSyncedAt: Date.now() });
      if (link === 'cloud') this.opts.onCloudUp();
      this.reportMerge();
    });
    p.on('closed', ({ code }: { code: number }) => void this.onRefused(p, link, code));
    return p;
  }

  /** 4401: the access token expired — refresh and reconnect. 4403: this user may not open it. */
  private async onRefused(p: WebsocketProvider, link: 'cloud' | 'edge', code: number): Promise<void> {
    if (code === 4401 && link === 'cloud' && (await this.opts.refresh())) {
      p.params = { token: this.opts.token() ?? '' };
      p.connect();
      return;
    }
    this.patch({ [link]: 'denied' });
  }

  private markBaseline(): void {
    if (!this.baseline && this.status.get().restored) this.baseline = stateVectorOf(this.doc);
  }

  private reportMerge(): void {
    if (!this.baseline) return;
    const merged = remoteChangesBetween(this.baseline, stateVectorOf(this.doc), this.doc.clientID) + this.offlineLocalChanges;
    this.baseline = undefined;
    this.offlineLocalChanges = 0;
    this.opts.onReconnected(merged);
  }

  setToken(token: string): void {
    this.cloud.params = { token };
  }

  /** Attaches (or detaches, with undefined) the site edge's local sync endpoint. */
  setEdge(edge: { syncUrl: string; token: string } | undefined): void {
    const key = edge ? `${edge.syncUrl}|${edge.token}` : '';
    if (key === this.edgeKey) return;
    this.edgeKey = key;
    this.edge?.destroy();
    this.edge = edge ? this.provider(edge.syncUrl, edge.token, 'edge') : undefined;
    this.patch({ edge: edge ? 'connecting' : 'off' });
  }

  destroy(): void {
    this.edge?.destroy();
    this.cloud.destroy();
    void this.persistence?.destroy();
    this.awareness.destroy();
    this.doc.destroy();
  }
}
