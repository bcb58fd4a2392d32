import { readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

interface Result {
  title: string;
  state: 'passed' | 'failed';
  durationMs: number;
  error?: string;
}

/**
 * Entry point the extension host calls (extensionTestsPath): runs every *.test.js next to this
 * file with mocha and, when E2E_RESULTS_FILE is set, writes the outcome there for the runner's
 * closing line. Rejects when a test failed, so the host exits non-zero.
 */
export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000 });
  for (const f of readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .sort())
    mocha.addFile(path.join(__dirname, f));
  const results: Result[] = [];
  const failures = await new Promise<number>((resolve) => {
    const runner = mocha.run(resolve);
    runner.on('pass', (t) => results.push({ title: t.fullTitle(), state: 'passed', durationMs: t.duration ?? 0 }));
    runner.on('fail', (t, err: Error) =>
      results.push({ title: t.fullTitle(), state: 'failed', durationMs: t.duration ?? 0, error: err.stack ?? err.message }),
    );
  });
  const file = process.env.E2E_RESULTS_FILE;
  if (file) {
    const passed = results.filter((r) => r.state === 'passed').length;
    writeFileSync(file, JSON.stringify({ passed, failed: results.length - passed, tests: results }, null, 2));
  }
  if (failures > 0) throw new Error(`${failures} end-to-end test(s) failed`);
}
