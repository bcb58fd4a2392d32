/**
 * The language server as clients other than VS Code drive it: what Neovim 0.7 and Emacs eglot
 * declare (or fail to answer), position encodings, plain-text hovers, `changes` edits, pull
 * against push diagnostics, progress, and editors that go away without a shutdown. Each test
 * is the real bundle over stdio (test/lsp/session.ts).
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { ClientCapabilities, Diagnostic, Hover, MarkupContent } from 'vscode-languageserver-protocol/node';
import { LspSession, MINIMAL, VSCODE_LIKE, workspaceCopy } from './lsp/session';

const TOPOLOGY = 'topology.xml';
const PLANS = 'contoso.umdialplans.json';
const SCRIPT = 'new-owa-trusted-app.ps1';

const kst001 = (s: LspSession, name: string): Diagnostic | undefined => s.diags(name).find((d) => d.code === 'KST001');

/** What Neovim 0.7 declares that matters here: push diagnostics, no watchers, no resolve, no documentChanges. */
const NEOVIM_07: ClientCapabilities = {
  textDocument: {
    publishDiagnostics: { relatedInformation: true, tagSupport: { valueSet: [1, 2] } },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } },
  },
  workspace: { configuration: true, workspaceFolders: true, applyEdit: true },
};

async function session(capabilities: ClientCapabilities, extra: Parameters<typeof LspSession.start>[1] = {}) {
  return LspSession.start(workspaceCopy(), { capabilities, initializationOptions: { debounceMs: 20 }, ...extra });
}

