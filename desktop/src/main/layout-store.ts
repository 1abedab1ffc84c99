import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseLayout, type LayoutFile } from './display-layout';

/** The per-display layout file in the user's data folder, written atomically (tmp + rename). */
export class LayoutStore {
  readonly file: string;

  constructor(userDataDir: string) {
    this.file = join(userDataDir, 'window-layout.json');
  }

  load(): LayoutFile {
    try {
      return parseLayout(readFileSync(this.file, 'utf8'));
    } catch {
      return parseLayout(undefined);
    }
  }

  save(layout: LayoutFile): void {
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      const tmp = `${this.file}.tmp`;
      writeFileSync(tmp, JSON.stringify(layout, null, 2));
      renameSync(tmp, this.file);
    } catch (err) {
      // A full disk must not take the console down; the layout is a convenience.
      console.warn(`window layout not saved: ${(err as Error).message}`);
    }
  }
}
