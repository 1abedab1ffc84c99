import { createHmac } from 'node:crypto';

/** The `prevHash` of a tenant's first record. */
export const CHAIN_START = 'start';

/** The fields of a record that stay for ever: what happened, to what, with what result. */
export interface ChainedFields {
  id: string;
  tenantId: string;
  ts: number;
  action: string;
  target: string;
  result: string;
  siteId: string | null;
}

/** The fields that name or locate a person: removed by retention, their hash stays. */
export interface PersonalFields {
  /** random per record, deleted with the fields: once they are gone the hash cannot be tested against guesses */
  salt: Buffer;
  actor: string;
  source: string | null;
  /** the stored JSON text, hashed as stored */
  details: string | null;
}

const mac = (key: Buffer, parts: unknown[]): string =>
  createHmac('sha256', key).update(JSON.stringify(parts)).digest('hex');

export const personalHash = (key: Buffer, p: PersonalFields): string =>
  mac(key, ['personal', p.salt.toString('hex'), p.actor, p.source, p.details]);

/**
 * `hash = H(prevHash, non-personal fields, H(personal fields))`, keyed with the installation's
 * audit-chain secret. Threat: someone with write access to the database file (the triggers are
 * only a guard for the application) editing, inserting or deleting a record and recomputing the
 * chain after it; without the key they cannot. What the chain cannot show is a cut-off tail.
 */
export const recordHash = (key: Buffer, prevHash: string, f: ChainedFields, personal: string): string =>
  mac(key, ['record', prevHash, f.id, f.tenantId, f.ts, f.action, f.target, f.result, f.siteId, personal]);

/** The outcome of verifyAuditChain: `ok`, or the first record that does not match. */
export type ChainReport =
  | { ok: true; records: number; redacted: number }
  | { ok: false; records: number; brokenAt: { seq: number; id: string }; reason: 'record' | 'personal' };
