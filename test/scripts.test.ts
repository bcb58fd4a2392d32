import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { Script, ScriptValue } from '../server/src/readers/scripts/model';
import { parseScript } from '../server/src/readers/scripts/parse';
import { SourceFile, Span } from '../server/src/text/source';

const SAMPLE = readFileSync(path.resolve(__dirname, '..', '..', '..', 'examples', 'contoso', 'new-owa-trusted-app.ps1'), 'utf8');

const read = (text: string) => parseScript(new SourceFile('x.ps1', text));
const at = (s: Span | undefined) => (s ? s.file.text.slice(s.start, s.end) : undefined);
const without = (s: Span) => s.file.text.slice(0, s.start) + s.file.text.slice(s.end);

/** One line per command: `Cmdlet key=value key=?unresolved switch`. */
function shown(script: Script): string[] {
  const value = (v: ScriptValue) => (v.value !== undefined ? v.value : `?${v.unresolved}`);
  return script.commands.map((c) => [c.name, ...[...c.parameters].map(([k, p]) => (p.value ? `${k}=${value(p.value)}` : k))].join(' '));
}

/** The value of parameter `key` of command `index`. */
function arg(script: Script, key: string, index = 0): ScriptValue {
  const v = script.commands[index]?.parameters.get(key)?.value;
  assert.ok(v, `command ${index} has no value for -${key}: ${shown(script).join(' | ')}`);
  return v;
}

describe('the OWA sample script', () => {
  const script = read(SAMPLE);
  const file = script.commands[0]?.nameSpan.file;

  test('yields the pool and the application, and nothing from the commented-out undo lines', () => {
    assert.deepEqual(shown(script), [
      'New-CsTrustedApplicationPool identity=ex1.contoso.com registrar=pool01.contoso.com site=Contoso-HQ requiresreplication=$false ' +
        'throttleasserver=$true treatasauthenticated=$true computerfqdn=ex1.contoso.com',
      'New-CsTrustedApplication applicationid=OutlookWebApp trustedapplicationpoolfqdn=ex1.contoso.com port=5199',
    ]);
    assert.deepEqual(
      script.commands.filter((c) => c.skipped),
      [],
    );
  });

  test('values resolved from param() defaults point at the variable and at the default literal', () => {
    const identity = arg(script, 'identity');
    assert.equal(at(identity.span), '$ExchangeFqdn');
    assert.equal(at(identity.literal), 'ex1.contoso.com');
    assert.equal(file?.lines.positionAt(identity.literal!.start).line, 10, 'the default in the param block (line 11)');
    const port = arg(script, 'port', 1);
    assert.equal(at(port.literal), '5199');
    assert.equal(file?.lines.positionAt(port.literal!.start).line, 13);
    assert.equal(at(arg(script, 'computerfqdn').literal), 'ex1.contoso.com');
  });

  test('direct literals are their own literal; names keep their spelling and span', () => {
    const app = arg(script, 'applicationid', 1);
    assert.deepEqual([at(app.span), at(app.literal)], ['OutlookWebApp', 'OutlookWebApp']);
    const rr = arg(script, 'requiresreplication');
    assert.deepEqual([rr.value, at(rr.span), at(rr.literal)], ['$false', '$false', '$false']);
    const p = script.commands[0].parameters.get('requiresreplication')!;
    assert.deepEqual([p.name, at(p.nameSpan)], ['RequiresReplication', 'RequiresReplication']);
    assert.equal(at(script.commands[1].nameSpan), 'New-CsTrustedApplication');
  });

  test('deleting the statements removes exactly their lines, continuation lines included', () => {
    const [pool, app] = script.commands;
    assert.equal(
      at(pool.statement),
      [
        'New-CsTrustedApplicationPool -Identity $ExchangeFqdn -Registrar $RegistrarPool -Site $SiteId `',
        '    -RequiresReplication $false -ThrottleAsServer $true -TreatAsAuthenticated $true `',
        '    -ComputerFqdn $ExchangeFqdn',
        '',
      ].join('\n'),
    );
    const lines = SAMPLE.split('\n');
    const first = lines.findIndex((l) => l.startsWith('New-CsTrustedApplicationPool'));
    const expected = [...lines.slice(0, first), ...lines.slice(first + 3)].join('\n');
    assert.equal(without(pool.statement), expected);
    assert.equal(
      at(app.statement),
      'New-CsTrustedApplication -ApplicationId OutlookWebApp -TrustedApplicationPoolFqdn $ExchangeFqdn -Port $Port\n',
    );
  });
});

