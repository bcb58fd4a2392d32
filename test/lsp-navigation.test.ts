/**
 * Navigation over LSP on the example workspace and a .tbxml: the outline, go to definition and
 * references for every link kind, the KST code lens, rename across files (simulated first), and
 * completion; the same requests for a minimal client (Neovim-like: no documentChanges).
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  CodeLens,
  CodeLensRequest,
  CompletionItem,
  CompletionRequest,
  DefinitionRequest,
  DocumentSymbol,
  DocumentSymbolRequest,
  Location,
  LocationLink,
  PrepareRenameRequest,
  ReferencesRequest,
  RenameRequest,
  TextDocumentEdit,
  WorkspaceEdit,
  WorkspaceSymbolRequest,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ROOT } from './helpers';
import { LspSession, MINIMAL, workspaceCopy } from './lsp/session';

const TOPOLOGY = 'topology.xml';
const SCRIPT = 'new-owa-trusted-app.ps1';
const PLANS = 'contoso.umdialplans.json';

/** The position of `needle` (+delta) in a file of the session. */
function at(s: LspSession, name: string, needle: string, delta = 1, after = '') {
  const text = s.text(name);
  const from = text.indexOf(after);
  const i = text.indexOf(needle, from < 0 ? 0 : from);
  if (i < 0) throw new Error(`${name} has no ${needle}`);
  return { textDocument: { uri: s.uri(name) }, position: TextDocument.create('', '', 0, text).positionAt(i + delta) };
}

function textAt(
  s: LspSession,
  uri: string,
  range: { start: { line: number; character: number }; end: { line: number; character: number } },
) {
  const name = path.basename(new URL(uri).pathname);
  return TextDocument.create('', '', 0, s.text(name)).getText(range);
}

