/**
 * `npm run test:editors`: the language server in the editors people use beside VS Code, driven
 * by their own LSP clients: Neovim 0.7 (`vim.lsp.start_client`, test/editors/neovim.lua) and
 * Emacs 28 with eglot 1.9 (test/editors/eglot.el). Each opens the example, waits for KST001,
 * hovers, applies the preferred fix as the editor applies it, saves, and sees the stale
 * diagnostics go; this side checks what it saw and the files on disk. Debian 12's packages
 * (`neovim`, `emacs-nox`, `elpa-eglot`) are what .ci/run installs; without them the test fails
 * and says so.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { SourceFile } from '../../server/src/text/source';
import { parseXml } from '../../server/src/xml/document';
import { ROOT } from '../helpers';

const SERVER = path.join(ROOT, 'server', 'out', 'server.js');
const EXAMPLE = path.join(ROOT, 'examples', 'contoso');

interface Seen {
  error: string | null;
  steps: string[];
  kst001?: { topology: string[]; plans: string[] };
  hover?: string;
  outline?: string[];
  definition?: { from: number; to: number; cluster: number };
  lenses?: string[];
  actions?: string[];
  applied?: string;
  clean?: { topology: string[]; plans: string[] };
}

/** Runs an editor on a copy of the example; returns what it saw and the folder it worked in. */
function drive(command: string, args: string[]): { seen: Seen; dir: string; output: string } {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  if (found.status !== 0) {
    throw new Error(`${command} is not installed: install Debian's neovim, emacs-nox and elpa-eglot (.ci/run does) to run this test`);
  }
  const dir = mkdtempSync(path.join(tmpdir(), `lync-kst-${command}-`));
  cpSync(EXAMPLE, dir, { recursive: true });
  const result = path.join(dir, '..', `${path.basename(dir)}.json`);
  const r = spawnSync(command, args, {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 180_000,
    env: { ...process.env, LYNC_KST_SERVER: SERVER, LYNC_KST_WORKSPACE: dir, LYNC_KST_RESULT: result },
  });
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  let seen: Seen;
  try {
    seen = JSON.parse(readFileSync(result, 'utf8')) as Seen;
  } catch {
    throw new Error(`${command} wrote no result (exit ${r.status}, signal ${r.signal}):\n${output.slice(-3000)}`);
  } finally {
    rmSync(result, { force: true });
  }
  return { seen, dir, output };
}

/** What both editors must have seen, and what must be on disk after the fix. */
function checkRun(editor: string, run: ReturnType<typeof drive>, navigation = false): void {
  const { seen, dir } = run;
  try {
    assert.equal(seen.error, null, `${editor}: ${seen.error}\n${run.output.slice(-2000)}`);
    assert.deepEqual(seen.steps, [
      'kst001',
      'hover',
      ...(navigation ? ['outline', 'definition', 'lenses'] : []),
      'actions',
      'applied',
      'clean',
    ]);
    if (navigation) {
      assert.deepEqual(seen.outline, ['Contoso-HQ', 'SQL instance rtc']);
      assert.equal(seen.definition?.to, seen.definition?.cluster, 'the service goes to its cluster');
      assert.ok(seen.lenses?.includes('KST: dropped by 14563 (3 entries)'), JSON.stringify(seen.lenses));
    }
    assert.ok(seen.kst001?.topology.includes('KST001') && seen.kst001.plans.includes('KST001'));
    assert.match(seen.hover ?? '', /ex1\.contoso\.com/);
    assert.match(seen.hover ?? '', /14563/);
    assert.match(seen.applied ?? '', /^Option 1: remove Trusted Application Pool ex1\.contoso\.com/);
    assert.ok(
      seen.actions?.some((t) => t.startsWith('Option 2')),
      'Option 2 is offered too',
    );
    assert.deepEqual(seen.clean, { topology: [], plans: [] }, 'the stale KST001 is gone from both files');

    const topology = readFileSync(path.join(dir, 'topology.xml'), 'utf8');
    assert.equal(parseXml(new SourceFile('topology.xml', topology)).error, undefined, 'the topology on disk is well-formed');
    assert.match(topology, /<!-- lync-kst removed-pool ex1\.contoso\.com/);
    assert.doesNotMatch(topology.replace(/<!--[\s\S]*?-->/g, ''), /Fqdn="ex1\.contoso\.com"/);
    const script = readFileSync(path.join(dir, 'new-owa-trusted-app.ps1'), 'utf8');
    assert.match(script, /lync-kst removed-pool ex1\.contoso\.com/);
    assert.equal(
      readFileSync(path.join(dir, 'contoso.umdialplans.json'), 'utf8'),
      readFileSync(path.join(EXAMPLE, 'contoso.umdialplans.json'), 'utf8'),
      'the dial plan is left alone',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('other editors, through their own LSP clients', () => {
  test('Neovim 0.7: diagnostics, hover, outline, definition, code lens, the preferred fix, files on disk, stale diagnostics gone', () => {
    checkRun('Neovim', drive('nvim', ['--headless', '-u', 'NONE', '-i', 'NONE', '-n', '-c', 'luafile test/editors/neovim.lua']), true);
  });

  test('Emacs 28 with eglot 1.9: the same', () => {
    checkRun('Emacs', drive('emacs', ['--batch', '-l', 'test/editors/eglot.el']));
  });
});
