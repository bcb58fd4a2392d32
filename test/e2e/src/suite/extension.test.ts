import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { file, hoverText, open, ours, waitFor } from './helpers';

const TOPOLOGY = 'topology.xml';
const PLANS = 'contoso.umdialplans.json';
const EXTENSION = 'lync-kst.lync-kst';

/** The trusted pool's Cluster Fqdn in the example topology (line 37). */
async function poolFqdn(): Promise<vscode.Range> {
  const doc = await vscode.workspace.openTextDocument(file(TOPOLOGY));
  const at = doc.getText().indexOf('Fqdn="ex1.contoso.com"') + 'Fqdn="'.length;
  return new vscode.Range(doc.positionAt(at), doc.positionAt(at + 'ex1.contoso.com'.length));
}

// The order matters: the Option 1 test changes the workspace, so it runs last.
suite('lync-kst in a real VS Code', () => {
  test('opening the topology activates the extension, and KST001 shows on both sides', async () => {
    // No test calls activate(): the manifest's activation events must do it (this workspace has
    // *.umdialplans.json files and an XML document is opened).
    await open(TOPOLOGY);
    const d = await waitFor('KST001 on the topology', () => ours(file(TOPOLOGY), 'KST001')[0]);
    assert.equal(vscode.extensions.getExtension(EXTENSION)?.isActive, true);
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.ok(d.range.isEqual(await poolFqdn()), `range ${JSON.stringify(d.range)} is the pool FQDN`);
    assert.match(String((d.code as { target: vscode.Uri }).target), /README\.md#kst001$/);
    assert.ok(
      d.relatedInformation?.some((r) => r.location.uri.toString() === file(PLANS).toString()),
      'related information points into the dial plan',
    );
    assert.ok(!vscode.workspace.textDocuments.some((t) => t.uri.toString() === file(PLANS).toString()), 'the dial plan is not open');
    const plan = await waitFor('KST001 on the unopened dial plan', () => ours(file(PLANS), 'KST001')[0]);
    assert.match(plan.message, /14563/);
  });

  test('the hover on the FQDN explains versions, origins, 14563 and what breaks', async () => {
    const range = await poolFqdn();
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      file(TOPOLOGY),
      range.start.translate(0, 3),
    );
    const text = hoverText(hovers);
    for (const expected of [
      /\*\*6\*\* \(Lync Server 2013\)/,
      /\*\*0\*\* \(any\)/,
      /Exchange UM Routing \(SipName dial plan Contoso-SIP\)/,
      /Trusted Application Pool/,
      /Event 14563/,
      /Outlook Web App IM/,
    ]) {
      assert.match(text, expected);
    }
  });

  test('editing the dial plan to TelExtn clears the topology diagnostic; undo brings it back', async () => {
    const editor = await open(PLANS);
    const text = editor.document.getText();
    const at = text.indexOf('"SipName"') + 1;
    await editor.edit((e) =>
      e.replace(new vscode.Range(editor.document.positionAt(at), editor.document.positionAt(at + 'SipName'.length)), 'TelExtn'),
    );
    await waitFor('KST001 gone from the topology', () => ours(file(TOPOLOGY), 'KST001').length === 0);
    await vscode.commands.executeCommand('undo');
    assert.equal(editor.document.getText(), text);
    await waitFor('KST001 back on the topology', () => ours(file(TOPOLOGY), 'KST001').length === 1);
    await vscode.commands.executeCommand('workbench.action.files.save');
  });

  test(
    'Show Known Servers Table opens the table and events (event IDs explained on hover); Simulate RTCSRV Restart adds the restart ' +
      'events',
    async () => {
      const viewText = (): string | undefined =>
        vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme === 'lync-kst')?.document.getText();
      await vscode.commands.executeCommand('lyncKst.showKnownServersTable');
      const table = await waitFor('the KST view', () => viewText()?.includes('14563') && viewText());
      assert.match(table, /^ex1\.contoso\.com\s+6\s+Lync Server 2013\s+dropped by 14563/m);
      assert.match(table, /Start-up events/);
      // The example's event export: what fe01 logged, beside each entry.
      assert.match(table, /STATE\s+LIVE\s+ORIGIN/);
      assert.match(table, /^ex1\.contoso\.com .*dropped by 14563\s+fe01\.contoso\.com: dropped, version 6 and 0 \(14563 at /m);
      assert.doesNotMatch(table, /44030/);
      const view = vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme === 'lync-kst')!;
      assert.equal(view.document.languageId, 'lync-kst-table');
      const at = view.document.positionAt(view.document.getText().indexOf('  14563') + 3);
      const eventHover = await waitFor(
        'a hover on event 14563',
        async () =>
          hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', view.document.uri, at)) ||
          undefined,
      );
      assert.match(eventHover, /Event 14563.*Error/);
      await vscode.commands.executeCommand('lyncKst.simulateRestart');
      await waitFor('the restart view', () => vscode.window.visibleTextEditors.some((e) => /44030[\s\S]*14493/.test(e.document.getText())));
    },
  );

  test('the 14563 fe01 logged shows on the unopened event export, related to both sides', async () => {
    const events = file('fe01-lync-server-events.xml');
    const d = await waitFor('EVT003 on the event export', () => ours(events, 'EVT003')[0]);
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.match(d.message, /fe01\.contoso\.com logged 14563 for ex1\.contoso\.com .*The workspace explains it/);
    assert.ok(d.relatedInformation?.some((r) => r.location.uri.toString() === file(TOPOLOGY).toString()));
    assert.ok(d.relatedInformation?.some((r) => r.location.uri.toString() === file(PLANS).toString()));
  });

  test('Compare with Published Topology shows what publishing the file changes, in a read-only view', async () => {
    // The backup Publish-CsTopology would have left before an in-place upgrade to Skype for Business 2015 (version 7).
    const now = (await vscode.workspace.openTextDocument(file(TOPOLOGY))).getText();
    const backup = vscode.Uri.file(path.join(os.tmpdir(), `Publish-CsTopology-Backup-${Date.now()}.xml`));
    await vscode.workspace.fs.writeFile(backup, Buffer.from(now.replace(/ServiceVersion="6"/g, 'ServiceVersion="7"')));
    await vscode.commands.executeCommand('lyncKst.compareWithPublished', file(TOPOLOGY), backup);
    const view = await waitFor('the comparison view', () =>
      vscode.window.visibleTextEditors.find((e) => e.document.uri.path.startsWith('/Publishing topology.xml')),
    );
    const text = view.document.getText();
    assert.match(text, /^pool01\.contoso\.com\s+known \(7\)\s+known \(6\)/m);
    assert.match(text, /After Publish-CsTopology and Enable-CsTopology, a Front End would log:/);
    assert.match(text, /^ {2}14493 {2}Information\s+LS Protocol Stack: pool01\.contoso\.com is added with version 6/m);
    assert.equal(view.document.languageId, 'lync-kst-table');
  });

  test('outline, go to definition across files, the KST code lens, and a rename applied and validated again', async () => {
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', file(TOPOLOGY));
    assert.deepEqual(
      symbols.map((x) => x.name),
      ['Contoso-HQ', 'SQL instance rtc'],
    );
    assert.ok(symbols[0].children.some((c) => c.name === 'ex1.contoso.com' && /^trusted application pool · KST v6/.test(c.detail)));

    const plans = await vscode.workspace.openTextDocument(file(PLANS));
    const server = plans.positionAt(plans.getText().indexOf('"ex1.contoso.com"') + 3);
    const definitions = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>(
      'vscode.executeDefinitionProvider',
      file(PLANS),
      server,
    );
    const targets = definitions.map((d) => ('targetUri' in d ? d.targetUri : d.uri).toString());
    assert.ok(targets.includes(file(TOPOLOGY).toString()), targets.join(', '));

    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', file(TOPOLOGY), 10);
    const titles = lenses.map((l) => l.command?.title);
    assert.ok(titles.includes('KST: dropped by 14563 (3 entries)') && titles.includes('KST: known, v6'), titles.join(', '));

    const topology = await vscode.workspace.openTextDocument(file(TOPOLOGY));
    const rename = async (from: string, to: string) => {
      const at = topology.positionAt(topology.getText().indexOf(`Fqdn="${from}"`) + 8);
      const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>(
        'vscode.executeDocumentRenameProvider',
        file(TOPOLOGY),
        at,
        to,
      );
      assert.ok(await vscode.workspace.applyEdit(edit));
      await topology.save();
    };
    const events = file('fe01-lync-server-events.xml');
    await rename('fe02.contoso.com', 'fe03.contoso.com');
    assert.match(topology.getText(), /Fqdn="fe03\.contoso\.com" FaultDomain="fe03\.contoso\.com" UpgradeDomain="fe03\.contoso\.com"/);
    // Validated again: fe01's log knows fe02, which the workspace no longer has, and not fe03.
    await waitFor('EVT004 for fe03', () => ours(events, 'EVT004').some((d) => d.message.includes('fe03.contoso.com')));
    await rename('fe03.contoso.com', 'fe02.contoso.com');
    await waitFor('EVT004 gone', () => ours(events, 'EVT004').length === 0);
  });

  test('a malformed file shows XML001 and the other files keep their diagnostics', async () => {
    const xml001 = await waitFor('XML001 on broken.xml', () => ours(file('broken.xml'), 'XML001')[0]);
    assert.equal(xml001.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(ours(file(TOPOLOGY), 'KST001').length, 1);
    assert.equal(ours(file(PLANS), 'KST001').length, 1);
  });

  test('setting a rule to off takes effect without a reload', async () => {
    const config = vscode.workspace.getConfiguration('lyncKst');
    await config.update('rules', { KST001: 'off' }, vscode.ConfigurationTarget.Workspace);
    try {
      await waitFor('KST001 off', () => ours(file(TOPOLOGY), 'KST001').length === 0 && ours(file(PLANS), 'KST001').length === 0);
    } finally {
      await config.update('rules', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await waitFor('KST001 back', () => ours(file(TOPOLOGY), 'KST001').length === 1);
  });

  test('OWA IM for an Exchange server nothing puts in the KST: EXC001, and its fix adds the pool to the Lync script', async () => {
    // An Exchange 2013 server, ex2, whose OWA web.config names pool01 for IM; no dial plan hosts it, no pool exists.
    const servers = file('ex2-servers.xml');
    const webConfig = file('EX2/web.config');
    await vscode.workspace.fs.writeFile(
      servers,
      Buffer.from(
        '<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04"><Obj RefId="0"><TN RefId="0">' +
          '<T>Microsoft.Exchange.Data.Directory.Management.ExchangeServer</T></TN><ToString>EX2</ToString><Props><S N="Name">EX2</S>' +
          '<S N="Fqdn">ex2.contoso.com</S><S N="AdminDisplayVersion">Version 15.0 (Build 1497.2)</S></Props></Obj></Objs>\n',
      ),
    );
    await vscode.workspace.fs.writeFile(
      webConfig,
      Buffer.from(
        '<configuration>\n  <appSettings>\n    <add key="IMServerName" value="pool01.contoso.com" />\n  </appSettings>\n</configuration>\n',
      ),
    );
    try {
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(webConfig));
      const d = await waitFor('EXC001 on the web.config', () => ours(webConfig, 'EXC001')[0]);
      assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
      assert.match(d.message, /OWA IM is configured for ex2\.contoso\.com \(web\.config\)/);
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        webConfig,
        d.range,
        vscode.CodeActionKind.QuickFix.value,
        10,
      );
      const fix = actions.find((a) => a.title.startsWith('Create Trusted Application Pool ex2.contoso.com'));
      assert.ok(fix?.edit, actions.map((a) => a.title).join('; '));
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      if (fix.command) await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments ?? []));
      const script = await vscode.workspace.openTextDocument(file('new-owa-trusted-app.ps1'));
      assert.match(script.getText(), /New-CsTrustedApplicationPool -Identity ex2\.contoso\.com -Registrar pool01\.contoso\.com -Site 1 /);
      await script.save();
      await waitFor('EXC001 gone', () => ours(webConfig, 'EXC001').length === 0);
    } finally {
      await vscode.workspace.fs.delete(servers);
      await vscode.workspace.fs.delete(vscode.Uri.joinPath(webConfig, '..'), { recursive: true });
    }
  });

  test('Option 1 is the preferred quick fix; applying it leaves a well-formed topology and clears the conflict on both sides', async () => {
    const editor = await open(TOPOLOGY);
    const before = editor.document.getText();
    const d = ours(file(TOPOLOGY), 'KST001')[0];
    // The edit is made when an action is picked (codeAction/resolve): resolve them as the lightbulb does.
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      file(TOPOLOGY),
      d.range,
      vscode.CodeActionKind.QuickFix.value,
      10,
    );
    const preferred = actions.filter((a) => a.isPreferred);
    assert.equal(preferred.length, 1);
    assert.match(preferred[0].title, /^Option 1: remove Trusted Application Pool ex1\.contoso\.com and its applications \(add it back if/);
    assert.ok(actions.some((a) => a.title.startsWith('Option 2')));
    assert.ok(await vscode.workspace.applyEdit(preferred[0].edit!));
    if (preferred[0].command) await vscode.commands.executeCommand(preferred[0].command.command, ...(preferred[0].command.arguments ?? []));

    await waitFor(
      'the conflict gone on both sides',
      () => ours(file(TOPOLOGY), 'KST001').length === 0 && ours(file(PLANS), 'KST001').length === 0,
    );
    assert.equal(ours(file(TOPOLOGY), 'XML001').length, 0, 'still well-formed');
    assertOnlyPoolRemoved(before, editor.document.getText());
  });
});

