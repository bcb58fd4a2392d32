#!/usr/bin/env node
'use strict';
// Entry point of `npm run test:e2e` (after the build and the suite's tsc): runs the e2e mocha suite
// in a real VS Code extension host with ONE @vscode/test-electron runTests() call, on one of two
// backends:
//   electron     VS Code desktop, downloaded into .vscode-test/ by @vscode/test-electron.
//   code-server  VS Code 1.100.3's server and web workbench in headless Chromium, installed from
//                the npm registry alone; runTests() spawns code-server-as-vscode in place of VS Code.
// LYNC_KST_E2E_BACKEND=electron|code-server picks one. Otherwise: electron if a VS Code is already
// cached in .vscode-test/ or update.code.visualstudio.com answers within 3 s, else code-server.
//
// The suite gets a fresh copy of the fixture workspace (tests may edit its files) and writes its
// results to E2E_RESULTS_FILE as {passed, failed, tests: [{title, state, durationMs, error}]}.
// The run ends with the line "N passed, M failed (...)" and exits non-zero when a test failed,
// runTests() failed, or no results were written.

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const https = require('node:https');
const os = require('node:os');
const path = require('node:path');

const { REPO_ROOT: ROOT, FIXTURE_WORKSPACE, copyWorkspace } = require('./harness');

const SUITE_INDEX = path.join(ROOT, 'test/e2e/out/suite/index.js');
// Next to the compiled suite (git-ignored out/), so it can be read or archived after the run.
const RESULTS_FILE = path.join(ROOT, 'test/e2e/out/e2e-results.json');
const RELEASES_URL = 'https://update.code.visualstudio.com/api/releases/stable';
const BACKENDS = ['electron', 'code-server'];

const started = Date.now();
// @vscode/test-electron keeps its VS Code downloads in .vscode-test/ under the working directory
// it sees when loaded; make that the repo root wherever this script is started from.
process.chdir(ROOT);
const { runTests } = require('@vscode/test-electron');

/** True if an HTTPS HEAD request gets any response within `ms` (DNS and connect included). */
function answers(url, ms) {
  return new Promise((resolve) => {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), ms);
    const done = (ok) => {
      clearTimeout(timer);
      resolve(ok);
    };
    https
      .request(url, { method: 'HEAD', signal: abort.signal }, (res) => {
        res.resume();
        done(true);
      })
      .on('error', () => done(false))
      .end();
  });
}

/** Returns [backend, reason]. */
async function chooseBackend() {
  const forced = process.env.LYNC_KST_E2E_BACKEND;
  if (forced) {
    if (!BACKENDS.includes(forced)) throw new Error(`LYNC_KST_E2E_BACKEND must be one of ${BACKENDS.join(', ')}, not '${forced}'`);
    return [forced, 'LYNC_KST_E2E_BACKEND'];
  }
  let cached = [];
  try {
    cached = fs.readdirSync('.vscode-test').filter((name) => name.startsWith('vscode-'));
  } catch {
    // nothing downloaded yet
  }
  // Offline, @vscode/test-electron falls back to the newest VS Code it has cached.
  if (cached.length) return ['electron', `.vscode-test/${cached[0]} is cached`];
  // A plain DNS lookup is not enough: where DNS works but traffic is blocked, only a request tells.
  if (await answers(RELEASES_URL, 3000)) return ['electron', `${RELEASES_URL} answers`];
  return ['code-server', `no VS Code cached in .vscode-test/ and ${RELEASES_URL} does not answer within 3 s`];
}

function readResults() {
  try {
    return JSON.parse(fs.readFileSync(RESULTS_FILE, 'utf8'));
  } catch {
    return undefined;
  }
}

async function main() {
  if (!fs.existsSync(SUITE_INDEX)) {
    throw new Error(`${path.relative(ROOT, SUITE_INDEX)} does not exist: compile the e2e suite first (npm run test:e2e does)`);
  }
  const [backend, reason] = await chooseBackend();
  console.log(`e2e backend: ${backend} (${reason})`);
  if (backend === 'electron' && process.platform === 'linux' && !process.env.DISPLAY) {
    // VS Code desktop needs an X display: run this script again inside a virtual one.
    const xvfb = spawnSync('xvfb-run', ['-a', process.execPath, __filename], {
      stdio: 'inherit',
      env: { ...process.env, LYNC_KST_E2E_BACKEND: 'electron' },
    });
    if (xvfb.error) {
      throw new Error(
        'VS Code desktop needs an X display and DISPLAY is unset; install xvfb (Debian: apt-get install xvfb) or set ' +
          'LYNC_KST_E2E_BACKEND=code-server',
      );
    }
    return xvfb.status ?? 1;
  }

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lync-kst-e2e-workspace-'));
  const workspace = copyWorkspace(FIXTURE_WORKSPACE, tmp);
  fs.mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  fs.rmSync(RESULTS_FILE, { force: true }); // never report a previous run's results

  const options = {
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: SUITE_INDEX,
    launchArgs: [workspace, '--disable-extensions'],
    extensionTestsEnv: { E2E_RESULTS_FILE: RESULTS_FILE },
  };
  if (backend === 'code-server') options.vscodeExecutablePath = path.join(__dirname, 'code-server-as-vscode');
  let runError;
  try {
    await runTests(options);
  } catch (error) {
    runError = error; // "Test run failed with code N", or a download/spawn error
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }

  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const results = readResults();
  if (!results) {
    console.error(
      `e2e: FAILED, the suite wrote no results to ${RESULTS_FILE}${runError ? ` (${runError.message})` : ''} (${seconds} s, ${backend})`,
    );
    return 1;
  }
  for (const test of (results.tests ?? []).filter((t) => t.state === 'failed')) {
    console.error(`e2e: failed: ${test.title}: ${String(test.error).split('\n')[0]}`);
  }
  if (runError) console.error(`e2e: ${runError.message}`);
  if (results.passed + results.failed === 0) console.error('e2e: no tests ran');
  console.log(`${results.passed} passed, ${results.failed} failed (${seconds} s, ${backend})`);
  return runError || results.failed > 0 || results.passed + results.failed === 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`e2e: ${error.message}`);
    process.exit(1);
  },
);
