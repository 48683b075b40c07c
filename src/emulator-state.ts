import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

import type { EmulatorSnapshot } from '../emulator/snapshot.ts';

export const EMULATOR_STATE_FILE = 'emulator-state.json';
export const EMULATOR_SAVE_INTERVAL_MS = 30_000;

/** The demo emulator's snapshot on disk, which contains the demo's access and refresh tokens. */
export class EmulatorStateFile {
  /** Chains the writes, so that an older snapshot never renames over a newer one. */
  private lastWrite: Promise<void> = Promise.resolve();

  constructor(readonly file: string) {}

  /** Returns the saved snapshot, or undefined when there is none. */
  read(): EmulatorSnapshot | undefined {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    try {
      return JSON.parse(text) as EmulatorSnapshot;
    } catch (error) {
      throw new Error(
        `${this.file} is not valid JSON. Delete it to start the demo emulator from a fresh seed`,
        { cause: error },
      );
    }
  }

  /** Writes a snapshot to a temporary file and renames it, so that a crash leaves a whole file. */
  write(snapshot: EmulatorSnapshot): Promise<void> {
    const text = JSON.stringify(snapshot);
    const write = async () => {
      await mkdir(path.dirname(this.file), { recursive: true });
      const temporary = `${this.file}.${randomUUID()}.tmp`;
      try {
        await writeFile(temporary, text, { mode: 0o600, flag: 'wx' });
        await rename(temporary, this.file);
      } finally {
        await rm(temporary, { force: true });
      }
    };
    this.lastWrite = this.lastWrite.then(write, write);
    return this.lastWrite;
  }
}
