import type { CommandStatus, CommandTarget } from '@cr/shared';

export interface CommandRecord {
  id: string;
  status: CommandStatus;
  error?: string;
  siteId: string;
  target: CommandTarget;
  source: 'cloud' | 'local';
  createdAt: number;
  updatedAt: number;
}

/** Recent commands and their status, for `GET /api/v1/commands/{id}` on the local API. Bounded. */
export class CommandBook {
  private readonly records = new Map<string, CommandRecord>();

  constructor(private readonly max = 2_000) {}

  has(id: string): boolean {
    return this.records.has(id);
  }

  get(id: string): CommandRecord | undefined {
    return this.records.get(id);
  }

  put(record: CommandRecord): void {
    this.records.set(record.id, record);
    if (this.records.size > this.max) {
      const oldest = this.records.keys().next().value;
      if (oldest !== undefined) this.records.delete(oldest);
    }
  }

  update(id: string, status: CommandStatus, at: number, error?: string): void {
    const r = this.records.get(id);
    if (r) Object.assign(r, { status, error, updatedAt: at });
  }
}