describe('which commands are recognised', () => {
  const cases: { name: string; script: string; expect: string[] }[] = [
    { name: 'line comment', script: '# New-CsTrustedApplicationPool -Identity a.b\nGet-CsSite', expect: [] },
    { name: 'comment after code', script: 'Get-CsSite # ; New-CsTrustedApplicationPool -Identity a.b', expect: [] },
    {
      name: 'block comment',
      script: '<#\nNew-CsTrustedApplicationPool -Identity a.b\n#>\nRemove-CsTrustedApplicationPool c.d',
      expect: ['Remove-CsTrustedApplicationPool identity=c.d'],
    },
    {
      name: 'unterminated block comment',
      script: '<# New-CsTrustedApplicationPool\nNew-CsTrustedApplicationPool -Identity a.b',
      expect: [],
    },
    { name: 'single-quoted string', script: "Write-Host 'x; New-CsTrustedApplicationPool -Identity a.b'", expect: [] },
    {
      name: 'double-quoted string with escaped quotes',
      script: 'Write-Host "say ""x""; New-CsTrustedApplicationPool -Identity a.b `"; "',
      expect: [],
    },
    {
      name: 'string with subexpression containing a quoted string',
      script: 'Write-Host "$(Get-X ")"); New-CsTrustedApplicationPool -Identity a.b"',
      expect: [],
    },
    {
      name: "here-string @' '@",
      script: "$s = @'\nNew-CsTrustedApplicationPool -Identity a.b\n'@\nNew-CsTrustedApplication -Identity p/app -Port 1",
      expect: ['New-CsTrustedApplication identity=p/app port=1'],
    },
    { name: 'here-string @" "@ with a quote inside', script: '$s = @"\n" ; New-CsTrustedApplicationPool -Identity a.b\n"@', expect: [] },
    {
      name: 'argument of another command',
      script: 'Get-Help New-CsTrustedApplicationPool -Full\nGet-Command -Name New-CsTrustedApplication',
      expect: ['Get-Command name=New-CsTrustedApplication'],
    },
    {
      name: 'case-insensitive cmdlet and parameter names',
      script: 'new-cstrustedapplicationPOOL -IDENTITY a.b -registrar P.c',
      expect: ['New-CsTrustedApplicationPool identity=a.b registrar=P.c'],
    },
    {
      name: '-Name:value',
      script: "New-CsTrustedApplication -Identity:p.c/app -Port:5199 -EnableTcp:$true -LegacyApplicationName:'x y'",
      expect: ['New-CsTrustedApplication identity=p.c/app port=5199 enabletcp=$true legacyapplicationname=x y'],
    },
    {
      name: 'switches before another parameter and at the end',
      script: 'New-CsTrustedApplication -EnableTcp -Identity p/app -Port 1 -Force\nNew-CsTrustedApplication -Identity q/app -EnableTcp',
      expect: ['New-CsTrustedApplication enabletcp identity=p/app port=1 force', 'New-CsTrustedApplication identity=q/app enabletcp'],
    },
    {
      name: 'backtick continuation, trailing spaces after the backtick',
      script: 'New-CsTrustedApplicationComputer `  \n  -Identity c.d `\n  -Pool p.d\n-Pool x',
      expect: ['New-CsTrustedApplicationComputer identity=c.d pool=p.d'],
    },
    {
      name: 'a backtick inside a line is no continuation',
      script: 'New-CsTrustedApplicationPool -Identity a`.b\n-Registrar x',
      expect: ['New-CsTrustedApplicationPool identity=a.b'],
    },
    {
      name: 'after ; | { ( & . and =',
      script:
        'Get-X; New-CsTrustedApplicationPool a\nGet-X | Remove-CsTrustedApplicationPool b\n{ New-CsTrustedApplicationComputer -Identity ' +
        'c }\n[void](Remove-CsTrustedApplication d/e)\n& New-CsTrustedApplication f/g\n. New-CsTrustedApplication h/i\n$p = ' +
        'New-CsTrustedApplicationPool j',
      expect: [
        'New-CsTrustedApplicationPool identity=a',
        'Remove-CsTrustedApplicationPool identity=b',
        'New-CsTrustedApplicationComputer identity=c',
        'Remove-CsTrustedApplication identity=d/e',
        'New-CsTrustedApplication identity=f/g',
        'New-CsTrustedApplication identity=h/i',
        'New-CsTrustedApplicationPool identity=j',
      ],
    },
    {
      name: 'inside foreach and if blocks',
      script: "foreach ($s in 'a','b') {\n    if ($s) {\n        Remove-CsTrustedApplicationPool -Identity x.y -Confirm:$false\n    }\n}",
      expect: ['Remove-CsTrustedApplicationPool identity=x.y confirm=$false'],
    },
    {
      name: 'Remove-CsTrustedApplication with a quoted pool/app identity',
      script: 'Remove-CsTrustedApplication -Identity "pool.fqdn/urn:application:id"',
      expect: ['Remove-CsTrustedApplication identity=pool.fqdn/urn:application:id'],
    },
    {
      name: 'positional identity',
      script: 'Remove-CsTrustedApplicationPool ex1.contoso.com -Force',
      expect: ['Remove-CsTrustedApplicationPool force identity=ex1.contoso.com'],
    },
    {
      name: 'pipeline output and redirection are not parameters',
      script: 'New-CsTrustedApplicationPool -Identity a.b 2>&1 >> log.txt | Out-Null',
      expect: ['New-CsTrustedApplicationPool identity=a.b', 'Out-Null'],
    },
    {
      name: 'typographic dash and quotes copied from a web page',
      script: 'New-CsTrustedApplicationPool \u2013Identity \u201cex1.contoso.com\u201d \u2013Registrar \u2018pool01.contoso.com\u2019',
      expect: ['New-CsTrustedApplicationPool identity=ex1.contoso.com registrar=pool01.contoso.com'],
    },
    {
      name: 'module-qualified name',
      script: 'Lync\\New-CsTrustedApplicationPool -Identity a.b',
      expect: ['New-CsTrustedApplicationPool identity=a.b'],
    },
    {
      name: 'lone CR line endings',
      script: '# New-CsTrustedApplicationPool x\rNew-CsTrustedApplicationPool -Identity a.b\rRemove-CsTrustedApplicationPool c.d',
      expect: ['New-CsTrustedApplicationPool identity=a.b', 'Remove-CsTrustedApplicationPool identity=c.d'],
    },
    {
      name: 'after stray closing brackets',
      script: ')\n}\n]\nNew-CsTrustedApplicationPool -Identity a.b',
      expect: ['New-CsTrustedApplicationPool identity=a.b'],
    },
    {
      name: 'unterminated string',
      script: "New-CsTrustedApplicationPool -Identity 'ex1.contoso.com",
      expect: ['New-CsTrustedApplicationPool identity=ex1.contoso.com'],
    },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(shown(read(c.script)), c.expect));
});

