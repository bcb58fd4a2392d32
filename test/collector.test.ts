/**
 * The collector script an admin runs on a Front End: lync-kst's own script reader reads it
 * without a finding, and every cmdlet and parameter it uses is a row of the cmdlet table.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { cmdletNamed } from '../server/src/readers/scripts/cmdlets';
import { isInput } from '../server/src/readers/registry';
import { ROOT, run } from './helpers';

const SCRIPT = readFileSync(path.join(ROOT, 'scripts', 'collect', 'Export-LyncKstWorkspace.ps1'), 'utf8');
const code = SCRIPT.replace(/<#[\s\S]*?#>/g, '').replace(/#.*$/gm, '');
const COMMAND = /(?<![\w$.'-])([A-Z][a-z]+-[A-Z][A-Za-z]+)(?![\w-])/g;

test('the collector is read without a finding, each command recognised and bound', () => {
  const a = run({ 'Export-LyncKstWorkspace.ps1': SCRIPT });
  assert.deepEqual(
    a.findings.map((f) => `${f.code} ${f.message}`),
    [],
  );
  const used = [...code.matchAll(COMMAND)].map((m) => m[1]);
  assert.ok(used.length >= 20, `found only ${used.length} commands`);
  for (const name of new Set(used)) assert.ok(cmdletNamed(name), `${name} is not in the cmdlet table`);
  const script = a.inputs.filter(isInput)[0]?.contributes.scripts?.[0];
  assert.deepEqual(
    script?.commands.map((c) => c.name),
    used,
    'every command is read, in order',
  );
  assert.deepEqual(
    script?.commands.filter((c) => c.skipped).map((c) => c.name),
    [],
  );
});

test('it uses read-only cmdlets only, and the ones the README names', () => {
  const changing = [...new Set([...code.matchAll(COMMAND)].map((m) => m[1]))].filter((n) => !cmdletNamed(n)?.query);
  assert.deepEqual(changing, []);
  for (const needed of ['Get-CsTopology', 'Get-CsTrustedApplicationPool', 'Get-CsTrustedApplication', 'Get-CsTrustedApplicationComputer'])
    assert.match(code, new RegExp(`${needed} \\| (Out-File|Export-Clixml)|${needed} -AsXml \\| Out-File`));
  assert.match(code, /Id = 14492, 14493, 14495, 14563, 44024, 44030/);
  assert.match(code, /Get-UMDialPlan \| Export-Clixml/);
});

test('a parameter the cmdlet does not have is a finding (the check above can fail)', () => {
  const broken = SCRIPT.replace(
    "Export-Clixml -Path (Join-Path -Path $Path -ChildPath 'trusted-pools.xml')",
    "Export-Clixml -Pathh 'x.xml'",
  );
  assert.notEqual(broken, SCRIPT);
  const a = run({ 'broken.ps1': broken });
  assert.deepEqual(
    a.findings.map((f) => [f.code, f.span.file.text.slice(f.span.start, f.span.end)]),
    [['PS002', 'Pathh']],
  );
});
