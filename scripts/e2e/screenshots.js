#!/usr/bin/env node
'use strict';
// Screenshots of the extension at work in the real VS Code workbench (code-server 1.100.3 in
// headless Chromium): a visual check of what the e2e tests can only assert through the API
// (squiggles, hovers, the Problems panel, that the extension activates without help).
//
// `npm run screenshots [-- DIR]` writes the README's pictures (default docs/screenshots/):
// problems.png, hover.png, quick-fix.png, kst-view.png, code-lens.png, outline.png. Look at them before committing.
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
    const copy = copyWorkspace(
      [].concat(workspace).map((w) => path.resolve(w)),
      workbench.tmpDir,
    );
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

/** Where the README's pictures live. */
const OUT = path.join(REPO_ROOT, 'docs', 'screenshots');

/**
 * The README's screenshots, in one workbench session on the e2e workspace (the seed conflict):
 * the squiggle with the Problems panel, the hover, the quick-fix menu and the KST view.
 */
async function readmeShots(out) {
  await withWorkbench({ file: 'topology.xml', viewport: { width: 1600, height: 1000 } }, async (shots) => {
    const squiggle = '.monaco-editor .squiggly-error';
    await shots.waitFor('.monaco-editor .view-lines', { hasText: 'Topology' });
    await shots.press('Control+Shift+M');
    await shots.waitFor('.markers-panel .monaco-list-row', { hasText: 'KST001' });
    // The trusted pool is at line 37, below the first screen: go there, as a user would.
    await shots.press('Control+G');
    await shots.page.keyboard.type('37:70');
    await shots.press('Enter');
    await shots.waitFor(squiggle);
    await shots.screenshot(path.join(out, 'problems.png'));

    // The hover on the pool's computer (line 39, same FQDN, no diagnostic of its own) shows the
    // explanation without the diagnostic text above it; the hover has a fixed maximum height.
    await shots.press('Control+J', 'Control+G');
    await shots.page.keyboard.type('39:55');
    await shots.press('Enter', 'Control+K', 'Control+I');
    const hover = await shots.waitFor('.monaco-hover', { hasText: 'Event 14563' });
    // Hovers fade in: shoot once fully drawn.
    await hover.evaluate(
      (el) =>
        new Promise((resolve) => {
          const check = () => (getComputedStyle(el).opacity === '1' ? resolve() : requestAnimationFrame(check));
          check();
        }),
    );
    await shots.screenshot(path.join(out, 'hover.png'));

    await shots.press('Escape');
    await shots.page.locator(squiggle).first().click({ force: true });
    await shots.press('Control+.');
    await shots.waitFor('.action-widget', { hasText: 'Option 1' });
    await shots.screenshot(path.join(out, 'quick-fix.png'));

    await shots.press('Escape', 'F1');
    await shots.page.keyboard.type('Lync KST: Show Known Servers Table');
    await shots.waitFor('.quick-input-list .monaco-list-row', { hasText: 'Show Known Servers Table' });
    await shots.press('Enter');
    await shots.waitFor('.monaco-editor .view-lines', { hasText: 'Start-up events' });
    // The view opens beside the topology; give it the whole window for the picture.
    await shots.page.keyboard.press('F1');
    await shots.page.keyboard.type('View: Close Editors in Other Groups');
    await shots.waitFor('.quick-input-list .monaco-list-row', { hasText: 'Close Editors in Other Groups' });
    await shots.press('Enter');
    await shots.waitFor('.monaco-editor .view-lines', { hasText: 'Start-up events' });
    await shots.screenshot(path.join(out, 'kst-view.png'));

    // The topology again, with its code lenses, and its outline in the Explorer.
    await shots.page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'topology.xml' }).first().click();
    await shots.waitFor('.monaco-editor .codelens-decoration', { hasText: 'KST:' });
    await shots.press('Control+G');
    await shots.page.keyboard.type('20:1');
    await shots.press('Enter');
    await shots.waitFor('.monaco-editor .codelens-decoration', { hasText: 'KST: known, v6' });
    await shots.screenshot(path.join(out, 'code-lens.png'));
    await shots.page.keyboard.press('F1');
    await shots.page.keyboard.type('Explorer: Focus on Outline View');
    await shots.waitFor('.quick-input-list .monaco-list-row', { hasText: 'Focus on Outline View' });
    await shots.press('Enter');
    await shots.waitFor('.outline-pane .monaco-list-row', { hasText: 'Contoso-HQ' });
    await shots.page.keyboard.press('Shift+NumpadMultiply').catch(() => undefined);
    await shots.waitFor('.outline-pane .monaco-list-row', { hasText: 'pool01.contoso.com' });
    await shots.screenshot(path.join(out, 'outline.png'));
  });
}

if (require.main === module) {
  readmeShots(process.argv[2] ?? OUT).then(
    () => process.exit(0),
    (error) => {
      console.error(`screenshots: ${error.message}`);
      process.exit(1);
    },
  );
}

module.exports = { withWorkbench, Shots };