describe('values', () => {
  const use = (s: string) => `${s}\nNew-CsTrustedApplicationPool -Identity $Fqdn`;
  const cases: { name: string; script: string; value?: string; literal?: string; unresolved?: string }[] = [
    {
      name: 'param default with a type',
      script: use("param(\n  [string] $Fqdn = 'ex1.contoso.com',\n  [int] $Port = 5199\n)"),
      value: 'ex1.contoso.com',
      literal: 'ex1.contoso.com',
    },
    {
      name: 'param default without a type, one line',
      script: use('param($Other, $Fqdn = "ex1.contoso.com")'),
      value: 'ex1.contoso.com',
      literal: 'ex1.contoso.com',
    },
    { name: 'param without a default', script: use('param([Parameter(Mandatory=$true)][string]$Fqdn)'), unresolved: '$Fqdn' },
    {
      name: 'plain assignment, name in another case',
      script: use("$FQDN='ex1.contoso.com'"),
      value: 'ex1.contoso.com',
      literal: 'ex1.contoso.com',
    },
    { name: 'number', script: 'param([int]$Port = 5199)\nRemove-CsTrustedApplicationPool -Identity $Port', value: '5199', literal: '5199' },
    { name: '${name}', script: "${fqdn} = 'a.b'\nNew-CsTrustedApplicationPool -Identity ${Fqdn}", value: 'a.b', literal: 'a.b' },
    { name: 'script scope prefix', script: use("$script:Fqdn = 'a.b'"), value: 'a.b', literal: 'a.b' },
    { name: 'assigned from another literal variable', script: use("$a = 'a.b'; $Fqdn = $a"), value: 'a.b', literal: 'a.b' },
    { name: 'here-string', script: use("$Fqdn = @'\na.b\n'@"), value: 'a.b', literal: 'a.b' },
    { name: 'latest assignment is a command', script: use("$Fqdn = 'a.b'\n$Fqdn = Read-Host 'Pool'"), unresolved: '$Fqdn' },
    { name: 'latest assignment joins known parts with +', script: use("$a = 'x'; $b = 'y'\n$Fqdn = $a + '.' + $b"), value: 'x.y' },
    { name: 'latest assignment is another expression', script: use("$a = 'x'; $b = 'y'\n$Fqdn = $a - $b"), unresolved: '$Fqdn' },
    { name: 'a bare word is a command call, not a literal', script: use('$Fqdn = a.b'), unresolved: '$Fqdn' },
    { name: 'method call on a literal', script: use("$Fqdn = 'A.B'.ToLower()"), unresolved: '$Fqdn' },
    { name: 'foreach loop variable', script: use("$Fqdn = 'a.b'\nforeach ($fqdn in $list) { }"), unresolved: '$Fqdn' },
    { name: '+= update', script: use("$Fqdn = 'a'\n$Fqdn += '.b'"), unresolved: '$Fqdn' },
    { name: 'never assigned', script: use(''), unresolved: '$Fqdn' },
    { name: 'assigned only after the use', script: "New-CsTrustedApplicationPool -Identity $Fqdn\n$Fqdn = 'a.b'", unresolved: '$Fqdn' },
    { name: 'environment variable', script: 'New-CsTrustedApplicationPool -Identity $env:COMPUTERNAME', unresolved: '$env:COMPUTERNAME' },
    { name: 'subexpression', script: 'New-CsTrustedApplicationPool -Identity $(Get-Fqdn)', unresolved: '$(Get-Fqdn)' },
    {
      name: 'parenthesised command',
      script: 'New-CsTrustedApplicationPool -Identity (Get-CsPool x).Fqdn',
      unresolved: '(Get-CsPool x).Fqdn',
    },
    { name: 'member access', script: "$Fqdn = 'a.b'\nNew-CsTrustedApplicationPool -Identity $Fqdn.Length", unresolved: '$Fqdn.Length' },
    {
      name: 'double-quoted expansion from two places has no literal',
      script: '$Fqdn = \'p.c\'\nRemove-CsTrustedApplication -Identity "$Fqdn/urn:application:owa"',
      value: 'p.c/urn:application:owa',
    },
    {
      name: 'expansion in an unquoted argument',
      script: "$Fqdn = 'p.c'\nRemove-CsTrustedApplication -Identity $Fqdn/urn:application:owa",
      value: 'p.c/urn:application:owa',
    },
    {
      name: 'a string that is just one variable keeps its literal',
      script: use('$a = \'a.b\'\n$Fqdn = "$a"'),
      value: 'a.b',
      literal: 'a.b',
    },
    { name: 'expansion of an unresolved variable', script: use('$Fqdn = "$h.contoso.com"'), unresolved: '$Fqdn' },
    {
      name: 'subexpression inside a string',
      script: 'New-CsTrustedApplicationPool -Identity "$(hostname).contoso.com"',
      unresolved: '$(hostname)',
    },
    { name: 'escapes: doubled single quote', script: "New-CsTrustedApplicationPool -Identity 'it''s'", value: "it's", literal: "it''s" },
    {
      name: 'escapes: backtick in double quotes',
      script: 'New-CsTrustedApplicationPool -Identity "a`$b`"c"',
      value: 'a$b"c',
      literal: 'a`$b`"c',
    },
    { name: '$TRUE written in capitals', script: 'New-CsTrustedApplicationPool -Identity $TRUE', value: '$true', literal: '$TRUE' },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const v = arg(read(c.script), 'identity');
      assert.deepEqual(
        { value: v.value, literal: at(v.literal), unresolved: v.unresolved },
        { value: c.value, literal: c.literal, unresolved: c.unresolved },
      );
    });
  }

  test('the last literal assignment before each use wins', () => {
    const s = read("$f = 'a.b'\nRemove-CsTrustedApplicationPool $f\n$f = 'c.d'\nRemove-CsTrustedApplicationPool $f");
    assert.deepEqual(shown(s), ['Remove-CsTrustedApplicationPool identity=a.b', 'Remove-CsTrustedApplicationPool identity=c.d']);
    assert.equal(s.file.text.slice(0, arg(s, 'identity', 1).literal!.start).split('\n').length, 3, 'the second literal is on line 3');
  });

  test('a quoted value spans the text between the quotes', () => {
    const v = arg(read('New-CsTrustedApplicationPool -Identity "ex1.contoso.com"'), 'identity');
    assert.deepEqual([at(v.span), at(v.literal)], ['ex1.contoso.com', 'ex1.contoso.com']);
  });
});

