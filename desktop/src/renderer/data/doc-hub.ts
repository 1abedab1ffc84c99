import { LiveDoc } from './live-doc';
import type { Reachability } from './reachability';

export interface DocHubOptions {
  /** ws(s) URL of the cloud's sync endpoint, e.g. ws://host:port/sync */
  cloudSyncUrl: string;
  token: () => string | undefined;
  refresh: () => Promise<boolean>;
  reach: Reachability;
  /** scopes local copies per cloud and user (a narrower role never reads a broader role's cache) */
  storagePrefix: string | undefined;
}

/** How long an unused document stays open, so moving between views does not resync from scratch. */
const IDLE_CLOSE_MS = 60_000;

/** Opens each Yjs document once for the whole console and shares it between views. */
export class DocHub {
  private readonly docs = new Map<string, LiveDoc>();
  private readonly closeTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private edges = new Map<string, { syncUrl: string; token: string }>();

  constructor(private readonly opts: DocHubOptions) {}

  acquire(name: string): LiveDoc {
    clearTimeout(this.closeTimers.get(name));
    this.closeTimers.delete(name);
    let live = this.docs.get(name);
    if (!live) {
      live = new LiveDoc({
        name,
        cloudSyncUrl: this.opts.cloudSyncUrl,
        token: this.opts.token,
        refresh: this.opts.refresh,
        storageKey: this.opts.storagePrefix ? `${this.opts.storagePrefix}:${name}` : undefined,
        onReconnected: (n) => this.opts.reach.reconnected(n),
        onCloudUp: () => this.opts.reach.cloudOk(),
      });
      live.setEdge(this.edges.get(name));
      this.docs.set(name, live);
    }
    live.refs++;
    return live;
  }

  release(name: string): void {
    const live = this.docs.get(name);
    if (!live) return;
    live.refs = Math.max(0, live.refs - 1);
    if (live.refs > 0) return;
    this.closeTimers.set(
      name,
      setTimeout(() => {
        if (live.refs > 0) return;
        live.destroy();
        this.docs.delete(name);
      }, IDLE_CLOSE_MS),
    );
  }

  /** The new access token is used by every provider's next connection. */
  setToken(token: string): void {
    for (const live of this.docs.values()) live.setToken(token);
  }

  /** Edge sync endpoints per document name (site documents with a configured LAN edge). */
  setEdges(edges: Map<string, { syncUrl: string; token: string }>): void {
    this.edges = edges;
    for (const [name, live] of this.docs) live.setEdge(edges.get(name));
  }

  destroy(): void {
    for (const t of this.closeTimers.values()) clearTimeout(t);
    for (const live of this.docs.values()) live.destroy();
    this.docs.clear();
  }
}

/** ws URL of a server's `/sync` endpoint from its http base URL. */
export function syncUrlOf(httpBase: string): string {
  return `${httpBase.replace(/^http/, 'ws').replace(/\/+$/, '')}/sync`;
}
