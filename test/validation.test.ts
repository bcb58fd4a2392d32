import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { FromEngine } from '../server/src/lsp/engine/messages';
import { Engine } from '../server/src/lsp/engine/worker';
import { Snapshot } from '../server/src/lsp/snapshot';
import { Config, DEFAULT_CONFIG } from '../server/src/workspace/config';
import { ROOT } from './helpers';

test('a validation that fails replaces the diagnostics it can no longer vouch for with INT001, never keeps them silently', async () => {
  const snapshots: Snapshot[] = [];
  const errors: string[] = [];
  let seen: () => void = () => undefined;
  const engine = new Engine((m: FromEngine) => {
    if (m.t === 'snapshot') snapshots.push(m.snapshot);
    if (m.t === 'log' && m.error) errors.push(m.message);
    seen();
  });
  const next = (n: number) =>
    new Promise<Snapshot>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no snapshot ${n}; errors: ${errors.join('\n')}`)), 20000);
      seen = () => {
        if (snapshots.length < n) return;
        clearTimeout(timer);
        resolve(snapshots[n - 1]);
      };
      seen();
    });
  let fail = false;
  // The rules setting throws when read: the analysis itself fails, outside any one rule.
  const config: Config = {
    ...DEFAULT_CONFIG,
    get rules() {
      if (fail) throw new Error('settings could not be read');
      return {};
    },
  };
  await engine.receive({
    t: 'init',
    folders: [pathToFileURL(path.join(ROOT, 'examples', 'contoso')).toString()],
    config,
    encoding: 'utf-16',
    relatedInformation: true,
    debounceMs: 0,
    watch: false,
    cancel: new SharedArrayBuffer(4),
  });
  const first = await next(1);
  const topology = [...first.diagnostics.keys()].find((u) => u.endsWith('topology.xml'));
  assert.ok(topology);
  assert.deepEqual(
    first.diagnostics.get(topology)?.map((d) => d.code),
    ['KST001'],
  );

  fail = true;
  await engine.receive({ t: 'config', seq: 1, config });
  const now = (await next(2)).diagnostics.get(topology) ?? [];
  assert.deepEqual(
    now.map((d) => d.code),
    ['INT001'],
    'the old KST001 is not left standing as if it were current',
  );
  assert.match(
    String(now[0].message),
    /failed while validating the workspace; the diagnostics shown before may be out of date \(Error: settings could not be read\)/,
  );
  assert.match(errors.join('\n'), /Validation failed: Error: settings could not be read/);
  assert.equal(snapshots[1].fixes.size, 0, 'and no fix is offered from it');
});