describe('unresolved values', () => {
  test('a variable inside a string is unknown at the variable, not the string', () => {
    const v = arg(read('Remove-CsTrustedApplication -Identity "$Pool/urn:application:x"'), 'identity');
    assert.deepEqual([v.value, v.unresolved, at(v.unresolvedAt)], [undefined, '$Pool', '$Pool']);
  });
});

describe('statement spans', () => {
  const cases: { name: string; script: string; statement: string; after: string }[] = [
    {
      name: 'own line between others',
      script: 'Get-X\n  New-CsTrustedApplicationPool -Identity a.b\nEnable-CsTopology\n',
      statement: '  New-CsTrustedApplicationPool -Identity a.b\n',
      after: 'Get-X\nEnable-CsTopology\n',
    },
    {
      name: 'CRLF continuation lines',
      script: 'Get-X\r\nNew-CsTrustedApplicationPool `\r\n  -Identity a.b\r\nEnable-CsTopology',
      statement: 'New-CsTrustedApplicationPool `\r\n  -Identity a.b\r\n',
      after: 'Get-X\r\nEnable-CsTopology',
    },
    {
      name: 'last line without a line break',
      script: 'Get-X\nNew-CsTrustedApplicationPool a.b',
      statement: 'New-CsTrustedApplicationPool a.b',
      after: 'Get-X\n',
    },
    {
      name: 'trailing comment and semicolon go with the line',
      script: 'Get-X\nNew-CsTrustedApplicationPool a.b;  # create\nGet-Y',
      statement: 'New-CsTrustedApplicationPool a.b;  # create\n',
      after: 'Get-X\nGet-Y',
    },
    {
      name: 'sharing a line after ;',
      script: 'Get-X; New-CsTrustedApplicationPool -Identity a.b\nGet-Y',
      statement: 'New-CsTrustedApplicationPool -Identity a.b',
      after: 'Get-X; \nGet-Y',
    },
    {
      name: 'sharing a line before ;',
      script: 'New-CsTrustedApplicationPool -Identity a.b; Get-X',
      statement: 'New-CsTrustedApplicationPool -Identity a.b',
      after: '; Get-X',
    },
    {
      name: 'inside braces on one line',
      script: 'if ($x) { New-CsTrustedApplicationPool a.b }',
      statement: 'New-CsTrustedApplicationPool a.b',
      after: 'if ($x) {  }',
    },
    {
      name: 'inside a multi-line foreach block',
      script: 'foreach ($s in $l) {\n    New-CsTrustedApplicationPool $s\n}\n',
      statement: '    New-CsTrustedApplicationPool $s\n',
      after: 'foreach ($s in $l) {\n}\n',
    },
    {
      name: 'whole pipeline and assignment',
      script: 'Get-X\n$p = New-CsTrustedApplicationPool a.b |\n  Out-Null\nGet-Y',
      statement: '$p = New-CsTrustedApplicationPool a.b |\n  Out-Null\n',
      after: 'Get-X\nGet-Y',
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      // The trusted-application cmdlet's statement; a read-only one after it in the pipeline (Out-Null) shares it.
      const s = read(c.script);
      const changing = s.commands.filter((x) => !x.spec.query);
      assert.equal(changing.length, 1);
      assert.equal(at(changing[0].statement), c.statement);
      assert.equal(without(changing[0].statement), c.after);
    });
  }

  test('CRLF: positions of names and values count each CRLF as one line break', () => {
    const s = read('# one\r\n# two\r\n\tNew-CsTrustedApplicationPool -Identity a.b\r\n');
    const lines = s.file.lines;
    assert.deepEqual(lines.positionAt(s.commands[0].nameSpan.start), { line: 2, character: 1 });
    assert.deepEqual(lines.positionAt(arg(s, 'identity').span.start), { line: 2, character: 40 });
    assert.equal(at(arg(s, 'identity').span), 'a.b');
  });
});

