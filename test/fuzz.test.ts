import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { failed, formatReport, runFuzz } from './fuzz/runner';

// A fixed seed and a case count, not a time budget, so every run tries the same inputs.
// Calibrated to about 15–20 s on the 2-core reference machine; `npm run fuzz` runs longer.
const SEED = 7;
const CASES = 110;
/** Most mutated workspaces still hold a conflict, an XML001 or the like: a harness that analyses nothing fails here. */
const MIN_WITH_FINDINGS = 0.6;

test(`fuzz: ${CASES} mutated workspaces (seed ${SEED}) keep every invariant`, async () => {
  const out = mkdtempSync(path.join(tmpdir(), 'lync-kst-fuzz-'));
  const report = await runFuzz({ seed: SEED, cases: CASES, out, log: () => {} });
  assert.equal(report.cases, CASES, 'every case ran');
  assert.ok(
    report.withFindings >= CASES * MIN_WITH_FINDINGS,
    `only ${report.withFindings} of ${report.cases} cases had findings: the cases do not reach the engine`,
  );
  assert.equal(failed(report), 0, `reproducers in ${out} (npm run fuzz -- --replay DIR re-runs one):\n${formatReport(report)}`);
  rmSync(out, { recursive: true, force: true });
});
