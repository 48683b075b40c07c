// Runs every test suite this machine can run, one vitest run per suite, and prints a summary.
// The PostgreSQL suite needs TEST_DATABASE_URL; the browser suite needs /usr/bin/chromium.
// With TEST_REQUIRE_ALL=1 (as in CI) a skipped suite fails the run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

interface Suite {
  name: string;
  paths: string[];
  env: Record<string, string>;
  skipReason: string | null;
}

const chromium = '/usr/bin/chromium';
const databaseUrl = process.env.TEST_DATABASE_URL;
const filters = process.argv.slice(2);

const suites: Suite[] = [
  { name: 'unit', paths: ['src', 'emulator'], env: {}, skipReason: null },
  {
    name: 'integration (PGlite)',
    paths: ['test/integration'],
    env: { TEST_DB_BACKEND: 'pglite' },
    skipReason: null,
  },
  {
    name: 'integration (PostgreSQL)',
    paths: ['test/integration'],
    env: { TEST_DB_BACKEND: 'postgres' },
    skipReason: databaseUrl
      ? null
      : 'set TEST_DATABASE_URL=postgres://user@host:5432/db to run it against a PostgreSQL server',
  },
  {
    name: 'browser',
    paths: ['test/browser'],
    env: { TEST_DB_BACKEND: 'pglite' },
    skipReason: existsSync(chromium)
      ? null
      : 'install Chromium (apt-get install -y chromium) to run it',
  },
];

interface Result {
  name: string;
  passed: number;
  failed: number;
  skipped: number;
  status: 'passed' | 'failed' | 'skipped';
  seconds: number;
  note: string;
}

const results: Result[] = [];
const reportDir = mkdtempSync(path.join(tmpdir(), 'tts-vitest-'));

for (const suite of suites) {
  if (filters.length > 0 && !filters.some((filter) => suite.name.startsWith(filter))) continue;
  if (suite.skipReason) {
    console.log(`\n== ${suite.name}: skipped (${suite.skipReason})`);
    results.push({
      name: suite.name,
      passed: 0,
      failed: 0,
      skipped: 0,
      status: 'skipped',
      seconds: 0,
      note: suite.skipReason,
    });
    continue;
  }
  console.log(`\n== ${suite.name}`);
  const reportFile = path.join(reportDir, `${results.length}.json`);
  const started = Date.now();
  const run = spawnSync(
    'npx',
    [
      'vitest',
      'run',
      ...suite.paths,
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${reportFile}`,
    ],
    { stdio: 'inherit', env: { ...process.env, ...suite.env } },
  );
  const seconds = (Date.now() - started) / 1000;
  const report = existsSync(reportFile)
    ? (JSON.parse(readFileSync(reportFile, 'utf8')) as {
        numPassedTests: number;
        numFailedTests: number;
        numPendingTests: number;
        numTotalTests: number;
      })
    : null;
  const passed = report?.numPassedTests ?? 0;
  const failed = report?.numFailedTests ?? 0;
  const isGreen = run.status === 0 && failed === 0 && passed > 0;
  results.push({
    name: suite.name,
    passed,
    failed,
    skipped: report?.numPendingTests ?? 0,
    status: isGreen ? 'passed' : 'failed',
    seconds,
    note: report ? '' : `vitest exited with ${run.status} and wrote no report`,
  });
}

console.log('\nSuite                       Passed  Failed  Skipped  Seconds  Status');
for (const result of results) {
  console.log(
    `${result.name.padEnd(28)}${String(result.passed).padStart(6)}${String(result.failed).padStart(8)}` +
      `${String(result.skipped).padStart(9)}${result.seconds.toFixed(1).padStart(9)}  ${result.status}` +
      (result.note ? ` (${result.note})` : ''),
  );
}
const total = (key: 'passed' | 'failed' | 'skipped') =>
  results.reduce((sum, result) => sum + result[key], 0);
const skippedSuites = results.filter((result) => result.status === 'skipped');
console.log(
  `\n${total('passed')} passed, ${total('failed')} failed, ${total('skipped')} skipped` +
    (skippedSuites.length > 0
      ? `; ${skippedSuites.length} ${skippedSuites.length === 1 ? 'suite' : 'suites'} not run: ${skippedSuites.map((suite) => suite.name).join(', ')}`
      : ''),
);

const requireAll = process.env.TEST_REQUIRE_ALL === '1';
if (results.some((result) => result.status === 'failed')) process.exit(1);
if (requireAll && skippedSuites.length > 0) {
  console.error(
    `Suites skipped while TEST_REQUIRE_ALL=1: ${skippedSuites.map((suite) => suite.name).join(', ')}`,
  );
  process.exit(1);
}