describe('robustness', () => {
  // Deterministic pseudo-random text, so a failure can be reproduced.
  function random(seed: number, length: number, alphabet?: string): string {
    let x = seed;
    const out: string[] = [];
    for (let i = 0; i < length; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      out.push(alphabet ? alphabet[x % alphabet.length] : String.fromCharCode(x >>> 16));
    }
    return out.join('');
  }
  const PS = '()[]{}$@"\'`#<>|&;,=-:. \n\r\t\u2013\u201c\u2019aN0';
  const inputs: [string, string][] = [
    ['empty', ''],
    ['random UTF-16 code units', random(1, 20_000)],
    ['1 MB of PowerShell punctuation', random(2, 1_000_000, PS)],
    ['random punctuation around commands', random(3, 50_000, PS).split('N').join('New-CsTrustedApplicationPool -Identity ')],
    ['unterminated strings and here-strings', `New-CsTrustedApplicationPool -Identity "$(x '\n@'\nx\n@"\n$( \${ <# `],
    ['unmatched brackets', '((({{{[[[ New-CsTrustedApplicationPool -Identity $( @( @{ ]]]}}})))))))'],
  ];
  for (const [name, text] of inputs) {
    test(`${name}: no exception, every span inside the text`, () => {
      const s = read(text);
      const spans: Span[] = [];
      for (const c of s.commands) {
        spans.push(c.nameSpan, c.statement);
        for (const p of c.parameters.values())
          spans.push(p.nameSpan, ...(p.value ? [p.value.span, ...(p.value.literal ? [p.value.literal] : [])] : []));
      }
      for (const sp of spans) assert.ok(sp.start >= 0 && sp.start <= sp.end && sp.end <= text.length, `${sp.start}..${sp.end}`);
    });
  }

  // Speed is the benchmark's business; here only that large and pathological input is read whole.
  test('5 MB of script and 1 MB of pathological nesting are read without failing', () => {
    const big = SAMPLE.repeat(Math.ceil(5_000_000 / SAMPLE.length));
    assert.equal(read(big).commands.length, 2 * Math.ceil(5_000_000 / SAMPLE.length));
    for (const unit of [
      '"$(',
      '(',
      'New-CsTrustedApplication -Identity ${',
      'Get-X | New-CsTrustedApplication ',
      "@'\n$(",
      'New-CsTrustedApplication;',
    ]) {
      assert.ok(Array.isArray(read(unit.repeat(1_000_000 / unit.length)).commands), JSON.stringify(unit));
    }
  });
});
