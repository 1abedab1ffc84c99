import * as Y from 'yjs';

/**
 * How many changes from other replicas arrived between two state vectors: the sum of clock
 * advances of every client but our own. Used for "reconnected, merged N changes".
 */
export function remoteChangesBetween(before: Map<number, number>, after: Map<number, number>, ownClientId: number): number {
  let n = 0;
  for (const [client, clock] of after) {
    if (client === ownClientId) continue;
    n += Math.max(0, clock - (before.get(client) ?? 0));
  }
  return n;
}

export const stateVectorOf = (doc: Y.Doc): Map<number, number> => Y.decodeStateVector(Y.encodeStateVector(doc));
