/**
 * Trusted-application scripts read the way PowerShell runs them (issue 9): parameter prefixes,
 * -WhatIf, splatting, the Set- and Remove- cmdlets, pipelines, string building, unknown values
 * kept unknown, script pools' versions, and pools identified by their cluster. Each row is a
 * script that reads like a real one, with what it must and must not report.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { planFixes } from '../server/src/cli/fix';
import { kstReport } from '../server/src/simulate/report';
import { CMDLETS, COMMON } from '../server/src/readers/scripts/cmdlets';
import { codes, files, run } from './helpers';
import { dialPlans, SIP_EX1, topology, trustedPool } from './topologies';

const SIP = (...servers: string[]) => dialPlans([{ name: 'Contoso-SIP', uriType: 'SipName', servers }]);
const FE = topology(); // Front End pool01 (fe01, fe02) with a Registrar, version 6

interface Row {
  name: string;
  inputs: Record<string, string>;
  /** Every finding of these codes, as [code, file, underlined text]. */
  codes: string[];
  expect: [string, string, string][];
}

const rows: Row[] = [
  // 1. Parameter names by prefix (Microsoft's SEFAUtil page writes -id and -site).
  {
    name: 'SEFAUtil: -id and -site are -Identity and -Site, so the conflict is found',
    inputs: {
      't.xml': FE,
      'p.umdialplans.json': SIP_EX1,
      's.ps1': 'New-CsTrustedApplicationPool -id ex1.contoso.com -Registrar pool01.contoso.com -site Site:1\n',
    },
    codes: ['KST001', 'PS002'],
    expect: [
      ['KST001', 'p.umdialplans.json', 'ex1.contoso.com'],
      ['KST001', 's.ps1', 'ex1.contoso.com'],
    ],
  },
  {
    name: '-Reg is -Registrar: no TAP004',
    inputs: { 't.xml': FE, 's.ps1': 'New-CsTrustedApplicationPool -Identity app1.contoso.com -Reg pool01.contoso.com -Site 1\n' },
    codes: ['TAP004', 'PS002'],
    expect: [],
  },
  {
    name: '-Computer is -ComputerFqdn: the computer is in the KST, with its conflict',
    inputs: {
      't.xml': FE,
      'p.umdialplans.json': SIP('exc1.contoso.com'),
      's.ps1': 'New-CsTrustedApplicationPool -Identity app1.contoso.com -Registrar pool01.contoso.com -Computer exc1.contoso.com\n',
    },
    codes: ['KST001'],
    expect: [
      ['KST001', 'p.umdialplans.json', 'exc1.contoso.com'],
      ['KST001', 's.ps1', 'exc1.contoso.com'],
    ],
  },
  {
    name: '-App and -TrustedApplicationPool are prefixes: the duplicate port is found',
    inputs: {
      's.ps1':
        'New-CsTrustedApplicationPool app1.contoso.com -Registrar pool01.contoso.com\nNew-CsTrustedApplication -App One ' +
        '-TrustedApplicationPool app1.contoso.com -Port 6000\nNew-CsTrustedApplication -App Two -TrustedApplicationPool app1.contoso.com ' +
        '-Port 6000\n',
    },
    codes: ['TAP001'],
    expect: [['TAP001', 's.ps1', '6000']],
  },
  {
    name: 'an ambiguous prefix (-Re: Registrar or RequiresReplication) is PS002, and the cmdlet is left out',
    inputs: {
      't.xml': FE,
      'p.umdialplans.json': SIP_EX1,
      's.ps1': 'New-CsTrustedApplicationPool -Identity ex1.contoso.com -Re pool01.contoso.com\n',
    },
    codes: ['KST001', 'PS002'],
    expect: [['PS002', 's.ps1', 'Re']],
  },
  {
    name: 'an unknown parameter is PS002 too',
    inputs: { 's.ps1': 'New-CsTrustedApplicationPool -Identity ex1.contoso.com -Registar pool01.contoso.com\n' },
    codes: ['PS002', 'TAP004'],
    expect: [['PS002', 's.ps1', 'Registar']],
  },
  {
    name: 'common parameters and their aliases bind without changing anything',
    inputs: {
      't.xml': FE,
      'p.umdialplans.json': SIP_EX1,
      's.ps1':
        'New-CsTrustedApplicationPool -Identity ex1.contoso.com -Registrar pool01.contoso.com -ErrorAction Stop -vb -ov pool -cf:$false ' +
        '-Force\n',
    },
    codes: ['PS002', 'PS003'],
    expect: [],
  },
  // 2. The Set- and Remove- cmdlets.
  {
    name: 'Set-CsTrustedApplicationPool gives a pool its Registrar: no TAP004',
    inputs: {
      't.xml': FE,
      's.ps1':
        'New-CsTrustedApplicationPool -Identity app1.contoso.com -Site 1\nSet-CsTrustedApplicationPool -Identity app1.contoso.com ' +
        '-Registrar pool01.contoso.com\n',
    },
    codes: ['TAP004'],
    expect: [],
  },
  {
    name: 'Set-CsTrustedApplication -Port onto a used port is TAP001, at the Set',
    inputs: {
      's.ps1':
        'New-CsTrustedApplicationPool app1.contoso.com -Registrar pool01.contoso.com\nNew-CsTrustedApplication -ApplicationId One ' +
        '-TrustedApplicationPoolFqdn app1.contoso.com -Port 6000\nNew-CsTrustedApplication -ApplicationId Two ' +
        '-TrustedApplicationPoolFqdn app1.contoso.com -Port 6001\nSet-CsTrustedApplication -Identity ' +
        'app1.contoso.com/urn:application:two -Port 6000\n',
    },
    codes: ['TAP001'],
    expect: [['TAP001', 's.ps1', '6000']],
  },
  {
    name: 'Set-CsTrustedApplication -Port off a used port ends TAP001',
    inputs: {
      's.ps1':
        'New-CsTrustedApplicationPool app1.contoso.com -Registrar pool01.contoso.com\nNew-CsTrustedApplication -ApplicationId One ' +
        '-TrustedApplicationPoolFqdn app1.contoso.com -Port 6000\nNew-CsTrustedApplication -ApplicationId Two ' +
        '-TrustedApplicationPoolFqdn app1.contoso.com -Port 6000\nSet-CsTrustedApplication app1.contoso.com/Two -Port 6001\n',
    },
    codes: ['TAP001'],
    expect: [],
  },
  {
    name: 'Remove-CsTrustedApplicationComputer takes the computer out of the KST, and its conflict with it',
    inputs: {
      't.xml': FE,
      'p.umdialplans.json': SIP('exc1.contoso.com'),
      's.ps1':
        'New-CsTrustedApplicationPool -Identity app1.contoso.com -Registrar pool01.contoso.com -ComputerFqdn ' +
        'exc1.contoso.com\nRemove-CsTrustedApplicationComputer -Identity exc1.contoso.com\n',
    },
    codes: ['KST001'],
    expect: [],
  },
  // 3. -WhatIf changes nothing.
  ...['-WhatIf', '-WhatIf:$true', '-wi'].map((whatIf): Row => ({
    name: `${whatIf}: a dry run, PS003 and no conflict`,
    inputs: {
      't.xml': FE,
      'p.umdialplans.json': SIP_EX1,
      's.ps1': `New-CsTrustedApplicationPool -Identity ex1.contoso.com -Registrar pool01.contoso.com ${whatIf}\n`,
    },
    codes: ['KST001', 'PS003'],
    expect: [['PS003', 's.ps1', whatIf.slice(1).split(':')[0]]],
  })),
  {
    name: '-WhatIf:$false is a real change',
    inputs: {
      't.xml': FE,
      'p.umdialplans.json': SIP_EX1,
      's.ps1': 'New-CsTrustedApplicationPool -Identity ex1.contoso.com -Registrar pool01.contoso.com -WhatIf:$false\n',
    },
    codes: ['KST001', 'PS003'],
    expect: [
      ['KST001', 'p.umdialplans.json', 'ex1.contoso.com'],
      ['KST001', 's.ps1', 'ex1.contoso.com'],
    ],
  },
  // 4. Splatting.
  {
    name: 'a splatted hashtable binds like named parameters, at the hashtable values',
    inputs: {
      't.xml': FE,
      'p.umdialplans.json': SIP_EX1,
      's.ps1':
        "$p = @{\n    Identity  = 'ex1.contoso.com'\n    Reg       = 'pool01.contoso.com'\n    Site      = " +
        '1\n}\nNew-CsTrustedApplicationPool @p\n',
    },
    codes: ['KST001', 'PS001', 'TAP004'],
    expect: [
      ['KST001', 'p.umdialplans.json', 'ex1.contoso.com'],
      ['KST001', 's.ps1', 'ex1.contoso.com'],
    ],
  },
  {
    name: 'a splatted variable with no hashtable literal is PS001, left out',
    inputs: { 'p.umdialplans.json': SIP_EX1, 's.ps1': '$p = Import-Clixml pool.xml\nNew-CsTrustedApplicationPool @p\n' },
    codes: ['KST001', 'PS001'],
    expect: [['PS001', 's.ps1', '@p']],
  },
  // 5. String building from known parts.
  {
    name: '"Registrar:" + $pool and $name + "." + $domain are known',
    inputs: {
      't.xml': FE,
      'p.umdialplans.json': SIP_EX1,
      's.ps1':
        "$pool = 'pool01.contoso.com'\n$name = 'ex1'; $domain = 'contoso.com'\n$reg = \"Registrar:\" + $pool\n$fqdn = $name + \".\" + " +
        '$domain\nNew-CsTrustedApplicationPool -Identity $fqdn -Registrar $reg\n',
    },
    codes: ['KST001', 'PS001', 'TAP004'],
    expect: [
      ['KST001', 'p.umdialplans.json', 'ex1.contoso.com'],
      ['KST001', 's.ps1', '$fqdn'],
    ],
  },
  {
    name: 'a parenthesised concatenation as an argument is known',
    inputs: {
      't.xml': FE,
      's.ps1':
        '$pool = \'pool01.contoso.com\'\nNew-CsTrustedApplicationPool -Identity app1.contoso.com -Registrar ("Registrar:" + $pool)\n',
    },
    codes: ['PS001', 'TAP004'],
    expect: [],
  },
  // 6. Unknown stays unknown.
  {
    name: 'a Registrar built from an unknown part: PS001 says the version is assumed, and no TAP004',
    inputs: {
      't.xml': FE,
      's.ps1':
        '$site = Read-Host \'Site\'\n$reg = "Registrar:" + $site\nNew-CsTrustedApplicationPool -Identity app1.contoso.com -Registrar ' +
        '$reg\n',
    },
    codes: ['PS001', 'TAP004'],
    expect: [['PS001', 's.ps1', '$reg']],
  },
  {
    name: 'GEMS: -ComputerFqdn $first: the pool is simulated without its computers, and no TAP005',
    inputs: {
      't.xml': FE,
      's.ps1':
        '$servers = Get-Content servers.txt\n$first = $servers | Select-Object -First 1\nNew-CsTrustedApplicationPool -Identity ' +
        'gems.contoso.com -Registrar pool01.contoso.com -ComputerFqdn $first\n',
    },
    codes: ['PS001', 'TAP004', 'TAP005'],
    expect: [['PS001', 's.ps1', '$first']],
  },
  // 7. Pipelines.
  {
    name: 'Get-CsTrustedApplicationPool -Identity X | Remove-CsTrustedApplicationPool removes X',
    inputs: {
      't.xml': topology([{ fqdn: 'ex1.contoso.com', number: 4 }]),
      'p.umdialplans.json': SIP_EX1,
      's.ps1': 'Get-CsTrustedApplicationPool -Identity ex1.contoso.com | Remove-CsTrustedApplicationPool -Force\n',
    },
    codes: ['KST001', 'PS001'],
    expect: [],
  },
  {
    name: 'another pipeline into Remove-CsTrustedApplicationPool is PS001, and nothing is removed',
    inputs: {
      't.xml': topology([{ fqdn: 'ex1.contoso.com', number: 4 }]),
      'p.umdialplans.json': SIP_EX1,
      's.ps1': 'Get-Content pools.txt | Remove-CsTrustedApplicationPool\n',
    },
    codes: ['PS001'],
    expect: [['PS001', 's.ps1', 'Remove-CsTrustedApplicationPool']],
  },
  // 9. A pool is its cluster: two sites, one FQDN.
  {
    name: 'two clusters with one FQDN in two sites: TOP001, and each keeps its own applications (no TAP001, TAP002)',
    inputs: { 't.xml': twoSites() },
    codes: ['TOP001', 'TAP001', 'TAP002'],
    expect: [['TOP001', 't.xml', 'app1.contoso.com']],
  },
];

