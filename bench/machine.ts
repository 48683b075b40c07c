import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

/** Lines for the docs page: CPU, memory, OS and Node version of this machine. */
export function machineFacts(): string[] {
  const cpu =
    /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ??
    os.cpus()[0]?.model ??
    'unknown';
  const nproc = (() => {
    try {
      return execFileSync('nproc', { encoding: 'utf8' }).trim();
    } catch {
      return String(os.availableParallelism());
    }
  })();
  return [
    `- CPU: ${cpu.trim()}, \`nproc\` = ${nproc}`,
    `- Memory: ${Math.round(os.totalmem() / 1024 ** 3)} GiB; OS: ${os.type()} ${os.release()}`,
    `- Node ${process.version} (\`node -v\`)`,
  ];
}
