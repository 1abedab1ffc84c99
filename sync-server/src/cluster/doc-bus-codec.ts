import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';

/** A document change another instance stored, as it arrives on the bus. */
export interface RemoteDocUpdate {
  doc: string;
  /** the change's row in the shared store */
  seq: number;
  update: Uint8Array;
  /** the instance that stored it */
  from: string;
}

/** Presence (who is looking at what) another instance's peers sent. */
export interface RemotePresence {
  doc: string;
  update: Uint8Array;
  from: string;
}

/** Longest document name or instance id read from the bus; anything longer is not ours. */
const MAX_NAME = 1_024;
const SEQ = /^\d{1,15}$/;

/** The fields of one stream entry: `from`, `doc`, `seq` and the update itself in `u`. */
export function updateFields(from: string, doc: string, seq: number, update: Uint8Array): Array<string | Buffer> {
  return ['from', from, 'doc', doc, 'seq', String(seq), 'u', Buffer.from(update.buffer, update.byteOffset, update.byteLength)];
}

/** Reads one stream entry's fields; a description of what is wrong when they are not a document change. */
export function readUpdate(fields: unknown): RemoteDocUpdate | string {
  if (!Array.isArray(fields) || fields.length % 2 !== 0) return 'fields are not name/value pairs';
  const byName = new Map<string, Buffer>();
  for (let i = 0; i < fields.length; i += 2) {
    const [name, value] = [fields[i] as unknown, fields[i + 1] as unknown];
    if (!Buffer.isBuffer(name) || !Buffer.isBuffer(value)) return 'a field is not binary';
    if (name.length <= 4) byName.set(name.toString('latin1'), value);
  }
  const [from, doc, seq, u] = [byName.get('from'), byName.get('doc'), byName.get('seq'), byName.get('u')];
  if (!from || !doc || !seq || !u) return 'a field is missing';
  const name = text(doc);
  const sender = text(from);
  if (name === undefined || sender === undefined) return 'doc or from is not a name';
  const seqText = seq.toString('latin1');
  if (!SEQ.test(seqText)) return 'seq is not a sequence number';
  return { doc: name, from: sender, seq: Number(seqText), update: new Uint8Array(u.buffer, u.byteOffset, u.byteLength) };
}

/** One presence message: sender, document and the awareness update, length-prefixed. */
export function encodePresence(from: string, doc: string, update: Uint8Array): Buffer {
  const enc = encoding.createEncoder();
  encoding.writeVarString(enc, from);
  encoding.writeVarString(enc, doc);
  encoding.writeVarUint8Array(enc, update);
  return Buffer.from(encoding.toUint8Array(enc));
}

/** Reads a presence message; a description of what is wrong when it is not one. */
export function readPresence(message: Buffer): RemotePresence | string {
  try {
    // A copy of its own: a length read from garbage must fail, not read on into a neighbouring buffer.
    const bytes = new Uint8Array(message);
    const dec = decoding.createDecoder(bytes);
    const from = decoding.readVarString(dec);
    const doc = decoding.readVarString(dec);
    const update = decoding.readVarUint8Array(dec);
    if (dec.pos !== bytes.length) return 'the message does not end where its fields do';
    if (!isName(from) || !isName(doc)) return 'doc or from is not a name';
    return { from, doc, update };
  } catch (err) {
    return `not a presence message (${(err as Error).message})`;
  }
}

function text(b: Buffer): string | undefined {
  if (b.length === 0 || b.length > MAX_NAME) return undefined;
  const s = b.toString('utf8');
  return Buffer.byteLength(s) === b.length && isName(s) ? s : undefined;
}

const isName = (s: string): boolean => s.length > 0 && s.length <= MAX_NAME && !s.includes('\uFFFD');
