import type { PermissionsMessage } from '@cr/shared';
import type { PermissionUpdate } from '../store/permission-cache';

/**
 * Stages the parts of a permission update the cloud split by size (`chunk: {index, count}`) and
 * hands out the whole update once its last part is in. Safety: a link that drops mid-update leaves
 * the cache as it was (the staged parts are dropped, the version is unchanged), so the reconnect's
 * hello asks for what the edge really holds and decisions never run on half a snapshot.
 */
export class PermissionChunks {
  private staged?: { head: PermissionsMessage; upserts: PermissionUpdate['upserts']; removals: string[]; next: number };
  /** parts of unfinished updates dropped so far (link drops, parts out of order) */
  discarded = 0;

  /** The whole update when `msg` completes one, 'pending' while parts are missing, 'broken' for a part out of sequence. */
  add(msg: PermissionsMessage): PermissionUpdate | 'pending' | 'broken' {
    const { chunk, type: _type, ...update } = msg;
    if (!chunk) {
      if (this.staged) this.discard();
      return update;
    }
    const s = this.staged;
    if (chunk.index === 0) {
      if (s) this.discard();
      this.staged = { head: msg, upserts: [...msg.upserts], removals: [...msg.removals], next: 1 };
    } else if (!s || chunk.index !== s.next || !samePart(s.head, msg)) {
      if (s) this.discard();
      return 'broken';
    } else {
      s.upserts.push(...msg.upserts);
      s.removals.push(...msg.removals);
      s.next++;
    }
    const done = this.staged!;
    if (done.next < chunk.count) return 'pending';
    this.staged = undefined;
    return { kind: done.head.kind, fromVersion: done.head.fromVersion, version: done.head.version, upserts: done.upserts, removals: done.removals };
  }

  /** The link dropped: whatever was staged is incomplete and is forgotten. */
  discard(): void {
    if (!this.staged) return;
    this.discarded += this.staged.next;
    this.staged = undefined;
  }

  get pending(): boolean {
    return this.staged !== undefined;
  }
}

function samePart(a: PermissionsMessage, b: PermissionsMessage): boolean {
  return a.kind === b.kind && a.fromVersion === b.fromVersion && a.version === b.version && a.chunk?.count === b.chunk?.count;
}
