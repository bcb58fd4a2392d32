/**
 * The Exchange side through the language server, on examples/exchange2019: EXC001 at the server
 * the setting override names, its fix (the pool appended to the Lync script, on disk), the hover.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { MarkupContent } from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { marked } from './cases';
import { EXCHANGE_ROWS } from './exchange';
import { ROOT } from './helpers';
import { LspSession, workspaceCopy } from './lsp/session';

const OWA = 'owa-im.ps1';
const LYNC = 'lync-trusted-apps.ps1';

describe('language server: examples/exchange2019', () => {
  let s: LspSession;
  let dir: string;
  before(async () => {
    dir = workspaceCopy(path.join(ROOT, 'examples', 'exchange2019'));
    s = await LspSession.start(dir);
    await s.waitFor('EXC001 on the setting override', () => s.diags(OWA).some((d) => d.code === 'EXC001'));
  });
  after(async () => assert.equal(await s.stop(), 0));

  test('EXC001 underlines the -Server value, relates the IM server, and is the only finding', () => {
    const d = s.diags(OWA).find((x) => x.code === 'EXC001');
    assert.ok(d);
    assert.equal(d.severity, 2);
    const line = s.text(OWA).split(/\r?\n/)[d.range.start.line];
    assert.equal(line.slice(d.range.start.character, d.range.end.character), 'EX19');
    assert.match(d.message as string, /There's a problem with instant messaging/);
    assert.deepEqual(
      d.relatedInformation?.map((r) => r.message),
      ['OWA signs in to pool01.contoso.com'],
    );
    for (const f of ['topology.xml', 'exchange-servers.xml', LYNC]) assert.deepEqual(s.diags(f), [], f);
  });

  test('the hover on EX19 says Exchange 2019, not in the KST, OWA IM cannot work', async () => {
    const hover = await s.hover(OWA, '-Server EX19', '-Server '.length + 1);
    const text = (hover?.contents as MarkupContent).value;
    assert.match(text, /\*\*ex19\.contoso\.com\*\*: not in the Known Servers Table/);
    assert.match(text, /\*\*Exchange:\*\* Exchange 2019 \(Version 15\.2 \(Build 1118\.7\)\); enters the Known Servers Table not at all/);
  });

  test('the fix appends the pool to the Lync script; once on disk, EXC001 is gone', async () => {
    const d = s.diags(OWA).find((x) => x.code === 'EXC001');
    assert.ok(d);
    const actions = await s.codeActions(OWA, [d]);
    const fix = actions.find((a) => a.title === `Create Trusted Application Pool ex19.contoso.com and its OWA application in ${LYNC}`);
    assert.ok(fix?.edit, actions.map((a) => a.title).join('; '));
    assert.equal(fix.isPreferred, true);
    await s.apply(fix.edit);
    const script = readFileSync(path.join(dir, LYNC), 'utf8');
    assert.match(
      script,
      /^New-CsTrustedApplication -ApplicationId OutlookWebApp -TrustedApplicationPoolFqdn ex19\.contoso\.com -Port 5199$/m,
    );
    await s.waitFor('EXC001 gone', () => !s.diags(OWA).some((x) => x.code === 'EXC001'));
    assert.deepEqual(s.diags(LYNC), []);
  });
});

describe('language server: every Exchange rule, at its place, as diagnostics', () => {
  for (const row of EXCHANGE_ROWS) {
    test(row.name, async () => {
      const { texts, expected } = marked(row.files);
      const dir = mkdtempSync(path.join(tmpdir(), 'lync-kst-exchange-'));
      for (const [name, text] of Object.entries(texts)) {
        mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
        writeFileSync(path.join(dir, name), text);
      }
      const s = await LspSession.start(dir);
      try {
        const seen = (): string[] =>
          Object.keys(texts)
            .flatMap((name) =>
              s.diags(name).map((d) => {
                const doc = TextDocument.create('', '', 0, texts[name]);
                const p = d.range.start;
                return `${name}:${p.line + 1}:${p.character + 1} ${String(d.code)} «${doc.getText(d.range)}»`;
              }),
            )
            .sort();
        await s.waitFor(`the findings of ${row.name}`, () => s.statuses.length > 0 && JSON.stringify(seen()) === JSON.stringify(expected));
      } finally {
        assert.equal(await s.stop(), 0);
      }
    });
  }
});
