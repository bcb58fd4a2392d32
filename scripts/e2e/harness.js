'use strict';
// Shared by run-code-server-tests.js (the e2e test runner) and screenshots.js: make sure code-server
// is installed, start it, open its web workbench in headless Chromium, and tear it all down again.
//
// Why code-server: it is the real VS Code 1.100.3 server, so the extension runs in a real Node
// extension host, and it installs from the npm registry alone (see install-code-server.sh), where
// @vscode/test-electron needs to download VS Code from the internet.

const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

// Shared with run-e2e.js: the folder the e2e tests and screenshots open (always as a copy).
const REPO_ROOT = path.resolve(__dirname, '../..');
// The example workspace (the seed conflict) with the suite's extra files laid over it.
const FIXTURE_WORKSPACE = [path.join(REPO_ROOT, 'examples/contoso'), path.join(REPO_ROOT, 'test/e2e/workspace')];

const CODE_SERVER_VERSION = '4.100.3';
const INSTALL_SCRIPT = path.join(__dirname, 'install-code-server.sh');
const CHROMIUM = '/usr/bin/chromium';
// Headless, and quiet: no sandbox (CI runs as root), no GPU, and none of Chromium's own traffic
// (QUIC, component updates, sync), which would only time out offline.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];
// Written to the throwaway user data dir before code-server starts.
const USER_SETTINGS = {
  // Without these two the workbench starts in Restricted Mode (workspace.isTrusted === false)
  // and opens a walkthrough tab over the editor area.
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  // The rest only cuts noise and network attempts.
  'security.workspace.trust.startupPrompt': 'never',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'workbench.enableExperiments': false,
};
const HEALTHZ_TIMEOUT_MS = 30_000;

/** Progress line with the time since this process started, e.g. "[e2e 3.9 s] workbench rendered". */
function log(message) {
  console.log(`[e2e ${process.uptime().toFixed(1)} s] ${message}`);
}

/** Copies one folder, or several laid over each other, into `dir/workspace` for a run to edit freely. */
function copyWorkspace(sources, dir) {
  const copy = path.join(dir, 'workspace');
  for (const source of [].concat(sources)) fs.cpSync(source, copy, { recursive: true });
  return copy;
}

/** Keep in sync with the DEST default in install-code-server.sh. */
function defaultCodeServerDir() {
  const cache = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(cache, 'lync-kst', `code-server-${CODE_SERVER_VERSION}`);
}

/**
 * Returns the code-server install dir ($CODE_SERVER_DIR, else the default), running
 * install-code-server.sh first unless its stamp says this version is installed for this Node ABI.
 */
function ensureCodeServer() {
  const dir = process.env.CODE_SERVER_DIR || defaultCodeServerDir();
  const stamp = `code-server@${CODE_SERVER_VERSION} node-abi-${process.versions.modules}`;
  let found = '';
  try {
    found = fs.readFileSync(path.join(dir, '.install-complete'), 'utf8').trim();
  } catch {
    // not installed yet
  }
  if (found !== stamp) {
    const result = spawnSync('bash', [INSTALL_SCRIPT, dir], { stdio: 'inherit' });
    if (result.status !== 0) {
      throw new Error(`installing code-server into ${dir} failed (${result.error ?? `exit ${result.status}`})`);
    }
  }
  return dir;
}

/** A port that was free a moment ago on 127.0.0.1 (code-server fails at once if it is taken since). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function healthy(port) {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/healthz', timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

/**
 * One code-server plus one headless Chromium page on its workbench, with everything in a throwaway
 * temp dir. The constructor installs code-server if needed (that can take ~30-50 s once), so callers
 * can start their own timeouts after it. Whatever happens, the code-server process group is killed
 * and the temp dir removed (unless keepTmpDir() was called) when this process exits.
 */
class Workbench {
  constructor() {
    this.codeServerDir = ensureCodeServer();
    this.tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lync-kst-e2e-'));
    this.logFile = path.join(this.tmpDir, 'code-server.log');
    this.keepTmp = false;
    this.reportedKeep = false;
    this.server = undefined;
    this.serverExit = undefined;
    this.port = undefined;
    this.browser = undefined;
    this.page = undefined;
    // Last resort for process.exit(), uncaught errors and the signals below: only synchronous work
    // is possible here. Playwright kills its Chromium in its own exit handler.
    process.on('exit', () => this.cleanupSync());
    for (const [signal, code] of [
      ['SIGINT', 130],
      ['SIGTERM', 143],
      ['SIGHUP', 129],
    ]) {
      process.once(signal, () => {
        log(`${signal}: stopping`);
        process.exit(code);
      });
    }
  }

  /** vscode-remote URI of an absolute path on this machine, as the workbench's remote host sees it. */
  remote(absPath) {
    // The authority must be exactly the host:port the page was loaded from.
    return `vscode-remote://127.0.0.1:${this.port}${absPath}`;
  }

