#!/usr/bin/env node
'use strict';
// Screenshots of the extension at work in the real VS Code workbench (code-server 1.100.3 in
// headless Chromium): a visual check of what the e2e tests can only assert through the API
// (squiggles, hovers, the Problems panel, that the extension activates without help).
//
// CLI (`npm run screenshots -- OUT.png [FILE]`):
//   node scripts/e2e/screenshots.js OUT.png [FILE] [--workspace=DIR] [--extension=DIR] [--wait-for=SELECTOR]
// opens a copy of DIR (default test/e2e/workspace) with the extension in --extension (default the
// repo root, which must be built) loaded for development, opens FILE (relative to the workspace)
// in an editor, and writes one screenshot once the workbench and the editor have rendered.
// That is about a second before the extension host has even registered languages (the status bar
// still says Plain Text), so give --wait-for (e.g. '.monaco-editor .squiggly-error') for a shot
// that shows what the extension does.
//
// Library, for scripted shots:
//   const { withWorkbench } = require('./scripts/e2e/screenshots');
//   await withWorkbench({ file: 'topology.tbxml' }, async (wb) => {
//     await wb.waitFor('.monaco-editor .squiggly-warning');
//     await wb.hover('.monaco-editor .squiggly-warning');
//     await wb.waitFor('.monaco-hover:not(.hidden)', { hasText: 'KST' });
//     await wb.screenshot('out/shots/hover.png');
//   });

const fs = require('node:fs');
const path = require('node:path');
const { Workbench, log, copyWorkspace, REPO_ROOT, FIXTURE_WORKSPACE } = require('./harness');

/** A workbench opened for screenshots, with a few helpers over its Playwright `page`. */
class Shots {
  constructor(page, workspace) {
    this.page = page;
    /** The temp copy of the workspace that is open (shots may edit files in it). */
    this.workspace = workspace;
  }

  /** Waits until the first element matching `selector` (and containing `hasText`) is visible. */
  async waitFor(selector, { hasText, timeout = 30_000 } = {}) {
    const locator = this.page.locator(selector, { hasText }).first();
    await locator.waitFor({ state: 'visible', timeout });
    return locator;
  }

  /** Moves the mouse to the middle of the first element matching `selector`. */
  async hover(selector) {
    // force: Monaco draws decorations such as squiggles in a layer under the text, so Playwright's
    // check that the element itself would receive the pointer always fails for them.
    await this.page.locator(selector).first().hover({ force: true });
  }

  /** Presses keys one after the other, in Playwright's notation: 'Control+Shift+M', 'Escape'. */
  async press(...keys) {
    for (const key of keys) await this.page.keyboard.press(key);
  }

  /** Writes a PNG of the whole page to `file` (parent directories are created). */
  async screenshot(file) {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    await this.page.screenshot({ path: file });
    log(`screenshot: ${file}`);
  }
}

/**
 * Opens a copy of `workspace` with `extension` loaded for development and `file` (relative to the
 * workspace) open, waits for the workbench (and that editor) to render, runs `shoot(shots)`, and
 * always tears everything down. On failure it saves failure.png and keeps the temp dir with the logs.
 */
async function withWorkbench({ workspace = FIXTURE_WORKSPACE, extension = REPO_ROOT, file, viewport }, shoot) {
  const workbench = new Workbench();
  try {
    const copy = copyWorkspace([].concat(workspace).map((w) => path.resolve(w)), workbench.tmpDir);
    await workbench.open({
      folder: copy,
      viewport,
      payload: (remote) => [
        ['extensionDevelopmentPath', remote(path.resolve(extension))],
        ...(file ? [['openFile', remote(path.join(copy, file))]] : []),
      ],
    });
    const shots = new Shots(workbench.page, copy);
    await shots.waitFor('.monaco-workbench');
    if (file) await shots.waitFor('.editor-instance .monaco-editor .view-lines');
    log(file ? `workbench rendered with ${file} open` : 'workbench rendered');
    await shoot(shots);
  } catch (error) {
    workbench.keepTmpDir();
    if (workbench.page) await workbench.page.screenshot({ path: path.join(workbench.tmpDir, 'failure.png') }).catch(() => {});
    throw error;
  } finally {
    await workbench.close();
  }
}

async function main(argv) {
  const options = {};
  const positional = [];
  for (const arg of argv) {
    const match = /^--(workspace|extension|wait-for)=(.+)$/.exec(arg);
    if (match) options[match[1]] = match[2];
    else if (arg.startsWith('--')) throw new Error(`unknown option ${arg}`);
    else positional.push(arg);
  }
  const [out, file] = positional;
  if (!out || positional.length > 2) {
    throw new Error('usage: screenshots.js OUT.png [FILE-IN-WORKSPACE] [--workspace=DIR] [--extension=DIR] [--wait-for=SELECTOR]');
  }
  const { workspace, extension, 'wait-for': waitFor } = options;
  await withWorkbench({ workspace, extension, file }, async (shots) => {
    if (waitFor) await shots.waitFor(waitFor);
    await shots.screenshot(out);
  });
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    () => process.exit(0),
    (error) => {
      console.error(`screenshots: ${error.message}`);
      process.exit(1);
    },
  );
}

module.exports = { withWorkbench, Shots };
