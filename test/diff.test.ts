/**
 * `lync-kst diff`: what publishing a change does to the Known Servers Table, between folders,
 * a backup file against the workspace, and a git revision against the working tree.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { diffKst } from '../server/src/simulate/diff';
import { EXAMPLE, ROOT, run } from './helpers';

const CLI = path.join(ROOT, 'server', 'out', 'cli.js');
const cli = (args: string[], cwd = ROOT) => {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
const TOPOLOGY = readFileSync(path.join(EXAMPLE, 'topology.xml'), 'utf8');
const PLANS = readFileSync(path.join(EXAMPLE, 'contoso.umdialplans.json'), 'utf8');
const POOL_START = TOPOLOGY.indexOf('<Cluster RequiresReplication="false" RequiresSetup="false" Fqdn="ex1.contoso.com">');
const WITHOUT_POOL = TOPOLOGY.slice(0, POOL_START) + TOPOLOGY.slice(TOPOLOGY.indexOf('</Cluster>', POOL_START) + '</Cluster>'.length);

/** A folder with a topology and the dial plans, no script and no event export. */
function workspace(topology: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'lync-kst-diff-'));
  writeFileSync(path.join(dir, 'topology.xml'), topology);
  writeFileSync(path.join(dir, 'contoso.umdialplans.json'), PLANS);
  return dir;
}

describe('the difference of two tables', () => {
  test('a pool added where a SipName plan hosts the server: a new conflict, 14563 then 14495', () => {
    const before = run({ 't.xml': WITHOUT_POOL, 'p.umdialplans.json': PLANS }).kst;
    const after = run({ 't.xml': TOPOLOGY, 'p.umdialplans.json': PLANS }).kst;
    const d = diffKst(before, after);
    assert.deepEqual(
      d.changes.map((c) => [c.fqdn, c.before, c.after]),
      [['ex1.contoso.com', { state: 'known', versions: [0] }, { state: 'dropped', versions: [6, 0] }]],
    );
    assert.deepEqual(
      d.conflictsAppear.map((c) => c.fqdn),
      ['ex1.contoso.com'],
    );
    assert.deepEqual(
      d.events.map((e) => e.id),
      [14563, 14495],
    );
    assert.deepEqual(
      diffKst(after, before).events.map((e) => [e.id, e.fqdn]),
      [[14493, 'ex1.contoso.com']],
    );
    assert.deepEqual(diffKst(after, after), { changes: [], conflictsAppear: [], conflictsGone: [], events: [] });
  });

  test('a pool re-versioned (SfB 2015 in place of Lync 2013): removed and added again, no conflict', () => {
    const upgraded = WITHOUT_POOL.replace(/ServiceVersion="6"/g, 'ServiceVersion="7"');
    assert.notEqual(upgraded, WITHOUT_POOL);
    const d = diffKst(run({ 't.xml': WITHOUT_POOL }).kst, run({ 't.xml': upgraded }).kst);
    const pool = d.changes.find((c) => c.fqdn === 'pool01.contoso.com');
    assert.deepEqual(
      [pool?.before, pool?.after],
      [
        { state: 'known', versions: [6] },
        { state: 'known', versions: [7] },
      ],
    );
    assert.deepEqual(
      d.events.filter((e) => e.fqdn === 'pool01.contoso.com').map((e) => e.id),
      [14495, 14493],
    );
    assert.equal(d.conflictsAppear.length, 0);
  });
});

describe('lync-kst diff', () => {
  test('two folders: exit 1 when the change adds a conflict, 0 when it resolves one, as text and JSON', () => {
    const old = workspace(WITHOUT_POOL);
    const now = workspace(TOPOLOGY);
    const adds = cli(['diff', old, now]);
    assert.equal(adds.code, 1, adds.stdout + adds.stderr);
    assert.match(adds.stdout, /^New conflict: ex1\.contoso\.com/m);
    assert.match(adds.stdout, /^ {2}14563 {2}Error\s+LS Protocol Stack: ex1\.contoso\.com/m);
    const resolves = cli(['diff', now, old]);
    assert.equal(resolves.code, 0);
    assert.match(resolves.stdout, /^Conflict resolved: ex1\.contoso\.com\.$/m);
    const json = JSON.parse(cli(['diff', '--format', 'json', old, now]).stdout) as {
      conflictsAppear: { fqdn: string }[];
      events: { id: number }[];
    };
    assert.deepEqual([json.conflictsAppear.map((c) => c.fqdn), json.events.map((e) => e.id)], [['ex1.contoso.com'], [14563, 14495]]);
  });

  test("the backup Publish-CsTopology left, against the workspace: the file stands for the topology, the rest is the workspace's", () => {
    const now = workspace(TOPOLOGY);
    const backup = path.join(mkdtempSync(path.join(tmpdir(), 'lync-kst-backup-')), 'Publish-CsTopology-Backup-20261130.xml');
    writeFileSync(backup, WITHOUT_POOL);
    const r = cli(['diff', backup, now]);
    assert.equal(r.code, 1, r.stdout);
    assert.match(r.stdout, /^ex1\.contoso\.com\s+known \(0\)\s+dropped \(6, 0\)/m);
  });

  test('--git REV: the same paths at a revision against the working tree; an unknown revision is a usage error', () => {
    const repo = workspace(WITHOUT_POOL);
    const git = (...args: string[]) => {
      const r = spawnSync('git', ['-C', repo, ...args], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
    };
    git('init', '-q');
    git('add', '.');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'published');
    writeFileSync(path.join(repo, 'topology.xml'), TOPOLOGY);
    const r = cli(['diff', '--git', 'HEAD', '.'], repo);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /^Known Servers Table: \. at HEAD -> \./m);
    assert.match(r.stdout, /^New conflict: ex1\.contoso\.com/m);
    const bad = cli(['diff', '--git', 'no-such-rev', '.'], repo);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /git cannot give \. at no-such-rev/);
    rmSync(repo, { recursive: true });
  });

  test('usage: two paths without --git, no sarif', () => {
    assert.equal(cli(['diff', EXAMPLE]).code, 2);
    assert.match(cli(['diff', '--format', 'sarif', EXAMPLE, EXAMPLE]).stderr, /--format must be text, json, not "sarif"/);
    const same = cli(['diff', EXAMPLE, EXAMPLE]);
    assert.equal(same.code, 0, 'the same workspace, conflict and all, on both sides: the change adds none');
    assert.match(same.stdout, /^No server changes in the Known Servers Table\.$/m);
  });
});
