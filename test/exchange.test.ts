/**
 * The Exchange side: Exchange versions, OWA IM settings (setting overrides, Set-OwaVirtualDirectory,
 * web.config), UM bindings, and whether each Exchange server is known to Lync by the right path.
 * A table of workspaces with every finding marked (must report and must not report), then the
 * fix, the hover and the KST view.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { hoverInFile } from '../server/src/explain/hover';
import { kstReport } from '../server/src/simulate/report';
import { productOf } from '../server/src/simulate/exchange';
import { marked, seenAll } from './cases';
import { clixml } from './exports';
import { EXCHANGE_ROWS, exchangeServer, LYNC_SCRIPT, override, plans, TOPOLOGY_2019, V2013, V2016, V2019 } from './exchange';
import { applyFix, fixFor, ROOT, run } from './helpers';

describe('the Exchange side: every finding of each workspace, at its place', () => {
  for (const row of EXCHANGE_ROWS) {
    test(row.name, () => {
      const { texts, expected } = marked(row.files);
      assert.deepEqual(seenAll(run(texts)), expected);
    });
  }
});

describe('Exchange versions, bindings and the fix', () => {
  test('the product is read from AdminDisplayVersion, never from the major version alone', () => {
    assert.deepEqual([V2013, V2016, V2019, 'Version 14.3 (Build 123.4)', 'Version 15.9 (Build 1)', '15'].map(productOf), [
      2013,
      2016,
      2019,
      2010,
      undefined,
      undefined,
    ]);
  });

  test('a binding that lists a SipName plan the plan itself does not list puts the server in the KST', () => {
    const a = run({
      'um.ps1': 'Set-UMCallRouterSettings -Server ex16.contoso.com -DialPlans Contoso-SIP -UMStartupMode Dual\n',
      'p.umdialplans.json': plans('ex2.contoso.com'),
    });
    assert.deepEqual(a.kst.entries.map((e) => [e.fqdn, e.version, e.token.value]).sort(), [
      ['ex16.contoso.com', 0, 'Contoso-SIP'],
      ['ex2.contoso.com', 0, 'ex2.contoso.com'],
    ]);
  });

  test('the EXC001 fix appends the pool and its OWA application to the Lync script; the result has no finding', () => {
    const spec = {
      't.xml': TOPOLOGY_2019,
      'ex.xml': clixml([exchangeServer('EX19', 'ex19.contoso.com', V2019)]),
      'owa.ps1': override('EX19', 'pool01.contoso.com'),
      'lync.ps1': LYNC_SCRIPT.replace(/\n/g, '\r\n'),
    };
    const a = run(spec);
    const all = a.inputs.map((i) => i.file);
    const f = a.findings.find((x) => x.code === 'EXC001');
    assert.ok(f);
    const fix = fixFor(a, f);
    assert.equal(fix.title, 'Create Trusted Application Pool ex19.contoso.com and its OWA application in lync.ps1');
    const after = applyFix(all, fix);
    const script = after.find((x) => x.path === 'lync.ps1')!.text;
    assert.ok(script.startsWith(LYNC_SCRIPT.replace(/\n/g, '\r\n')), 'the script before is kept byte for byte');
    assert.doesNotMatch(script.replace(/\r\n/g, ''), /\n/, 'CRLF throughout');
    assert.match(
      script,
      /New-CsTrustedApplicationPool -Identity ex19\.contoso\.com -Registrar pool01\.contoso\.com -Site 1 .*-ComputerFqdn ex19\S+\r\n/,
    );
    assert.match(
      script,
      /New-CsTrustedApplication -ApplicationId OutlookWebApp -TrustedApplicationPoolFqdn ex19\.contoso\.com -Port 5199\r\n$/,
    );
    const again = run(Object.fromEntries(after.map((x) => [x.path, x.text])));
    assert.deepEqual(
      again.findings.map((x) => `${x.code} ${x.message}`),
      [],
    );
    assert.ok(again.kst.byFqdn.has('ex19.contoso.com' as never));
  });

  test('no fix without a Lync script to append to (the collector, all Get- cmdlets, is not one)', () => {
    const a = run({
      't.xml': TOPOLOGY_2019,
      'ex.xml': clixml([exchangeServer('EX19', 'ex19.contoso.com', V2019)]),
      'owa.ps1': override('EX19', 'pool01.contoso.com'),
      'collect.ps1': readFileSync(path.join(ROOT, 'scripts', 'collect', 'Export-LyncKstWorkspace.ps1'), 'utf8'),
    });
    assert.deepEqual(a.findings.find((x) => x.code === 'EXC001')?.fixes, []);
  });

  test('the hover on an Exchange server says its version and how it enters the KST; the KST view lists it', () => {
    const a = run({
      't.xml': TOPOLOGY_2019,
      'ex.xml': clixml([exchangeServer('EX19', 'ex19.contoso.com', V2019)]),
      'owa.ps1': override('EX19', 'pool01.contoso.com'),
    });
    const owa = a.inputs.find((i) => i.file.path === 'owa.ps1')!.file;
    const hover = hoverInFile(a, owa, owa.text.indexOf('EX19') + 1, (k) => k);
    assert.match(
      hover?.markdown ?? '',
      /\*\*Exchange:\*\* Exchange 2019 \(Version 15\.2 \(Build 1118\.7\)\); enters the Known Servers Table not at all\./,
    );
    assert.match(hover?.markdown ?? '', /OWA IM is configured but cannot work/);
    assert.match(
      kstReport(a, false),
      /^Exchange servers:\n {2}ex19\.contoso\.com: Exchange 2019 .* not at all\. OWA IM is configured but cannot work/m,
    );
  });

  test('partial cmdlet tables: parameters lync-kst does not list are no error; list arguments are read item by item', () => {
    const a = run({
      'um.ps1':
        'Set-UMService -Identity EX16 -DialPlans @("Contoso-SIP", \'Other\') -UMStartupMode Dual ' +
        '-MaxCallsAllowed 100 -IPAddressFamily Any\n' +
        'Set-OwaVirtualDirectory "EX16\\owa (Default Web Site)" -InstantMessagingType Ocs -LogonFormat UserName\n',
      'p.umdialplans.json': plans('ex16.contoso.com'),
    });
    assert.deepEqual(
      a.findings.map((f) => f.code),
      [],
    );
    const ex16 = a.exchange.servers.get('ex16');
    assert.deepEqual(
      ex16?.bindings[0].plans.map((p) => [p.value, a.inputs[0].file.text.slice(p.span.start, p.span.end)]),
      [
        ['Contoso-SIP', 'Contoso-SIP'],
        ['Other', 'Other'],
      ],
    );
    assert.deepEqual(
      ex16?.owaIm.map((o) => o.via),
      ['Set-OwaVirtualDirectory'],
    );
  });

  test('examples/exchange2019 shows EXC001 in one command, and nothing else', () => {
    const dir = path.join(ROOT, 'examples', 'exchange2019');
    const spec = Object.fromEntries(
      readdirSync(dir)
        .filter((n) => !n.endsWith('.md'))
        .map((n) => [n, readFileSync(path.join(dir, n), 'utf8')]),
    );
    assert.deepEqual(
      run(spec).findings.map((f) => f.code),
      ['EXC001'],
    );
  });
});
