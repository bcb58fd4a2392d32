import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Diagnostic, MarkupContent, TextDocumentEdit } from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseXml } from '../server/src/xml/document';
import { CLIENT_COMMANDS } from '../server/src/lsp/protocol';
import { DEFAULT_CONFIG } from '../server/src/workspace/config';
import { CODES } from '../server/src/rules/catalogue';
import { SourceFile } from '../server/src/text/source';
import { ROOT } from './helpers';
import { LspSession, MINIMAL, SERVER, workspaceCopy } from './lsp/session';

const TOPOLOGY = 'topology.xml';
const PLANS = 'contoso.umdialplans.json';
const SCRIPT = 'new-owa-trusted-app.ps1';

/** The text a diagnostic underlines, read from the file as it is now. */
function underlined(s: LspSession, name: string, d: Diagnostic): string {
  const doc = TextDocument.create('', '', 0, s.text(name));
  return doc.getText(d.range);
}

function kst001(s: LspSession, name: string): Diagnostic | undefined {
  return s.diags(name).find((d) => d.code === 'KST001');
}

function hoverText(h: { contents: unknown } | null): string {
  assert.ok(h, 'expected a hover');
  return (h.contents as MarkupContent).value;
}

describe('language server over stdio: the seed workspace', () => {
  let s: LspSession;
  before(async () => {
    s = await LspSession.start(workspaceCopy());
    await s.waitFor('KST001 on both sides', () => kst001(s, TOPOLOGY) && kst001(s, PLANS));
  });
  after(async () => assert.equal(await s.stop(), 0, 'the server exits cleanly after shutdown'));

  test('KST001 reaches the Problems panel for files nobody opened, with code, link, range and the other side', () => {
    const top = kst001(s, TOPOLOGY)!;
    assert.equal(top.source, 'lync-kst');
    assert.equal(top.severity, 1);
    assert.match(top.codeDescription!.href, /README\.md#kst001$/);
    assert.equal(underlined(s, TOPOLOGY, top), 'ex1.contoso.com');
    assert.deepEqual(top.range.start, { line: 36, character: 69 });
    assert.match(top.message as string, /14563/);
    const rel = top.relatedInformation!.map((r) => r.location.uri);
    assert.ok(rel.includes(s.uri(PLANS)), 'the topology side points into the dial-plan file');

    const plan = kst001(s, PLANS)!;
    assert.equal(underlined(s, PLANS, plan), 'ex1.contoso.com');
    assert.ok(plan.relatedInformation!.some((r) => r.location.uri === s.uri(TOPOLOGY) && r.location.range.start.line === 36));
    assert.ok(kst001(s, SCRIPT), 'the script that creates the same pool is flagged too');
  });

  test('hover on the trusted pool FQDN lists every KST entry, its fate and what breaks', async () => {
    const text = hoverText(await s.hover(TOPOLOGY, 'Fqdn="ex1.contoso.com"', 7));
    assert.match(text, /ex1\.contoso\.com/);
    assert.match(text, /not in the Known Servers Table/);
    assert.match(text, /\*\*6\*\* \(Lync Server 2013\)/);
    assert.match(text, /\*\*0\*\* \(any\)/);
    assert.match(text, /Exchange UM Routing \(SipName dial plan Contoso-SIP\)/);
    assert.match(text, /Event 14563/);
    assert.match(text, /Outlook Web App IM/);
    assert.match(text, /\]\(file:\/\/.*contoso\.umdialplans\.json#L14,10\)/, 'origins link to where they are written');
  });

  test('hover on the dial-plan entry and the script parameter explain the same server', async () => {
    assert.match(hoverText(await s.hover(PLANS, '"ex1.contoso.com"', 3)), /dropped \(14563\)/);
    assert.match(
      hoverText(await s.hover(SCRIPT, "'ex1.contoso.com'", 3)),
      /Trusted Application Pool created by New-CsTrustedApplicationPool/,
    );
  });

  test('hover on a known pool and on a ServiceVersion', async () => {
    assert.match(hoverText(await s.hover(TOPOLOGY, 'Fqdn="pool01.contoso.com"', 7)), /known to Lync with version 6 \(Lync Server 2013\)/);
    const attribute = 'RoleVersion="1" ServiceVersion="6"';
    assert.match(hoverText(await s.hover(TOPOLOGY, attribute, attribute.length - 2)), /ServiceVersion 6\*\*: Lync Server 2013/);
    assert.equal(await s.hover(TOPOLOGY, 'ServiceVersion="6" for Lync 2013', 16), null, 'the same words in a comment are not a version');
    assert.equal(await s.hover(TOPOLOGY, '<?xml', 1), null, 'nothing to say about the prolog');
  });

  test('the Known Servers Table view: table, start-up events, the restart sequence, and hovers on event IDs', async () => {
    const view = (await s.conn.sendRequest('lyncKst/knownServersTable', { restart: false })) as { text: string };
    assert.match(view.text, /^ex1\.contoso\.com\s+6\s+Lync Server 2013\s+dropped by 14563/m);
    assert.match(view.text, /14563\s+Error/);
    assert.doesNotMatch(view.text, /44030/);
    assert.match(view.text, / topology\.xml:37:70/, 'locations are relative to the workspace folder');
    const restart = (await s.conn.sendRequest('lyncKst/knownServersTable', { restart: true })) as { text: string };
    assert.match(restart.text, /44030\s+Warning[\s\S]*14493\s+Information/);

    const uri = 'lync-kst:/Known%20Servers%20Table';
    await s.openUri(uri, 'lync-kst-table', restart.text);
    const at = TextDocument.create(uri, '', 1, restart.text).positionAt(restart.text.indexOf('44030'));
    const h = await s.conn.sendRequest('textDocument/hover', {
      textDocument: { uri },
      position: { line: at.line, character: at.character + 2 },
    });
    assert.match(hoverText(h as { contents: unknown }), /Event 44030\*\* \(Warning, source \*LS Exchange Unified Messaging Routing\*\)/);
  });

  test('code actions on the topology side: Option 1 preferred and cross-file, Option 2, documentation', async () => {
    const actions = await s.codeActions(TOPOLOGY, [kst001(s, TOPOLOGY)!]);
    const titles = actions.map((a) => a.title);
    const option1 = actions.find((a) => a.title.startsWith('Option 1: remove Trusted Application Pool ex1.contoso.com'))!;
    assert.ok(option1, `Option 1 offered: ${titles.join(' | ')}`);
    assert.equal(option1.isPreferred, true);
    assert.match(option1.title, /add it back if ex1\.contoso\.com stops hosting a SipName dial plan/);
    const uris = option1.edit!.documentChanges!.map((c) => (c as TextDocumentEdit).textDocument.uri).sort();
    assert.deepEqual(uris, [s.uri(SCRIPT), s.uri(TOPOLOGY)].sort(), 'removes the pool from the topology and the script');
    const option2 = actions.find((a) => a.title.startsWith('Option 2: simulate an RTCSRV restart'))!;
    assert.equal(
      option2.command!.command,
      'lyncKst.server.explainRestart',
      'an editor without the KST view gets the server-side explanation',
    );
    const docs = actions.find((a) => a.title.startsWith('Show documentation for KST001'))!;
    await s.executeCommand(docs.command!.command, docs.command!.arguments);
    assert.match(s.shownDocuments.at(-1)!, /README\.md#kst001$/);
    await s.executeCommand(option2.command!.command);
    await s.waitFor('the restart explanation', () => s.messages.some((m) => /44030/.test(m) && /14493/.test(m)));
  });

  test('from the dial-plan side, Option 1 is the same cross-file fix', async () => {
    const actions = await s.codeActions(PLANS, [kst001(s, PLANS)!]);
    const option1 = actions.find((a) => a.title.startsWith('Option 1'))!;
    const uris = option1.edit!.documentChanges!.map((c) => (c as TextDocumentEdit).textDocument.uri);
    assert.ok(uris.includes(s.uri(TOPOLOGY)) && !uris.includes(s.uri(PLANS)), 'edits the topology, leaves the dial plan alone');
  });

  test('a diagnostic from an older analysis still finds its fix; a forged one finds nothing and does no harm', async () => {
    const forged: Diagnostic = { ...kst001(s, TOPOLOGY)!, data: { fixes: ['KST001:option1:nope', 42] } };
    const actions = await s.codeActions(TOPOLOGY, [forged]);
    assert.ok(!actions.some((a) => a.edit), 'no edit for an unknown fix id');
    assert.ok(await s.codeActions(TOPOLOGY, [{ ...forged, data: 'garbage' }]));
    assert.ok(s.alive);
  });
});

describe('language server: the KST follows edits, files on disk and settings', () => {
  let s: LspSession;
  before(async () => {
    s = await LspSession.start(workspaceCopy());
    await s.waitFor('KST001 on both sides', () => kst001(s, TOPOLOGY) && kst001(s, PLANS));
  });
  after(async () => assert.equal(await s.stop(), 0));

  test('editing the dial plan to TelExtn clears the topology diagnostic without touching the topology', async () => {
    await s.open(PLANS, 'json');
    await s.edit(PLANS, '"SipName"', '"TelExtn"');
    await s.waitFor('KST001 gone from the topology', () => !kst001(s, TOPOLOGY) && !kst001(s, PLANS));
    await s.edit(PLANS, '"TelExtn"', '"SipName"');
    const back = await s.waitFor('KST001 back in the topology', () => kst001(s, TOPOLOGY));
    assert.equal(underlined(s, TOPOLOGY, back), 'ex1.contoso.com');
    // Pulled per document: the open dial plan's own report comes for the version it was asked for.
    await s.waitFor('the dial plan diagnostics of version 3', () => s.diagnostics.get(s.uri(PLANS))?.version === 3);
    await s.close(PLANS);
  });

  test('deleting the dial-plan file on disk removes the conflict; creating one brings it back', async () => {
    const plans = readFileSync(path.join(s.folder, PLANS), 'utf8');
    await s.disk(PLANS, undefined);
    await s.waitFor('KST001 gone after delete', () => !kst001(s, TOPOLOGY) && s.diags(PLANS).length === 0);
    mkdirSync(path.join(s.folder, 'exchange'), { recursive: true });
    await s.disk('exchange/new.umdialplans.json', plans);
    await s.waitFor('KST001 from the new file', () => kst001(s, TOPOLOGY) && kst001(s, 'exchange/new.umdialplans.json'));
    await s.disk('exchange', undefined);
    await s.waitFor('KST001 gone after deleting the folder', () => !kst001(s, TOPOLOGY));
    await s.disk(PLANS, plans);
    await s.waitFor('KST001 back', () => kst001(s, TOPOLOGY));
  });

  test('a malformed file next to good ones gets XML001 and the others keep theirs', async () => {
    await s.disk(
      'broken.xml',
      '<?xml version="1.0"?>\n<Topology xmlns="urn:schema:Microsoft.Rtc.Management.Deploy.Topology.2008">\n  <Clusters>\n    <Cluster ' +
        'Fqdn="x.contoso.com"\n',
    );
    await s.disk('garbage.xml', '\u0000\u0001\u00ff binary junk \u0000');
    const xml001 = await s.waitFor('XML001 in broken.xml', () => s.diags('broken.xml').find((d) => d.code === 'XML001'));
    assert.equal(xml001.severity, 1);
    assert.ok(kst001(s, TOPOLOGY) && kst001(s, PLANS), 'the seed conflict is still reported');
    const hint = await s.waitFor('FILE003 on garbage.xml', () => s.diags('garbage.xml').find((d) => d.code === 'FILE003'));
    assert.deepEqual([s.diags('garbage.xml').length, hint.severity], [1, 4], 'a file that is not an input says so, as a hint');
    assert.match(hint.message as string, /binary data/);
    assert.ok(s.alive);
  });

  test('settings: a rule set to off disappears, a severity override applies, bad values are reported', async () => {
    await s.configure({ rules: { KST001: 'off' } });
    await s.waitFor('KST001 off', () => !kst001(s, TOPOLOGY) && !kst001(s, PLANS));
    await s.configure({ rules: { KST001: 'warning' } });
    const warning = await s.waitFor('KST001 as a warning', () => kst001(s, TOPOLOGY));
    assert.equal(warning.severity, 2);
    await s.configure({ rules: { KST001: 'loud', NOPE1: 'off' }, assumedVersion: 'six' });
    await s.waitFor('a warning about the settings', () =>
      s.messages.find((m) => /ignoring invalid settings/.test(m) && /KST001/.test(m) && /NOPE1/.test(m) && /assumedVersion/.test(m)),
    );
    assert.equal((await s.waitFor('KST001 back to error', () => kst001(s, TOPOLOGY)?.severity === 1 && kst001(s, TOPOLOGY))).severity, 1);
  });

  test('lync-kst.json at the workspace root is read, followed on disk, and the editor settings are layered on top', async () => {
    await s.disk('lync-kst.json', JSON.stringify({ rules: { KST001: 'off', KST002: 'off' } }));
    await s.waitFor('KST001 off by lync-kst.json', () => !kst001(s, TOPOLOGY) && !kst001(s, PLANS));
    await s.configure({ rules: { KST001: 'warning' } });
    assert.equal((await s.waitFor('the editor setting wins', () => kst001(s, TOPOLOGY))).severity, 2);
    await s.configure({});
    await s.waitFor('off again', () => !kst001(s, TOPOLOGY));
    await s.disk('lync-kst.json', '{ "rules": { "KST001": "loud" } }');
    await s.waitFor('a warning about lync-kst.json', () => s.messages.find((m) => /lync-kst\.json: rules\.KST001 must be one of/.test(m)));
    assert.equal((await s.waitFor('KST001 back', () => kst001(s, TOPOLOGY))).severity, 1);
    await s.disk('lync-kst.json', undefined);
    assert.equal(s.diags('lync-kst.json').length, 0, 'the configuration is not an input');
  });

  test('an over-size file gets one informational FILE001 naming the setting, and the limit can be raised', async () => {
    await s.configure({ maxFileSize: 0.001 });
    const file001 = await s.waitFor('FILE001 on the topology', () => s.diags(TOPOLOGY).find((d) => d.code === 'FILE001'));
    assert.equal(file001.severity, 3);
    assert.match(file001.message as string, /lyncKst\.maxFileSize/);
    assert.equal(s.diags(TOPOLOGY).length, 1, 'one diagnostic, not a parse of the file');
    await s.configure({});
    await s.waitFor('the topology read again', () => kst001(s, TOPOLOGY));
  });

  test('include globs are read and watched; the old watchers are replaced, not added to', async () => {
    const inputs = (): number => s.statuses.at(-1)!.inputs;
    const before = inputs();
    const topology = readFileSync(path.join(s.folder, TOPOLOGY), 'utf8');
    writeFileSync(path.join(s.folder, 'lab.config'), topology.replace(/ex1\.contoso\.com/g, 'ex9.contoso.com'));
    await s.configure({ files: { include: ['**/*.config'] } });
    await s.waitFor('the .config topology read', () => inputs() === before + 1);
    const watched = await s.waitFor(
      'one watcher registration with the include glob',
      () => s.watchers.size === 1 && [...s.watchers.values()][0].includes('**/*.config') && [...s.watchers.values()][0],
    );
    assert.ok(
      watched.some((g) => g.includes('tbxml')),
      'the built-in patterns stay',
    );
    await s.configure({});
    await s.waitFor(
      'the include glob no longer watched',
      () => s.watchers.size === 1 && ![...s.watchers.values()][0].includes('**/*.config'),
    );
    await s.waitFor('the .config file left out again', () => inputs() === before);
  });

  test('exclude globs leave files out of the simulated deployment', async () => {
    await s.configure({ files: { exclude: ['*.umdialplans.json'] } });
    await s.waitFor('the dial plan excluded', () => !kst001(s, TOPOLOGY) && s.diags(PLANS).length === 0);
    await s.configure({});
    await s.waitFor('the dial plan back', () => kst001(s, TOPOLOGY));
  });
});

describe('language server: a workspace inside a folder named like a build output', () => {
  test('files changed on disk are still followed when the workspace lives under out/', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'lync-kst-out-'));
    const dir = path.join(root, 'out', 'deployment');
    cpSync(path.join(ROOT, 'examples', 'contoso'), dir, { recursive: true });
    const s = await LspSession.start(dir);
    try {
      await s.waitFor('KST001', () => kst001(s, TOPOLOGY));
      const plans = readFileSync(path.join(dir, PLANS), 'utf8');
      await s.disk(PLANS, undefined);
      await s.waitFor('KST001 gone', () => !kst001(s, TOPOLOGY));
      await s.disk(PLANS, plans);
      await s.waitFor('KST001 back from the re-created file', () => kst001(s, TOPOLOGY));
    } finally {
      await s.stop();
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('language server: quick fixes applied and re-validated', () => {
  test('Option 1 from the open topology: it and the closed script change, both still parse, the message says what changed', async () => {
    const s = await LspSession.start(workspaceCopy());
    try {
      await s.waitFor('KST001', () => kst001(s, TOPOLOGY));
      const before = readFileSync(path.join(s.folder, TOPOLOGY), 'utf8');
      const option1 = (await s.codeActions(TOPOLOGY, [kst001(s, TOPOLOGY)!])).find((a) => a.isPreferred)!;
      await s.apply(option1.edit!);
      await s.executeCommand(option1.command!.command, option1.command!.arguments);
      await s.waitFor('the conflict gone on both sides', () => !kst001(s, TOPOLOGY) && !kst001(s, PLANS) && !kst001(s, SCRIPT));
      // The topology is open: its edit went to the document; the script, closed, was written on disk.
      const after = s.text(TOPOLOGY);
      assert.match(readFileSync(path.join(s.folder, SCRIPT), 'utf8'), /lync-kst removed-pool ex1\.contoso\.com/);
      assert.equal(parseXml(new SourceFile('t.xml', after)).error, undefined, 'the topology is still well-formed');
      assert.doesNotMatch(after.replace(/<!--[\s\S]*?-->/g, ''), /Fqdn="ex1\.contoso\.com"/);
      assert.ok(after.includes('Fqdn="pool01.contoso.com"'), 'the rest of the topology stays');
      assert.match(after, /lync-kst removed-pool ex1\.contoso\.com/, 'a marker keeps what was removed');
      assert.notEqual(after, before);
      assert.ok(
        s.diags(TOPOLOGY).every((d) => d.severity !== 1),
        'no new error',
      );
      const msg = await s.waitFor('the fix message', () =>
        s.messages.find((m) => m.startsWith('lync-kst: removed Trusted Application Pool ex1.contoso.com')),
      );
      assert.match(msg, /topology\.xml/);
      assert.doesNotMatch(msg, /file:\/\//, 'files are named as the user sees them');
      assert.match(msg, /put the pool back if ex1\.contoso\.com stops hosting a SipName UM dial plan/);
    } finally {
      await s.stop();
    }
  });

  test('TAP001 in an open document: the fix is pinned to the version and re-validates clean', async () => {
    const dir = workspaceCopy();
    const topology = readFileSync(path.join(dir, TOPOLOGY), 'utf8');
    const port = /Owner="urn:application:outlookwebapp"[^>]*Port="(\d+)"|Port="(\d+)"[^>]*Owner="urn:application:outlookwebapp"/.exec(
      topology,
    );
    assert.ok(port, 'the example topology has the OWA application port');
    const s = await LspSession.start(dir);
    try {
      await s.open(TOPOLOGY, 'xml');
      // A second application on the same port in the same pool.
      const owaPort = topology.slice(port.index, port.index + port[0].length);
      await s.edit(TOPOLOGY, owaPort, `${owaPort} />\n          <Port ${owaPort.replace(/outlookwebapp/, 'otherapp')}`);
      const tap001 = await s.waitFor('TAP001', () => s.diags(TOPOLOGY).find((d) => d.code === 'TAP001'));
      const fix = (await s.codeActions(TOPOLOGY, [tap001])).find((a) => a.edit)!;
      assert.match(fix.title, /next free port/);
      assert.equal((fix.edit!.documentChanges![0] as TextDocumentEdit).textDocument.version, 2, 'pinned to the open version');
      await s.apply(fix.edit!);
      await s.waitFor(
        'TAP001 gone',
        () => s.diagnostics.get(s.uri(TOPOLOGY))?.version === 3 && !s.diags(TOPOLOGY).some((d) => d.code === 'TAP001'),
      );
      assert.ok(!s.diags(TOPOLOGY).some((d) => d.code === 'XML001'));
    } finally {
      await s.stop();
    }
  });
});

describe('language server: hovers in every input kind', () => {
  let s: LspSession;
  before(async () => {
    const dir = workspaceCopy();
    for (const f of ['lab.tbxml', 'samples/get-umdialplan.clixml.xml'])
      writeFileSync(path.join(dir, path.basename(f)), readFileSync(path.join(ROOT, 'test', 'fixtures', f)));
    s = await LspSession.start(dir);
    await s.waitFor('KST001 in the .tbxml and the CLIXML', () => kst001(s, 'lab.tbxml') && kst001(s, 'get-umdialplan.clixml.xml'));
  });
  after(async () => assert.equal(await s.stop(), 0));

  test('a .tbxml cluster FQDN', async () => {
    const text = hoverText(await s.hover('lab.tbxml', 'Fqdn="EX1.contoso.com"', 7));
    assert.match(text, /\*\*7\*\* \(Skype for Business Server 2015\)/);
    assert.match(text, /Event 14563/);
  });

  test('a short server name in a CLIXML dial plan, resolved through the topology', async () => {
    const text = hoverText(await s.hover('get-umdialplan.clixml.xml', '<S>EX1</S>', 4));
    assert.match(text, /^\*\*ex1\.contoso\.com\*\*: \*\*not in the Known Servers Table\*\* \(`EX1` resolved through the topology\)/);
  });

  test('a server of a TelExtn dial plan says why it is not in the KST', async () => {
    const text = hoverText(await s.hover('get-umdialplan.clixml.xml', '<S>EX10</S>', 4));
    assert.match(
      text,
      /not in the Known Servers Table.*dial plan Contoso-PBX is TelExtn, and Exchange UM Routing adds only servers of SipName dial plans/,
    );
  });
});

describe('language server: any LSP client', () => {
  test('a client without pull diagnostics, related information or dynamic registration still gets every diagnostic pushed', async () => {
    const dir = workspaceCopy();
    const s = await LspSession.start(dir, { capabilities: MINIMAL, initializationOptions: {} });
    try {
      const d = await s.waitFor('KST001 pushed', () => kst001(s, TOPOLOGY));
      assert.equal(d.relatedInformation, undefined);
      assert.match(
        d.message as string,
        /see file:\/\/.*contoso\.umdialplans\.json:14:10/,
        'the other side is named in the message instead',
      );
      // Without watchers the client still tells us about open documents.
      await s.open(PLANS, 'json');
      await s.edit(PLANS, '"SipName"', '"E164"');
      await s.waitFor('KST001 gone', () => !kst001(s, TOPOLOGY));
    } finally {
      await s.stop();
    }
  });

  test('the bin refuses to start without a transport and says how to run it', async () => {
    const { spawnSync } = await import('node:child_process');
    const r = spawnSync(process.execPath, [SERVER], { encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /Usage: lync-kst-language-server --stdio/);
  });

  test('a workspace of hostile files: the server keeps answering', async () => {
    const dir = workspaceCopy();
    const laughs =
      '<?xml version="1.0"?>\n<!DOCTYPE Topology [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c ' +
      '"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>\n<Topology xmlns="urn:schema:Microsoft.Rtc.Management.Deploy.Topology.2008">&c;</Topology>\n';
    writeFileSync(path.join(dir, 'laughs.xml'), laughs);
    writeFileSync(path.join(dir, 'utf16.xml'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<Topology>\u0000', 'utf16le')]));
    writeFileSync(path.join(dir, 'bad.umdialplans.json'), '{"format":"kst-umdialplans","dialPlans":[{,,}');
    const s = await LspSession.start(dir);
    try {
      await s.waitFor(
        'XML002 on the entity document, XML001 on the broken JSON, KST001 still in the topology',
        () =>
          s.diags('laughs.xml').some((d) => d.code === 'XML002') &&
          s.diags('bad.umdialplans.json').some((d) => d.code === 'XML001') &&
          kst001(s, TOPOLOGY),
      );
      assert.equal(await s.hover('laughs.xml', '&c;'), null);
      assert.ok(s.alive);
    } finally {
      await s.stop();
    }
  });
});

describe('manifest and server agree', () => {
  test('every rule code can be configured in lyncKst.rules, and the defaults match the server', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const props = pkg.contributes.configuration.properties;
    assert.deepEqual(Object.keys(props['lyncKst.rules'].properties).sort(), [...CODES].sort());
    assert.equal(props['lyncKst.assumedVersion'].default, DEFAULT_CONFIG.assumedVersion);
    assert.equal(props['lyncKst.maxFileSize'].default, DEFAULT_CONFIG.maxFileSize);
    assert.deepEqual(
      pkg.contributes.commands.map((c: { category: string }) => c.category),
      Object.values(CLIENT_COMMANDS).map(() => 'Lync KST'),
    );
    assert.deepEqual(pkg.contributes.commands.map((c: { command: string }) => c.command).sort(), Object.values(CLIENT_COMMANDS).sort());
  });
});
