#!/usr/bin/env node
'use strict';
// Runs a VS Code extension test suite (a module whose run() starts mocha, as for
// @vscode/test-electron) in code-server's real Node extension host, driven by headless Chromium,
// and exits with the suite's exit code. It takes VS Code's command line, so that runTests() can
// spawn it in place of VS Code through the code-server-as-vscode shim:
//
//   node scripts/e2e/run-code-server-tests.js --extensionDevelopmentPath=EXT_DIR \
//     --extensionTestsPath=SUITE_INDEX_JS [--disable-extensions] [WORKSPACE_FOLDER]
//
// Other flags (runTests() adds --no-sandbox, --user-data-dir=..., etc.) are ignored: code-server
// gets throwaway dirs of its own. They must use the --flag=value form.
//
// Environment: CODE_SERVER_DIR (install dir; installed there on first use), LYNC_KST_E2E_TIMEOUT
// (seconds, default 180, counted after the install check). Everything else in the environment
// reaches the suite, as runTests()'s extensionTestsEnv does with VS Code.
//
// How: code-server's own CLI rejects --extensionTestsPath, but its web workbench accepts the same
// options in the URL's `payload`. It then runs the suite in the extension host on the server,
// forwards that host's console to window.codeAutomationLog and, when the suite is done, calls
// window.codeAutomationExit(code) in the page (the protocol of @vscode/test-web).

const fs = require('node:fs');
const path = require('node:path');
const util = require('node:util');
const { Workbench, log } = require('./harness');

function tail(file, lines = 30) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function parseArgs(argv) {
  const devPaths = [];
  const folders = [];
  const ignored = [];
  let testsPath;
  let disableExtensions = false;
  for (let i = 0; i < argv.length; i++) {
    const match = /^--([^=]+)(?:=(.*))?$/s.exec(argv[i]);
    if (!match) {
      folders.push(argv[i]);
      continue;
    }
    const [, name, inline] = match;
    if (name === 'extensionDevelopmentPath') devPaths.push(inline ?? argv[++i]);
    else if (name === 'extensionTestsPath') testsPath = inline ?? argv[++i];
    else if (name === 'disable-extensions') disableExtensions = true;
    else ignored.push(argv[i]);
  }
  const usage = 'usage: run-code-server-tests.js --extensionDevelopmentPath=DIR --extensionTestsPath=FILE [--disable-extensions] [FOLDER]';
  // The payload is read into a Map, so a second extensionDevelopmentPath would silently replace the first.
  if (devPaths.length !== 1) throw new Error(`exactly one --extensionDevelopmentPath is supported\n${usage}`);
  if (!testsPath) throw new Error(`--extensionTestsPath is required\n${usage}`);
  if (folders.length > 1) throw new Error(`at most one workspace folder is supported, got: ${folders.join(' ')}\n${usage}`);
  if (ignored.length) log(`ignoring VS Code flags: ${ignored.join(' ')}`);
  return {
    extensionDevelopmentPath: path.resolve(devPaths[0]),
    extensionTestsPath: path.resolve(testsPath),
    folder: folders.length ? path.resolve(folders[0]) : undefined,
    disableExtensions,
  };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const timeoutSeconds = Number(process.env.LYNC_KST_E2E_TIMEOUT || 180);
  if (!(timeoutSeconds > 0)) throw new Error(`LYNC_KST_E2E_TIMEOUT must be a number of seconds, not '${process.env.LYNC_KST_E2E_TIMEOUT}'`);
  const workbench = new Workbench();

  // The first of: the suite's exit code, the timeout, a crash.
  let finish;
  const outcome = new Promise((resolve) => (finish = resolve));
  const timer = setTimeout(() => finish({ timedOut: true }), timeoutSeconds * 1000);

  workbench
    .open({
      folder: args.folder,
      payload: (remote) => [
        ['extensionDevelopmentPath', remote(args.extensionDevelopmentPath)],
        ['extensionTestsPath', remote(args.extensionTestsPath)],
        ...(args.disableExtensions ? [['disableExtensions', 'true']] : []),
      ],
      beforeOpen: async (page) => {
        // The extension host's console (mocha's reporter among it); the arguments are printf-style.
        await page.exposeFunction('codeAutomationLog', (_level, logArgs) => console.log(util.format(...logArgs)));
        await page.exposeFunction('codeAutomationExit', (code) => finish({ code }));
        page.on('crash', () => finish({ error: new Error('the workbench page crashed') }));
        // Only a progress line: when a run times out, its absence points at the page, not the suite.
        page.waitForSelector('.monaco-workbench', { timeout: 0 }).then(
          () => log('workbench rendered'),
          () => {},
        );
      },
    })
    .then(
      () => workbench.serverExit.then((code) => finish({ error: new Error(`code-server exited (${code})`) })),
      (error) => finish({ error }),
    );

  const result = await outcome;
  clearTimeout(timer);
  if ('code' in result) {
    log(`tests finished with exit code ${result.code}`);
    // A failed run keeps its logs (code-server's, the browser's, the extension host's output channels).
    if (result.code !== 0) workbench.keepTmpDir();
    await workbench.close();
    process.exit(Number.isInteger(result.code) ? result.code : 1);
  }

  workbench.keepTmpDir();
  if (result.timedOut) {
    console.error(`run-code-server-tests: no result after ${timeoutSeconds} s (LYNC_KST_E2E_TIMEOUT)`);
    if (workbench.page) {
      const shot = path.join(workbench.tmpDir, 'timeout.png');
      await workbench.page.screenshot({ path: shot, timeout: 10_000 }).then(
        () => console.error(`run-code-server-tests: screenshot: ${shot}`),
        (error) => console.error(`run-code-server-tests: no screenshot: ${error.message}`),
      );
    }
  } else {
    console.error(`run-code-server-tests: ${result.error.message}`);
  }
  console.error(`run-code-server-tests: last lines of ${workbench.logFile}:\n${tail(workbench.logFile)}`);
  await workbench.close();
  process.exit(1);
}

main().catch((error) => {
  console.error(`run-code-server-tests: ${error.message}`);
  process.exit(1);
});