/** Two sites, each with a trusted pool app1.contoso.com running the same application on the same port. */
function twoSites(): string {
  const a = trustedPool({ fqdn: 'app1.contoso.com', number: 4, apps: [{ id: 'recorder', port: 6000 }] });
  const b = trustedPool({ fqdn: 'app1.contoso.com', number: 5, apps: [{ id: 'recorder', port: 6000 }] });
  const siteTwo = (x: string) =>
    x
      .replace(/SiteId="1" Number="5"/g, 'SiteId="2" Number="5"')
      .replace('SiteId="1" RoleName="ExternalServer" Instance="5"', 'SiteId="2" RoleName="ExternalServer" Instance="5"');
  return topology([], { clusters: a.cluster + siteTwo(b.cluster), services: a.service + siteTwo(b.service) });
}

describe('scripts as PowerShell runs them', () => {
  for (const row of rows) {
    test(row.name, () => {
      const a = run(row.inputs);
      const got = a.findings
        .filter((f) => row.codes.includes(f.code))
        .map((f) => [f.code, f.span.file.path, f.span.file.text.slice(f.span.start, f.span.end)]);
      assert.deepEqual(got.sort(), [...row.expect].sort());
    });
  }
});

describe('what PS001 and the KST view say matches what the simulation did', () => {
  test('GEMS: PS001 names the effect, and the KST view shows the pool without its computers', () => {
    const a = run({
      't.xml': FE,
      's.ps1':
        '$first = $servers | Select-Object -First 1\nNew-CsTrustedApplicationPool -Identity gems.contoso.com -Registrar ' +
        'pool01.contoso.com -ComputerFqdn $first\n',
    });
    assert.match(
      a.findings.find((f) => f.code === 'PS001')!.message,
      /the pool this New-CsTrustedApplicationPool creates is simulated without its computers/,
    );
    assert.match(
      kstReport(a, false),
      /gems\.contoso\.com .*created by New-CsTrustedApplicationPool in a script \(its computers are not known: \$first/,
    );
  });

  test('an unknown Identity: PS001 says the cmdlet is left out, and it is', () => {
    const a = run({
      'p.umdialplans.json': SIP_EX1,
      's.ps1': '$x = Read-Host\nNew-CsTrustedApplicationPool -Identity $x -Registrar pool01.contoso.com\n',
    });
    assert.match(a.findings.find((f) => f.code === 'PS001')!.message, /it is left out of the simulated KST/);
    assert.deepEqual(
      a.kst.entries.filter((e) => e.origin.kind === 'script'),
      [],
    );
  });

  test('-WhatIf: PS003 says it changes nothing, and nothing changes', () => {
    const a = run({
      'p.umdialplans.json': SIP_EX1,
      's.ps1': 'New-CsTrustedApplicationPool -Identity ex1.contoso.com -Registrar pool01.contoso.com -WhatIf\n',
    });
    assert.match(a.findings.find((f) => f.code === 'PS003')!.message, /changes nothing/);
    assert.equal(a.kst.entries.filter((e) => e.origin.kind === 'script').length, 0);
  });
});

describe('versions of pools made by scripts', () => {
  test('a Registrar in no topology of the workspace takes the assumed version, marked assumed, even beside an SfB 2019 export', () => {
    const sfb2019 = topology([], { version: '8' })
      .replace(/pool01/g, 'sfb19')
      .replace(/fe0/g, 'sfbfe0');
    const a = run(
      {
        'sfb.xml': sfb2019,
        'p.umdialplans.json': SIP_EX1,
        's.ps1': 'New-CsTrustedApplicationPool -Identity ex1.contoso.com -Registrar lync2010pool.contoso.com\n',
      },
      { assumedVersion: 5 },
    );
    const entry = a.kst.entries.find((e) => e.origin.kind === 'script')!;
    assert.deepEqual([entry.version, entry.versionAssumed], [5, true]);
    assert.match(
      a.findings.find((f) => f.code === 'KST001' && f.span.file.path === 's.ps1')!.message,
      /version 5 \(Lync Server 2010\) \(assumed: its Registrar lync2010pool\.contoso\.com is in no topology of the workspace\)/,
    );
  });

  test("a Registrar in a topology gives that pool's version", () => {
    const a = run({
      't.xml': topology([], { version: '7' }),
      'p.umdialplans.json': SIP_EX1,
      's.ps1': 'New-CsTrustedApplicationPool -Identity ex1.contoso.com -Registrar Registrar:pool01.contoso.com\n',
    });
    const entry = a.kst.entries.find((e) => e.origin.kind === 'script')!;
    assert.deepEqual([entry.version, entry.versionAssumed], [7, false]);
  });

  test("Set-CsTrustedApplicationPool -Registrar rehomes the pool: it takes the new Registrar's version", () => {
    const t = topology([], { version: '7' });
    const a = run({
      't.xml': t,
      's.ps1':
        'New-CsTrustedApplicationPool -Identity app1.contoso.com -Registrar nowhere.contoso.com\nSet-CsTrustedApplicationPool -Identity ' +
        'app1.contoso.com -Registrar pool01.contoso.com\n',
    });
    const entry = a.kst.entries.find((e) => e.origin.kind === 'script')!;
    assert.deepEqual([entry.version, entry.versionAssumed], [7, false]);
  });
});

describe('Option 1 removes every cmdlet that acts on the pool', () => {
  test('New-, Set- and Remove- cmdlets of the pool go; the rest of the script stays', () => {
    const script = [
      'New-CsTrustedApplicationPool -Identity ex1.contoso.com -Registrar pool01.contoso.com',
      'Set-CsTrustedApplicationPool -Identity ex1.contoso.com -RequiresReplication $false',
      'New-CsTrustedApplication -ApplicationId OutlookWebApp -TrustedApplicationPoolFqdn ex1.contoso.com -Port 5199',
      'Set-CsTrustedApplication -Identity ex1.contoso.com/urn:application:outlookwebapp -Port 5200',
      'New-CsTrustedApplicationPool -Identity other.contoso.com -Registrar pool01.contoso.com',
      'Enable-CsTopology',
      '',
    ].join('\n');
    const input = files({ 't.xml': FE, 'p.umdialplans.json': SIP_EX1, 's.ps1': script });
    const plan = planFixes(input, {});
    const fixed = plan.files.get(input[2])!;
    assert.deepEqual(
      fixed.text.split('\n').filter((l) => !l.startsWith('#')),
      ['New-CsTrustedApplicationPool -Identity other.contoso.com -Registrar pool01.contoso.com', 'Enable-CsTopology', ''],
    );
    assert.deepEqual(codes(plan.after, 'KST001'), []);
    const back = planFixes(
      plan.after.inputs.map((i) =>
        i.file.path === 'p.umdialplans.json' ? i.file.withText(SIP_EX1.replace('SipName', 'TelExtn')) : i.file,
      ),
      {},
    );
    assert.equal(back.files.get(plan.after.inputs[2].file)?.text, script, 'and the restore puts each back where it was');
  });
});

describe('the cmdlet table is the documented parameter lists', () => {
  // Skype for Business Server cmdlet reference, as issue 9 lists it.
  const documented: Record<string, string> = {
    'New-CsTrustedApplicationPool':
      'Identity Registrar Site ComputerFqdn OutboundOnly RequiresReplication ThrottleAsServer TreatAsAuthenticated AudioPortStart ' +
      'AudioPortCount VideoPortStart VideoPortCount AppSharingPortStart AppSharingPortCount Force WhatIf Confirm',
    'Set-CsTrustedApplicationPool':
      'Identity Registrar OutboundOnly RequiresReplication ThrottleAsServer TreatAsAuthenticated AudioPortStart AudioPortCount ' +
      'VideoPortStart VideoPortCount AppSharingPortStart AppSharingPortCount Force WhatIf Confirm',
    'New-CsTrustedApplication':
      'Identity ApplicationId TrustedApplicationPoolFqdn Port EnableTcp LegacyApplicationName Force WhatIf Confirm',
    'Set-CsTrustedApplication': 'Identity Port Force WhatIf Confirm',
    'New-CsTrustedApplicationComputer': 'Identity Pool Force WhatIf Confirm',
    'Remove-CsTrustedApplicationPool': 'Identity Force WhatIf Confirm',
    'Remove-CsTrustedApplication': 'Identity Force WhatIf Confirm',
    'Remove-CsTrustedApplicationComputer': 'Identity Force WhatIf Confirm',
  };
  for (const [name, list] of Object.entries(documented)) {
    test(name, () => {
      const spec = CMDLETS.get(name as never)!;
      assert.deepEqual(spec.parameters.map((p) => p.name).sort(), list.split(' ').sort());
      assert.deepEqual(
        spec.parameters.filter((p) => p.position !== undefined).map((p) => [p.name, p.position]),
        [['Identity', 0]],
      );
    });
  }
  test('the common parameters and their aliases', () => {
    assert.deepEqual(
      COMMON.map((p) => [p.name, ...(p.aliases ?? [])].join('/')),
      [
        'Verbose/vb',
        'Debug/db',
        'ErrorAction/ea',
        'ErrorVariable/ev',
        'WarningAction/wa',
        'WarningVariable/wv',
        'InformationAction/infa',
        'InformationVariable/iv',
        'OutVariable/ov',
        'OutBuffer/ob',
        'PipelineVariable/pv',
      ],
    );
    const whatIf = CMDLETS.get('New-CsTrustedApplicationPool')!.parameters.filter((p) => p.name === 'WhatIf' || p.name === 'Confirm');
    assert.deepEqual(
      whatIf.map((p) => p.aliases),
      [['wi'], ['cf']],
    );
  });
});