  /**
   * Starts code-server and opens the workbench on `folder`.
   * payload(remote) returns the workbench's [key, value] launch options (extensionDevelopmentPath,
   * extensionTestsPath, openFile, disableExtensions), the web equivalent of VS Code's CLI flags;
   * path values must be remote(absPath) URIs.
   * beforeOpen(page) runs before the workbench loads (for page.exposeFunction).
   */
  async open({ folder, payload = () => [], beforeOpen = async () => {}, viewport = { width: 1280, height: 800 } }) {
    await this.startServer(folder);
    log(`code-server ${CODE_SERVER_VERSION} ready on 127.0.0.1:${this.port}`);

    const { chromium } = require('playwright-core');
    // Playwright's own signal handlers would swallow Ctrl+C; the constructor's handlers exit instead.
    this.browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
    this.page = await this.browser.newPage({ viewport });
    // The workbench's own console, kept for diagnosis (timeouts, a workbench that never renders).
    // Appended synchronously, so nothing is lost when the process exits right after a timeout.
    const browserLog = path.join(this.tmpDir, 'browser.log');
    this.page.on('console', (msg) => fs.appendFileSync(browserLog, `${msg.type()}: ${msg.text()}\n`));
    this.page.on('pageerror', (err) => fs.appendFileSync(browserLog, `pageerror: ${err.stack || err}\n`));
    log('chromium launched');

    await beforeOpen(this.page);
    // encodeURIComponent, not URLSearchParams: the latter writes spaces as '+'.
    const query = [];
    if (folder) query.push(`folder=${encodeURIComponent(folder)}`);
    const options = payload((p) => this.remote(p));
    if (options.length) query.push(`payload=${encodeURIComponent(JSON.stringify(options))}`);
    await this.page.goto(`http://127.0.0.1:${this.port}/?${query.join('&')}`);
    log('workbench page loaded');
  }

  async startServer(folder) {
    const userData = path.join(this.tmpDir, 'user-data');
    fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
    fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
    this.port = await freePort();

    // Our environment reaches the extension host through code-server: that is how
    // extensionTestsEnv (E2E_RESULTS_FILE, ...) gets to the test suite.
    const env = { ...process.env, EXTENSIONS_GALLERY: '{}' }; // no Open VSX gallery: offline, no lookups
    // Set inside a VS Code / code-server terminal; code-server would then hand the folder to that
    // instance, or wait for a parent process, instead of starting a server of its own.
    delete env.VSCODE_IPC_HOOK_CLI;
    delete env.CODE_SERVER_PARENT_PID;

    const out = fs.openSync(this.logFile, 'a');
    const entry = path.join(this.codeServerDir, 'node_modules/code-server/out/node/entry.js');
    // Same Node as this process: the native addons were built for its ABI (see the stamp).
    // detached: its own process group, so one kill also ends the extension host, file watcher and
    // pty host it forks.
    this.server = spawn(
      process.execPath,
      [
        entry,
        '--auth',
        'none',
        '--bind-addr',
        `127.0.0.1:${this.port}`,
        '--disable-telemetry',
        '--disable-update-check',
        '--disable-workspace-trust',
        '--disable-getting-started-override',
        // Throwaway config, so code-server does not create ~/.config/code-server/config.yaml.
        '--config',
        path.join(this.tmpDir, 'config.yaml'),
        '--user-data-dir',
        userData,
        '--extensions-dir',
        path.join(this.tmpDir, 'extensions'),
        ...(folder ? [folder] : []),
      ],
      { detached: true, stdio: ['ignore', out, out], env },
    );
    fs.closeSync(out);
    this.serverExit = new Promise((resolve) => this.server.once('exit', (code, signal) => resolve(code ?? signal)));

    const deadline = Date.now() + HEALTHZ_TIMEOUT_MS;
    let exited = false;
    this.serverExit.then(() => (exited = true));
    while (!(await healthy(this.port))) {
      if (exited || Date.now() > deadline) {
        this.keepTmpDir();
        throw new Error(
          `code-server ${exited ? 'exited' : `did not answer /healthz within ${HEALTHZ_TIMEOUT_MS / 1000} s`} (see ${this.logFile})`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Keep the temp dir (code-server.log, browser.log, screenshots) after exit, for diagnosis. */
  keepTmpDir() {
    this.keepTmp = true;
  }

  /** Closes Chromium, kills code-server's process group, removes the temp dir unless kept. */
  async close() {
    if (this.browser) await this.browser.close().catch(() => {});
    this.browser = undefined;
    this.cleanupSync();
  }

  cleanupSync() {
    if (this.server) {
      // The whole group: the extension host, file watcher and pty host are code-server's children
      // and would outlive it. SIGKILL, not SIGTERM: an orderly shutdown takes ~1 s and buys nothing
      // here, since the temp dir with all its state goes away anyway.
      try {
        process.kill(-this.server.pid, 'SIGKILL');
      } catch {
        // the group is already gone
      }
    }
    this.server = undefined;
    if (this.keepTmp) {
      if (!this.reportedKeep) log(`kept ${this.tmpDir} (code-server.log, browser.log) for diagnosis`);
      this.reportedKeep = true;
    } else {
      fs.rmSync(this.tmpDir, { recursive: true, force: true, maxRetries: 3 });
    }
  }
}

module.exports = { Workbench, log, copyWorkspace, REPO_ROOT, FIXTURE_WORKSPACE };