describe('language server: clients other than VS Code', () => {
  test('a client that answers workspace/configuration with an error still gets diagnostics, and the log says why once', async () => {
    const s = await session(VSCODE_LIKE, { configurationFails: true });
    try {
      await s.waitFor('KST001 on both sides', () => kst001(s, TOPOLOGY) && kst001(s, PLANS));
      await s.configure({ rules: { KST002: 'off' } });
      await s.settled(() => undefined);
      const said = s.logs.filter((l) => /could not answer workspace\/configuration/.test(l));
      assert.equal(said.length, 1, said.join('\n'));
    } finally {
      await s.stop();
    }
  });

  test('without file watchers from the client, the server watches the folders itself', async () => {
    const s = await session(NEOVIM_07);
    try {
      await s.waitFor('KST001', () => kst001(s, TOPOLOGY));
      // Written behind the editor's back, and nobody says so.
      const plans = path.join(s.folder, PLANS);
      writeFileSync(plans, readFileSync(plans, 'utf8').replace('"SipName"', '"TelExtn"'));
      await s.waitFor('KST001 gone once the file changed on disk', () => !kst001(s, TOPOLOGY));
    } finally {
      await s.stop();
    }
  });

  test('without data on the diagnostic, Option 1 is found by code and place; applied as changes, the files are read again', async () => {
    const s = await session(NEOVIM_07);
    try {
      const d = await s.waitFor('KST001', () => kst001(s, TOPOLOGY));
      const { data: _dropped, ...withoutData } = d;
      const actions = await s.codeActions(TOPOLOGY, [withoutData]);
      const option1 = actions.find((a) => a.isPreferred);
      assert.ok(option1?.edit, `Option 1 with its edit (got ${actions.map((a) => a.title).join('; ')})`);
      assert.equal(option1.edit.documentChanges, undefined, 'no documentChanges for a client that did not declare them');
      const changes = option1.edit.changes ?? {};
      assert.deepEqual(Object.keys(changes).sort(), [s.uri(SCRIPT), s.uri(TOPOLOGY)].sort());
      // Applied as the editor applies `changes` (to the open topology, to the script on disk), then the command runs.
      await s.apply(option1.edit);
      assert.ok(option1.command);
      await s.executeCommand(option1.command.command, option1.command.arguments);
      await s.waitFor('KST001 gone everywhere', () => !kst001(s, TOPOLOGY) && !kst001(s, PLANS) && !kst001(s, SCRIPT));
      assert.match(readFileSync(path.join(s.folder, SCRIPT), 'utf8'), /lync-kst removed-pool ex1\.contoso\.com/);
    } finally {
      await s.stop();
    }
  });

  test('a hover for a client that renders only plain text comes without markdown marks', async () => {
    const s = await session({ ...NEOVIM_07, textDocument: { ...NEOVIM_07.textDocument, hover: { contentFormat: ['plaintext'] } } });
    try {
      await s.waitFor('KST001', () => kst001(s, TOPOLOGY));
      const h = (await s.hover(TOPOLOGY, 'Fqdn="ex1.contoso.com"', 7)) as Hover;
      const contents = h.contents as MarkupContent;
      assert.equal(contents.kind, 'plaintext');
      assert.match(contents.value, /ex1\.contoso\.com: not in the Known Servers Table/);
      assert.doesNotMatch(contents.value, /\*\*|`/);
    } finally {
      await s.stop();
    }
  });

  test('UTF-8 positions when the client asks for them: ranges, incremental edits and Option 2 on a line with 😀', async () => {
    const dir = workspaceCopy();
    const plans = path.join(dir, PLANS);
    const line = '  "dialPlans": [ { "name": "Contoso-SIP 😀", "uriType": "SipName", "servers": [ "ex1.contoso.com" ] } ]';
    writeFileSync(plans, `{\n  "format": "kst-umdialplans",\n${line}\n}\n`);
    const s = await LspSession.start(dir, {
      capabilities: { ...NEOVIM_07, general: { positionEncodings: ['utf-8', 'utf-16'] } },
      initializationOptions: { debounceMs: 20 },
    });
    try {
      assert.equal(s.capabilities.positionEncoding, 'utf-8');
      const d = await s.waitFor('KST001 on the dial plan', () => kst001(s, PLANS));
      const at = line.indexOf('ex1.contoso.com');
      assert.deepEqual(d.range.start, { line: 2, character: Buffer.byteLength(line.slice(0, at)) }, 'columns are bytes');
      assert.equal(d.range.end.character - d.range.start.character, 'ex1.contoso.com'.length);
      // Option 2 is offered for it even when the client reports the columns another way (as UTF-16 here).
      const utf16 = { ...d, range: { start: { line: 2, character: at }, end: { line: 2, character: at + 15 } } };
      const { data: _dropped, ...asSent } = utf16;
      const titles = (await s.codeActions(PLANS, [asSent])).map((a) => a.title);
      assert.ok(
        titles.some((t) => t.startsWith('Option 2')),
        titles.join('; '),
      );
      // An incremental change in UTF-8 columns after the emoji: "SipName" becomes "TelExtn" and the conflict goes.
      const from = Buffer.byteLength(line.slice(0, line.indexOf('SipName')));
      await s.conn.sendNotification('textDocument/didChange', {
        textDocument: { uri: s.uri(PLANS), version: 2 },
        contentChanges: [{ range: { start: { line: 2, character: from }, end: { line: 2, character: from + 7 } }, text: 'TelExtn' }],
      });
      await s.waitFor('the conflict gone, the JSON intact', () => !kst001(s, TOPOLOGY) && s.diags(PLANS).some((x) => x.code === 'UM001'));
      assert.ok(!s.diags(PLANS).some((x) => x.code === 'XML001'));
    } finally {
      await s.stop();
    }
  });

  test('pull diagnostics for a client that pulls, push for one that does not, never both', async () => {
    const pulling = await session(VSCODE_LIKE);
    const pushed = await session(NEOVIM_07);
    try {
      await pulling.waitFor('KST001 pulled', () => kst001(pulling, TOPOLOGY) && kst001(pulling, PLANS));
      await pushed.waitFor('KST001 pushed', () => kst001(pushed, TOPOLOGY) && kst001(pushed, PLANS));
      assert.equal(pulling.pushes, 0, 'nothing pushed to a client that pulls');
      assert.ok(pulling.capabilities.diagnosticProvider);
      assert.equal(pushed.capabilities.diagnosticProvider, undefined);
      assert.ok(pushed.pushes > 0);
      // An edit reaches the pulling client through the held workspace request.
      await pulling.open(PLANS, 'json');
      await pulling.edit(PLANS, '"SipName"', '"TelExtn"');
      await pulling.waitFor('KST001 gone from the pulled topology', () => !kst001(pulling, TOPOLOGY));
      assert.equal(pulling.pushes, 0);
    } finally {
      await pulling.stop();
      await pushed.stop();
    }
  });

  test('progress for the first index where the client shows it', async () => {
    const s = await session(VSCODE_LIKE);
    try {
      await s.waitFor('KST001', () => kst001(s, TOPOLOGY));
      await s.waitFor('begin and end', () => {
        const kinds = s.progress.map((p) => (p as { kind: string }).kind);
        return kinds.includes('begin') && kinds.includes('end');
      });
    } finally {
      await s.stop();
    }
  });

  test('exit without shutdown, or a closed stdin, ends the process at once', async () => {
    for (const how of ['exit', 'stdin'] as const) {
      const s = await session(MINIMAL);
      await s.waitFor('KST001', () => kst001(s, TOPOLOGY));
      const code = await s.abandon(how);
      assert.notEqual(code, 'hung', `the process was still running 3 s after ${how}`);
    }
  });
});

describe('language server: answers from the last analysis, moved onto the text as it is', () => {
  test('a hover right after an edit, before the next analysis, underlines the right text; inside the edit there is none', async () => {
    // An analysis only once edits stop for a minute: the hovers below come from the one before them.
    const s = await LspSession.start(workspaceCopy(), { capabilities: VSCODE_LIKE, initializationOptions: { debounceMs: 60_000 } });
    try {
      await s.waitFor('KST001', () => kst001(s, TOPOLOGY));
      await s.open(TOPOLOGY, 'xml');
      await s.edit(TOPOLOGY, '<Topology ', '<!-- a line added by hand -->\n<Topology ');
      const h = await s.hover(TOPOLOGY, 'Fqdn="ex1.contoso.com"', 7);
      assert.ok(h?.range, 'a hover with its range');
      const text = s.text(TOPOLOGY);
      const lines = text.split('\n');
      const r = h.range;
      assert.equal(lines[r.start.line].slice(r.start.character, r.end.character), 'ex1.contoso.com', 'moved down by the added line');
      assert.match((h.contents as MarkupContent).value, /not in the Known Servers Table/);
      await s.edit(TOPOLOGY, 'Fqdn="ex1.contoso.com"', 'Fqdn="exx1.contoso.com"');
      assert.equal(await s.hover(TOPOLOGY, 'Fqdn="exx1.contoso.com"', 8), null, 'no hover from text that is no longer there');
    } finally {
      await s.stop();
    }
  });

  test('an open document over the size limit gets FILE001 at once, pushed or pulled', async () => {
    for (const capabilities of [NEOVIM_07, VSCODE_LIKE]) {
      const s = await session(capabilities, { settings: { maxFileSize: 0.01 } });
      try {
        await s.waitFor('KST001', () => kst001(s, TOPOLOGY));
        const big = `<Topology xmlns="urn:schema:Microsoft.Rtc.Management.Deploy.Topology.2008">${' '.repeat(20_000)}</Topology>`;
        writeFileSync(path.join(s.folder, 'big.xml'), big);
        await s.open('big.xml', 'xml', big);
        const d = await s.waitFor('FILE001 on the open document', () => s.diags('big.xml').find((x) => x.code === 'FILE001'));
        assert.match(String(d.message), /over the 0\.0 MB limit/);
      } finally {
        await s.stop();
      }
    }
  });
});
