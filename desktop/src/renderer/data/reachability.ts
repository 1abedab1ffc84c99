import { Store } from './store';

/** What the console knows about one link (the cloud, or a site's edge on the LAN). */
export interface LinkState {
  reachable: boolean | undefined;
  /** last time a request or sync succeeded */
  lastOkAt?: number;
  /** first failure of the current outage */
  downSince?: number;
}

export interface ReconnectNote {
  at: number;
  mergedChanges: number;
}

export interface ConnectionSnapshot {
  cloud: LinkState;
  /** per site id, only sites with a configured edge address */
  edges: Record<string, LinkState>;
  lastReconnect?: ReconnectNote;
  /** when the cloud last came back after an outage */
  recoveredAt?: number;
}

const LAST_OK_KEY = 'cr.cloud.lastOkAt';

/** Connection facts gathered from REST calls, health polls and sync providers. */
export class Reachability extends Store<ConnectionSnapshot> {
  constructor(private readonly storage: Storage | undefined) {
    const saved = Number(storage?.getItem(LAST_OK_KEY) ?? '');
    super({ cloud: { reachable: undefined, lastOkAt: Number.isFinite(saved) && saved > 0 ? saved : undefined }, edges: {} });
  }

  cloudOk(now = Date.now()): void {
    const cur = this.get().cloud;
    // Persist at most every 10 s: the age of "last known state" survives a restart without hammering storage.
    if (!cur.lastOkAt || now - cur.lastOkAt > 10_000) this.storage?.setItem(LAST_OK_KEY, String(now));
    if (cur.reachable === true && cur.lastOkAt && now - cur.lastOkAt < 1000) return;
    const recovered = cur.reachable === false;
    this.update((s) => ({ ...s, cloud: { reachable: true, lastOkAt: now }, recoveredAt: recovered ? now : s.recoveredAt }));
  }

  cloudDown(now = Date.now()): void {
    const cur = this.get().cloud;
    if (cur.reachable === false) return;
    this.update((s) => ({ ...s, cloud: { ...cur, reachable: false, downSince: now } }));
  }

  edgeOk(siteId: string, now = Date.now()): void {
    const cur = this.get().edges[siteId];
    if (cur?.reachable === true && cur.lastOkAt && now - cur.lastOkAt < 1000) return;
    this.update((s) => ({ ...s, edges: { ...s.edges, [siteId]: { reachable: true, lastOkAt: now } } }));
  }

  edgeDown(siteId: string, now = Date.now()): void {
    const cur = this.get().edges[siteId];
    if (cur?.reachable === false) return;
    this.update((s) => ({ ...s, edges: { ...s.edges, [siteId]: { ...cur, reachable: false, downSince: now } } }));
  }

  forgetEdge(siteId: string): void {
    if (!(siteId in this.get().edges)) return;
    this.update((s) => {
      const edges = { ...s.edges };
      delete edges[siteId];
      return { ...s, edges };
    });
  }

  reconnected(mergedChanges: number, now = Date.now()): void {
    const { lastReconnect: prev, recoveredAt } = this.get();
    // A token refresh also reconnects; only an outage (or real merged work) is worth a note.
    if (mergedChanges === 0 && !(recoveredAt && now - recoveredAt < 60_000)) return;
    // Several documents resync after one outage: add them up into one note.
    const merged = prev && now - prev.at < 5_000 ? prev.mergedChanges + mergedChanges : mergedChanges;
    this.update((s) => ({ ...s, lastReconnect: { at: now, mergedChanges: merged } }));
  }
}
