/**
 * The event export of the example workspace through the language server: the 14563 as logged,
 * what the log says in the hover and the KST view, and "Compare with published topology…".
 */
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { MarkupContent } from 'vscode-languageserver-protocol/node';
import { DiffRequest, KnownServersTableRequest } from '../server/src/lsp/protocol';
import { LspSession, workspaceCopy } from './lsp/session';

const EVENTS = 'fe01-lync-server-events.xml';

describe('language server: the event export of the example workspace', () => {
  let s: LspSession;
  let dir: string;
  before(async () => {
    dir = workspaceCopy();
    s = await LspSession.start(dir);
    await s.waitFor('EVT003 on the event export', () => s.diags(EVENTS).some((d) => d.code === 'EVT003'));
  });
  after(async () => assert.equal(await s.stop(), 0));

  test('EVT003 underlines the server in the logged 14563, relates both sides and offers Option 1', async () => {
    const d = s.diags(EVENTS).find((x) => x.code === 'EVT003');
    assert.ok(d);
    const line = s.text(EVENTS).split('\n')[d.range.start.line];
    assert.equal(line.slice(d.range.start.character, d.range.end.character), 'ex1.contoso.com');
    assert.match(line, /<EventID Qualifiers="50158">14563</);
    assert.deepEqual(d.relatedInformation?.map((r) => path.basename(r.location.uri)).sort(), [
      'contoso.umdialplans.json',
      'new-owa-trusted-app.ps1',
      'topology.xml',
    ]);
    const actions = await s.codeActions(EVENTS, [d]);
    assert.ok(
      actions.some((a) => /^Option 1: remove Trusted Application Pool ex1\.contoso\.com/.test(a.title)),
      actions.map((a) => a.title).join('; '),
    );
  });

  test('the hover on the dial-plan server says what fe01 logged, and the KST view has the live column', async () => {
    const hover = await s.hover('contoso.umdialplans.json', '"ex1.contoso.com"', 3);
    assert.match(
      (hover?.contents as MarkupContent).value,
      /\*\*As logged\*\*[\s\S]*fe01\.contoso\.com: dropped, version 6 and 0 \(14563 at /,
    );
    const view = await s.conn.sendRequest(KnownServersTableRequest, { restart: false });
    assert.match(view.text, /STATE\s+LIVE\s+ORIGIN/);
    assert.match(view.text, /^pool01\.contoso\.com .* fe01\.contoso\.com: known, version 6 \(14492 at /m);
  });
});

describe('language server: Compare with published topology', () => {
  test('against the backup without the trusted pool: the conflict publishing adds and what it logs; no file, no comparison', async () => {
    // The topology alone makes the conflict here: no script creates the pool too.
    const dir = workspaceCopy();
    rmSync(path.join(dir, 'new-owa-trusted-app.ps1'));
    const text = readFileSync(path.join(dir, 'topology.xml'), 'utf8');
    const at = text.indexOf('<Cluster RequiresReplication="false" RequiresSetup="false" Fqdn="ex1.contoso.com">');
    const end = text.indexOf('</Cluster>', at) + '</Cluster>'.length;
    assert.ok(at > 0);
    const backup = path.join(tmpdir(), `Publish-CsTopology-Backup-${process.pid}.xml`);
    writeFileSync(backup, text.slice(0, at) + text.slice(end));
    const s = await LspSession.start(dir);
    try {
      await s.waitFor('KST001', () => s.diags('topology.xml').some((d) => d.code === 'KST001'));
      const result = await s.conn.sendRequest(DiffRequest, {
        uri: s.uri('topology.xml'),
        against: { uri: pathToFileURL(backup).toString() },
      });
      assert.ok(!('problem' in result), JSON.stringify(result));
      assert.equal(result.conflictsAppear, 1, result.text);
      assert.match(result.text, new RegExp(`Known Servers Table: .*${path.basename(backup)} -> topology\\.xml`));
      assert.match(result.text, /^ex1\.contoso\.com\s+known \(0\)\s+dropped \(6, 0\)/m);
      assert.match(result.text, /^New conflict: ex1\.contoso\.com/m);
      assert.match(result.text, /^ {2}14563 {2}Error\s+LS Protocol Stack: ex1\.contoso\.com is in the table with version 6/m);
      const missing = await s.conn.sendRequest(DiffRequest, {
        uri: s.uri('topology.xml'),
        against: { uri: pathToFileURL(path.join(dir, 'nothing.xml')).toString() },
      });
      assert.ok('problem' in missing && /cannot be read/.test(missing.problem), JSON.stringify(missing));
    } finally {
      assert.equal(await s.stop(), 0);
    }
  });
});
