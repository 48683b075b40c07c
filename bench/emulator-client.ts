import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

import type { AppConfig } from '../emulator/types.ts';

/** One emulator order as the bulk read returns it: id, shop id, status, update_time. */
export type EmulatorOrderRow = [id: string, shopId: string, status: string, updateTime: number];

/** The emulator child process and a small JSON client for its admin routes. */
export interface EmulatorProcess {
  url: string;
  admin<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T>;
  orders(): Promise<EmulatorOrderRow[]>;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 5_000;

/** Starts bench/emulator-process.ts with Node's tsx loader and waits for its URL. */
export async function startEmulatorProcess(app: AppConfig): Promise<EmulatorProcess> {
  const script = fileURLToPath(new URL('./emulator-process.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, BENCH_EMULATOR_APP: JSON.stringify(app), BENCH_EMULATOR_PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await readUrl(child);

  const admin = async <T>(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    body?: unknown,
  ): Promise<T> => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    if (!response.ok)
      throw new Error(`emulator ${method} ${path} failed with HTTP ${response.status}: ${text}`);
    return JSON.parse(text) as T;
  };

  return {
    url,
    admin,
    orders: async () =>
      (await admin<{ orders: EmulatorOrderRow[] }>('GET', '/bench/orders')).orders,
    stop: () => stopChild(child),
  };
}

function readUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the emulator process timed out: no URL within ${START_TIMEOUT_MS} ms`));
    }, START_TIMEOUT_MS);
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      clearTimeout(timer);
      try {
        resolve((JSON.parse(line) as { url: string }).url);
      } catch {
        reject(new Error(`unexpected first line from the emulator process: ${line}`));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the emulator process exited with code ${String(code)} before it listened`));
    });
  });
}

/** Stops the child with SIGTERM, then SIGKILL when it has not exited in time. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