/** Every line that went is part of the ex1 pool's XML; every line that came is the marker comment. */
function assertOnlyPoolRemoved(before: string, after: string): void {
  const count = (lines: string[]): Map<string, number> => lines.reduce((m, l) => m.set(l, (m.get(l) ?? 0) + 1), new Map<string, number>());
  const a = count(after.split(/\r?\n/));
  const b = count(before.split(/\r?\n/));
  const added = [...a].filter(([l, n]) => n > (b.get(l) ?? 0)).map(([l]) => l);
  const removed = [...b].filter(([l, n]) => n > (a.get(l) ?? 0)).map(([l]) => l);
  assert.equal(added.length, 1);
  assert.match(added[0], /^\s*<!-- lync-kst removed-pool ex1\.contoso\.com/);
  const cluster = /<Cluster[^>]*Fqdn="ex1\.contoso\.com"[\s\S]*?<\/Cluster>/.exec(before)![0];
  const service = /<Service\b(?:(?!<\/Service>)[\s\S])*?ExternalServer[\s\S]*?<\/Service>/.exec(before)![0];
  for (const line of removed)
    assert.ok(cluster.includes(line.trim()) || service.includes(line.trim()), `removed line belongs to the pool: ${line}`);
  assert.ok(removed.length >= 4, 'the pool and its service were removed');
}