describe('language server: navigation in the example workspace', () => {
  let s: LspSession;
  before(async () => {
    s = await LspSession.start(workspaceCopy());
    await s.waitFor('KST001', () => s.diags(TOPOLOGY).some((d) => d.code === 'KST001'));
    for (const f of [TOPOLOGY, SCRIPT, PLANS]) await s.ensureOpen(f);
  });
  after(async () => assert.equal(await s.stop(), 0));

  test('the outline: the site, its pools with roles and KST version, machines and services; the trusted pool marked', async () => {
    const symbols = (await s.conn.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: s.uri(TOPOLOGY) } })) as DocumentSymbol[];
    assert.deepEqual(
      symbols.map((x) => x.name),
      ['Contoso-HQ', 'SQL instance rtc'],
    );
    const pools = symbols[0].children ?? [];
    assert.deepEqual(
      pools.map((p) => [p.name, p.detail]),
      [
        ['pool01.contoso.com', 'UserServices, Registrar, WebServices · KST v6 (Lync Server 2013)'],
        // The user store is on the SQL instance, not on the cluster.
        ['sql01.contoso.com', 'no services'],
        ['fs01.contoso.com', 'FileStore · not a KST entry'],
        ['ex1.contoso.com', 'trusted application pool · KST v6 (Lync Server 2013)'],
      ],
    );
    assert.deepEqual(
      pools[0].children?.map((c) => c.name),
      ['fe01.contoso.com', 'fe02.contoso.com', 'UserServices', 'Registrar', 'WebServices'],
    );
    assert.equal(textAt(s, s.uri(TOPOLOGY), pools[3].selectionRange), 'ex1.contoso.com');
    const script = (await s.conn.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: s.uri(SCRIPT) } })) as DocumentSymbol[];
    assert.deepEqual(
      script.map((x) => [x.name, x.detail]),
      [
        ['New-CsTrustedApplicationPool', 'ex1.contoso.com'],
        ['New-CsTrustedApplication', 'ex1.contoso.com'],
      ],
    );
    const ws = await s.conn.sendRequest(WorkspaceSymbolRequest.type, { query: 'ex1' });
    assert.ok(ws && ws.length >= 2 && ws.every((x) => x.name === 'ex1.contoso.com'));
  });

  test('go to definition: a service to its cluster, a script and a dial plan to the topology pool', async () => {
    const def = async (name: string, needle: string, delta = 1, after = '') =>
      (await s.conn.sendRequest(DefinitionRequest.type, at(s, name, needle, delta, after))) as LocationLink[];
    const installed = await def(TOPOLOGY, '<ClusterId SiteId="1" Number="4" />', 3, 'ExternalServerService');
    assert.equal(installed.length, 1);
    assert.equal(textAt(s, installed[0].targetUri, installed[0].targetSelectionRange), 'ex1.contoso.com');
    const registrar = await def(SCRIPT, 'pool01.contoso.com', 2);
    assert.deepEqual(
      registrar.map((l) => [path.basename(l.targetUri), textAt(s, l.targetUri, l.targetSelectionRange)]),
      [[TOPOLOGY, 'pool01.contoso.com']],
    );
    const server = await def(PLANS, 'ex1.contoso.com', 2);
    assert.deepEqual(server.map((l) => path.basename(l.targetUri)).sort(), [SCRIPT, TOPOLOGY]);
    const dependency = await def(TOPOLOGY, '<ServiceId SiteId="1" RoleName="UserStore" Instance="1" />', 3);
    assert.match(textAt(s, dependency[0].targetUri, dependency[0].targetSelectionRange), /RoleName="UserStore"/);
  });

  test('references from the pool: the services on it, the scripts and dial plans that name it', async () => {
    const refs = (await s.conn.sendRequest(ReferencesRequest.type, {
      ...at(s, TOPOLOGY, 'Fqdn="ex1.contoso.com"', 8),
      context: { includeDeclaration: true },
    })) as Location[];
    const files = refs.map((r) => `${path.basename(r.uri)}:${textAt(s, r.uri, r.range).slice(0, 20)}`).sort();
    assert.ok(files.includes(`${PLANS}:ex1.contoso.com`), files.join('\n'));
    assert.ok(files.includes(`${SCRIPT}:ex1.contoso.com`), files.join('\n'));
    assert.ok(
      files.some((f) => f.startsWith(`${TOPOLOGY}:<ClusterId SiteId="1`)),
      files.join('\n'),
    );
  });

  test('the code lens: the KST state above each pool, dial-plan server and trusted-application cmdlet', async () => {
    const lenses = (await s.conn.sendRequest(CodeLensRequest.type, { textDocument: { uri: s.uri(TOPOLOGY) } })) as CodeLens[];
    const byName = Object.fromEntries(lenses.map((l) => [textAt(s, s.uri(TOPOLOGY), l.range), l.command?.title]));
    assert.equal(byName['ex1.contoso.com'], 'KST: dropped by 14563 (3 entries)');
    assert.equal(byName['pool01.contoso.com'], 'KST: known, v6');
    assert.equal(byName['fs01.contoso.com'], 'KST: not in the table');
    assert.deepEqual(lenses[0].command?.arguments?.length, 1);
    const plan = (await s.conn.sendRequest(CodeLensRequest.type, { textDocument: { uri: s.uri(PLANS) } })) as CodeLens[];
    assert.deepEqual(
      plan.map((l) => l.command?.title),
      ['KST: dropped by 14563 (3 entries)'],
    );
  });

  test('completion: role names, versions with their product, cmdlet parameters, the workspace FQDNs', async () => {
    const complete = async (name: string, text: string) => {
      await s.edit(name, s.text(name), text);
      // § marks the cursor (a script has pipes of its own) and stays in the text, as a typed character would.
      const doc = TextDocument.create('', '', 0, text);
      const items = (await s.conn.sendRequest(CompletionRequest.type, {
        textDocument: { uri: s.uri(name) },
        position: doc.positionAt(text.indexOf('§')),
      })) as CompletionItem[];
      return items;
    };
    const original = s.text(SCRIPT);
    const params = await complete(SCRIPT, `${original}\nNew-CsTrustedApplicationPool -Reg§`);
    assert.deepEqual(
      params.map((i) => i.label),
      ['Registrar'],
    );
    const fqdns = await complete(SCRIPT, `${original}\nNew-CsTrustedApplication -TrustedApplicationPoolFqdn ex§`);
    assert.deepEqual(
      fqdns.map((i) => i.label),
      ['ex1.contoso.com'],
    );
    await s.edit(SCRIPT, s.text(SCRIPT), original);
    const topology = s.text(TOPOLOGY);
    const roles = await complete(TOPOLOGY, topology.replace('RoleName="UserStore"', 'RoleName="Reg§"'));
    assert.ok(roles.some((i) => i.label === 'Registrar'));
    const versions = await complete(TOPOLOGY, topology.replace('ServiceVersion="6"', 'ServiceVersion="§"'));
    assert.deepEqual(
      versions.map((i) => `${i.label} ${i.detail}`),
      [
        '5 version 5 (Lync Server 2010)',
        '6 version 6 (Lync Server 2013)',
        '7 version 7 (Skype for Business Server 2015)',
        '8 version 8 (Skype for Business Server 2019)',
      ],
    );
    await s.edit(TOPOLOGY, s.text(TOPOLOGY), topology);
  });
});

describe('language server: rename a server everywhere', () => {
  test('pool01 renamed across the topology and the script, each in its own case, and validated again', async () => {
    const dir = workspaceCopy();
    // The script names the Registrar through a variable: the literal it comes from is what is renamed, in its own case.
    const script = readFileSync(path.join(dir, SCRIPT), 'utf8');
    assert.ok(script.includes("$RegistrarPool = 'pool01.contoso.com'"));
    writeFileSync(path.join(dir, SCRIPT), script.replace("$RegistrarPool = 'pool01.contoso.com'", "$RegistrarPool = 'POOL01.CONTOSO.COM'"));
    const s = await LspSession.start(dir);
    try {
      await s.waitFor('KST001', () => s.diags(TOPOLOGY).some((d) => d.code === 'KST001'));
      const where = at(s, TOPOLOGY, 'Fqdn="pool01.contoso.com"', 8);
      const prepared = await s.conn.sendRequest(PrepareRenameRequest.type, where);
      assert.deepEqual(prepared && 'placeholder' in prepared ? prepared.placeholder : prepared, 'pool01.contoso.com');
      const edit = (await s.conn.sendRequest(RenameRequest.type, { ...where, newName: 'pool02.contoso.com' })) as WorkspaceEdit;
      const changes = (edit.documentChanges ?? []) as TextDocumentEdit[];
      assert.deepEqual(
        changes.map((c) => [path.basename(c.textDocument.uri), c.edits.map((e) => (e as { newText: string }).newText)]).sort(),
        [
          [SCRIPT, ['POOL02.CONTOSO.COM']],
          [TOPOLOGY, ['pool02.contoso.com']],
        ],
      );
      assert.match(Object.values(edit.changeAnnotations ?? {})[0]?.label ?? '', /^Rename in 2 file\(s\), 2 place\(s\)$/);
      await s.apply(edit);
      await s.waitFor('validated again', () => s.text(TOPOLOGY).includes('pool02') && s.diags(TOPOLOGY).some((d) => d.code === 'KST001'));
      assert.ok(!s.diags(SCRIPT).some((d) => d.code === 'TAP004'), 'the script still names the Registrar the topology has');
    } finally {
      assert.equal(await s.stop(), 0);
    }
  });

  test('a rename that creates a conflict says so; a minimal client gets plain changes; a bad name is refused', async () => {
    // A Front End renamed to the Exchange server a SipName plan lists: v8 and v0 for one FQDN.
    for (const minimal of [false, true]) {
      const dir = mkdtempSync(path.join(tmpdir(), 'lync-kst-rename-'));
      copyFileSync(path.join(ROOT, 'examples', 'exchange2019', 'topology.xml'), path.join(dir, TOPOLOGY));
      writeFileSync(
        path.join(dir, 'p.umdialplans.json'),
        '{ "format": "kst-umdialplans", "dialPlans": [ { "name": "SIP", "uriType": "SipName", "servers": [ "exch.contoso.com" ] } ] }',
      );
      const s = await LspSession.start(dir, minimal ? { capabilities: { ...MINIMAL, workspace: { workspaceEdit: {} } } } : {});
      try {
        await s.waitFor('a validation', () => s.statuses.length > 0);
        await s.ensureOpen(TOPOLOGY);
        const where = at(s, TOPOLOGY, 'Fqdn="fe01.contoso.com"', 8);
        const edit = (await s.conn.sendRequest(RenameRequest.type, { ...where, newName: 'exch.contoso.com' })) as WorkspaceEdit;
        if (minimal) {
          assert.equal(edit.documentChanges, undefined);
          // The machine's Fqdn, FaultDomain and UpgradeDomain all name it.
          assert.deepEqual(
            Object.values(edit.changes ?? {})
              .flat()
              .map((e) => e.newText),
            ['exch.contoso.com', 'exch.contoso.com', 'exch.contoso.com'],
          );
        } else {
          const annotation = Object.values(edit.changeAnnotations ?? {})[0];
          assert.equal(
            annotation?.label,
            'Rename in 1 file(s), 3 place(s): creates a KST conflict: exch.contoso.com with versions 8 and 0 (14563)',
          );
          assert.equal(annotation?.needsConfirmation, true);
        }
        await assert.rejects(
          s.conn.sendRequest(RenameRequest.type, { ...where, newName: 'not a name' }),
          /is not a fully qualified domain name/,
        );
      } finally {
        assert.equal(await s.stop(), 0);
      }
    }
  });
});

describe('language server: a .tbxml', () => {
  test('GUID links go to their element; the outline has the site and its pools', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lync-kst-tbxml-'));
    copyFileSync(path.join(ROOT, 'test', 'fixtures', 'lab.tbxml'), path.join(dir, 'lab.tbxml'));
    const s = await LspSession.start(dir);
    try {
      await s.waitFor('a validation', () => s.statuses.length > 0);
      await s.ensureOpen('lab.tbxml');
      const installed = (await s.conn.sendRequest(
        DefinitionRequest.type,
        at(s, 'lab.tbxml', 'InstalledOn="{AAAA0000-0000-0000-0000-000000000002}"', 15),
      )) as LocationLink[];
      assert.equal(textAt(s, installed[0].targetUri, installed[0].targetSelectionRange), 'EX1.contoso.com');
      const dependency = (await s.conn.sendRequest(
        DefinitionRequest.type,
        at(s, 'lab.tbxml', 'ServiceUniqueId="{BBBB', 20),
      )) as LocationLink[];
      assert.match(
        textAt(s, dependency[0].targetUri, dependency[0].targetRange),
        /^<Service UniqueId="\{bbbb0000-0000-0000-0000-000000000001\}" RoleName="Registrar"/,
      );
      const symbols = (await s.conn.sendRequest(DocumentSymbolRequest.type, {
        textDocument: { uri: s.uri('lab.tbxml') },
      })) as DocumentSymbol[];
      assert.deepEqual(
        symbols[0].children?.map((c) => c.name),
        ['pool01.contoso.com', 'EX1.contoso.com'],
      );
    } finally {
      assert.equal(await s.stop(), 0);
    }
  });
});
