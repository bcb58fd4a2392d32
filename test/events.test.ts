/**
 * Event-log exports as inputs: a table of workspaces with every finding marked, then the live
 * table, the hover, the report's live column, and properties over random timelines in every format.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { hoverInFile } from '../server/src/explain/hover';
import { isInput, readInput } from '../server/src/readers/registry';
import { kstReport } from '../server/src/simulate/report';
import { partOf, SourceFile } from '../server/src/text/source';
import { analyze } from '../server/src/workspace/analyze';
import { marked, seenAll } from './cases';
import { ev, eventClixml, Ev, exportCsv, FORMATS, savedXml, usTime, utf16, viewerCsv, viewerText, wevtutil } from './events';
import { clixml, pool } from './exports';
import { EXAMPLE, files, run, sample } from './helpers';
import { Rng } from './random';

const sip = (server: string) =>
  `{ "format": "kst-umdialplans", "dialPlans": [ { "name": "Contoso-SIP", "uriType": "SipName", "servers": [ "${server}" ] } ] }`;
const FE = 'fe01.contoso.com';
const T0 = '2026-11-30T06:00:04Z';
const T1 = '2026-11-30T06:00:09Z';
const T2 = '2026-11-30T06:00:10Z';
const T3 = '2026-11-30T07:15:00Z';

/** The start-tag of the n-th event of a wevtutil export, marked: where findings about a whole event go. */
function markEvent(text: string, codes: string, n = 0): string {
  let at = -1;
  for (let i = 0; i <= n; i++) at = text.indexOf('<Event xmlns', at + 1);
  const end = text.indexOf('>', at) + 1;
  return `${text.slice(0, at)}⟦${codes} ${text.slice(at, end)}⟧${text.slice(end)}`;
}

const rows: { name: string; files: Record<string, string> }[] = [
  {
    name: 'a logged 14563 the workspace explains: EVT003 at the server in the event, beside KST001',
    files: {
      'pools.xml': clixml([pool('⟦KST001 ex1.contoso.com⟧')]),
      'p.umdialplans.json': sip('⟦KST001 ex1.contoso.com⟧'),
      'fe01.xml': wevtutil([
        ev(14492, T0, FE, 'Known servers: ex1.contoso.com (version 6)'),
        ev(44024, T1, FE, 'Exchange servers hosting SipName dial plans: ex1.contoso.com (version 0)'),
        ev(14563, T1, FE, '⟦EVT003 ex1.contoso.com⟧', '6', '0'),
        ev(14495, T1, FE, 'ex1.contoso.com'),
      ]),
    },
  },
  {
    name: 'a logged 14563 the workspace does not explain (no dial plan in it)',
    files: {
      'pools.xml': clixml([pool('ex1.contoso.com')]),
      'fe01.xml': wevtutil([
        ev(14492, T0, FE, 'Known servers: ex1.contoso.com (version 6)'),
        ev(14563, T1, FE, '⟦EVT003 ex1.contoso.com⟧'),
      ]),
    },
  },
  {
    name: 'EVT005 for a server the Front End knows and no file has; EVT004 for one the workspace has and the start-up list lacks',
    files: {
      'pools.xml': clixml([pool('ex9.contoso.com')]),
      'fe01.xml': markEvent(wevtutil([ev(14492, T0, FE, 'Known servers: ⟦EVT005 pool01.contoso.com⟧ (version 6)')]), 'EVT004'),
    },
  },
  {
    name: 'EVT004 at the 14495 that removed a server the workspace still has',
    files: {
      'pools.xml': clixml([pool('ex9.contoso.com')]),
      'fe01.xml': wevtutil([
        ev(14492, T0, FE, 'Known servers: ex9.contoso.com (version 6)'),
        ev(14495, T1, FE, 'Removed ⟦EVT004 ex9.contoso.com⟧'),
      ]),
    },
  },
  {
    name: 'EVT001 quoting a 14563 whose text names no server',
    files: { 'fe01.xml': wevtutil([ev(14563, T1, FE, '⟦EVT001 Two versions of one server were found⟧')]) },
  },
  {
    name: 'EVT002 on a time that reads two ways (no AM/PM: March or April)',
    files: {
      'fe01.csv': exportCsv([ev(14493, T1, FE, 'Added ex1.contoso.com')]).replace(usTime(T1), '⟦EVT002 03/04/2026 06:00:09⟧'),
    },
  },
  {
    name: 'events of other IDs and sources are not read, and say nothing',
    files: {
      'fe01.xml': wevtutil([
        ev(32178, T0, FE, 'Some other event about pool01.contoso.com'),
        { ...ev(14563, T1, FE, 'ex1.contoso.com'), source: 'LS User Services' },
      ]),
    },
  },
  {
    name: 'a wevtutil export cut off: XML001 at the break, the events before it still read',
    files: {
      'fe01.xml': (() => {
        const full = wevtutil([ev(14492, T0, FE, 'Known servers: ⟦EVT005 pool01.contoso.com⟧'), ev(14563, T1, FE, 'ex1.contoso.com')]);
        return full.slice(0, full.lastIndexOf('<EventData>')) + '⟦XML001⟧';
      })(),
    },
  },
  {
    name: 'a CSV export cut off inside its quoted message: EVT002 where the record begins',
    files: {
      'fe01.csv': (() => {
        const full = exportCsv([ev(14492, T0, FE, 'Known servers: ⟦EVT005 pool01.contoso.com⟧'), ev(14563, T1, FE, 'ex1.contoso.com')]);
        const cut = full.lastIndexOf('"ex1.contoso.com');
        return `${full.slice(0, cut)}⟦EVT002 "⟧${full.slice(cut + 1, cut + 8)}`;
      })(),
    },
  },
];

describe('event-log exports: every finding of each workspace, at its place', () => {
  for (const row of rows) {
    test(row.name, () => {
      const { texts, expected } = marked(row.files);
      assert.deepEqual(seenAll(run(texts)), expected);
    });
  }
});

describe('the live table', () => {
  test('the contoso example: its event export shows the conflict as logged, with Option 1 as the fix', () => {
    const a = analyze(files({ ...exampleFiles() }));
    const evt = a.findings.filter((f) => f.code === 'EVT003');
    assert.equal(evt.length, 1);
    assert.match(evt[0].message, /fe01\.contoso\.com logged 14563 for ex1\.contoso\.com .*The workspace explains it/);
    assert.equal(evt[0].related.length, 3, 'both sides: the topology pool, the script pool, the dial plan');
    const kst001 = a.findings.find((f) => f.code === 'KST001');
    assert.ok(kst001 && evt[0].fixes.length === 1 && evt[0].fixes[0] === kst001.fixes[0], 'the same Option 1 as KST001');
  });

  test('Option 2 as logged: 14563, 44030, then 14493 adds the Exchange server again', () => {
    const a = run({
      'p.umdialplans.json': sip('ex1.contoso.com'),
      'pools.xml': clixml([pool('ex1.contoso.com')]),
      'fe01.xml': wevtutil([
        ev(14492, T0, FE, 'Known servers: ex1.contoso.com (version 6)'),
        ev(14563, T1, FE, 'ex1.contoso.com', '6', '0'),
        ev(44030, T2, FE, 'ex1.contoso.com'),
        ev(14493, T2, FE, 'Added ex1.contoso.com (version 0)'),
      ]),
    });
    const [fe] = a.live.frontEnds;
    assert.deepEqual([fe.table.get('ex1.contoso.com' as never)?.state, fe.table.get('ex1.contoso.com' as never)?.versions], ['known', [0]]);
    const evt = a.findings.find((f) => f.code === 'EVT003');
    assert.match(evt?.message ?? '', /a 14493 at .* added it again, as after an RTCSRV restart/);
    assert.match(
      kstReport(a, false),
      /fe01\.contoso\.com: known again after its 14563 \(11\/30\/2026 6:00:10 AM|fe01\.contoso\.com: known again after its 14563/,
    );
  });

  test('several Front Ends: one live state each, in the report and the hover', () => {
    const a = run({
      'p.umdialplans.json': sip('ex1.contoso.com'),
      'pools.xml': clixml([pool('ex1.contoso.com')]),
      'fe01.xml': wevtutil([ev(14492, T0, FE, 'Known servers: ex1.contoso.com (version 6)'), ev(14563, T1, FE, 'ex1.contoso.com')]),
      'fe02.csv': exportCsv([ev(14492, T3, 'fe02.contoso.com', 'Known servers: ex1.contoso.com (version 6)')]),
    });
    assert.deepEqual(
      a.live.frontEnds.map((fe) => [fe.name, fe.table.get('ex1.contoso.com' as never)?.state]),
      [
        ['fe01.contoso.com', 'dropped'],
        ['fe02.contoso.com', 'known'],
      ],
    );
    assert.equal(a.findings.filter((f) => f.code === 'EVT003').length, 1, 'only fe01 logged 14563');
    const report = kstReport(a, false);
    assert.match(report, /LIVE/);
    assert.match(report, /fe01\.contoso\.com: dropped.*; fe02\.contoso\.com: known, version 6 \(14492 at 11\/30\/2026 7:15:00 AM\)/);
    const dialPlan = a.inputs.find((i) => i.file.path === 'p.umdialplans.json');
    assert.ok(dialPlan);
    const hover = hoverInFile(a, dialPlan.file, dialPlan.file.text.indexOf('ex1.contoso.com') + 2, (k) => k);
    assert.match(hover?.markdown ?? '', /\*\*As logged\*\*[\s\S]*fe01\.contoso\.com: dropped[\s\S]*fe02\.contoso\.com: known/);
  });

  test('a hover on a server in the event export explains it, even when the workspace has no other file for it', () => {
    const a = run({ 'fe01.xml': wevtutil([ev(14492, T0, FE, 'Known servers: pool01.contoso.com (version 6)')]) });
    const f = a.inputs[0].file;
    const hover = hoverInFile(a, f, f.text.indexOf('pool01') + 1, (k) => k);
    assert.match(hover?.markdown ?? '', /not in the Known Servers Table[\s\S]*fe01\.contoso\.com: known, version 6/);
  });

  test("Event Viewer's CSV (newest first, no computer column) is one Front End named after its file, in logged order", () => {
    // The drop and the add after the restart in one second, logged in this order; the file lists them the other way round.
    const a = run({
      'viewer.csv': viewerCsv([
        ev(14492, T0, FE, 'Known servers: ex1.contoso.com (version 6)'),
        ev(14563, T1, FE, 'ex1.contoso.com'),
        ev(14493, T1, FE, 'Added ex1.contoso.com (version 0)'),
      ]),
    });
    assert.deepEqual(
      a.live.frontEnds.map((fe) => [fe.name, fe.table.get('ex1.contoso.com' as never)?.state]),
      [['the computer of viewer.csv', 'known']],
    );
  });

  test('"Copy details as text" with its Event Xml part: the data is read once, from the description', () => {
    const a = run({ 'copied.txt': viewerText([ev(14563, T1, FE, 'ex1.contoso.com and ex2.contoso.com')], true) });
    assert.deepEqual(
      a.live.frontEnds[0].conflicts.map((c) => c.server.fqdn),
      ['ex1.contoso.com', 'ex2.contoso.com'],
    );
  });

  test('UTF-16LE with a BOM, as Windows writes, in every format', () => {
    for (const [name, write] of Object.entries(FORMATS)) {
      const f = SourceFile.fromBytes(`fe01.${name}`, utf16(write([ev(14563, T1, FE, 'ex1.contoso.com', '6', '0')])));
      const input = readInput(f);
      assert.ok(isInput(input), `${name}: read as ${input.kind}`);
      const [event] = input.contributes.eventLogs?.[0]?.events ?? [];
      assert.deepEqual([event?.id, event?.servers.map((s) => s.fqdn)], [14563, ['ex1.contoso.com']], name);
    }
  });

  test('versions are read only where written next to a server, never guessed', () => {
    const a = run({
      'fe01.xml': wevtutil([
        ev(14492, T0, FE, 'Known servers: a.contoso.com (version 6), b.contoso.com, c.contoso.com v7, d.contoso.com (versions 5 and 6)'),
      ]),
    });
    const table = a.live.frontEnds[0].table;
    assert.deepEqual(
      ['a', 'b', 'c', 'd'].map((x) => table.get(`${x}.contoso.com` as never)?.versions),
      [[6], [], [7], [5, 6]],
    );
  });
});

describe('the readers, attacked', () => {
  /** A random timeline of up to 12 KST events on two Front Ends, over a few servers, one second apart. */
  function timeline(rng: Rng): Ev[] {
    const servers = ['ex1.contoso.com', 'ex2.contoso.com', 'pool01.contoso.com', 'sba.branch.contoso.com'];
    const ids = [14492, 14493, 14495, 14563, 44024, 44030];
    const out: Ev[] = [];
    const start = Date.parse(T0);
    for (let i = rng.int(1, 12); i > 0; i--) {
      const named = servers.filter(() => rng.chance(0.4));
      const text = named.map((s) => (rng.chance(0.5) ? `${s} (version ${rng.int(0, 8)})` : s)).join(', ') || 'no server named';
      out.push(
        ev(rng.pick(ids), new Date(start + out.length * 1000).toISOString().replace('.000', ''), rng.pick([FE, 'fe02.contoso.com']), text),
      );
    }
    return out;
  }

  test('property: one timeline written in every format gives the same live table and the same findings (300 seeded cases)', () => {
    const rng = new Rng(12563);
    const workspace = { 'pools.xml': clixml([pool('ex1.contoso.com')]), 'p.umdialplans.json': sip('ex1.contoso.com') };
    for (let n = 0; n < 300; n++) {
      const events = timeline(rng);
      const views = Object.entries(FORMATS).map(([name, write]) => {
        const a = run({ ...workspace, [`log.${name}`]: write(events) });
        const live = a.live.frontEnds.map(
          (fe) => `${fe.name}: ${[...fe.table.values()].map((e) => `${e.fqdn}=${e.state}/${e.versions}`).join(' ')}`,
        );
        const found = a.findings.map((f) => `${f.code} ${f.span.file.text.slice(f.span.start, f.span.end).slice(0, 40)}`).sort();
        return { name, view: JSON.stringify({ live, found }) };
      });
      for (const v of views.slice(1)) assert.equal(v.view, views[0].view, `case ${n}: ${v.name} against ${views[0].name}`);
    }
  });

  test('property: any cut of any format is read without a throw, findings inside the file, only events of the full export (seeded)', () => {
    const rng = new Rng(44030);
    for (let n = 0; n < 60; n++) {
      const events = timeline(rng);
      for (const [name, write] of Object.entries(FORMATS)) {
        const full = write(events);
        for (let k = 0; k < 6; k++) {
          const text = full.slice(0, rng.int(0, full.length));
          const a = analyze([SourceFile.fromBytes(`cut.${name}`, Buffer.from(text))]);
          for (const f of a.findings)
            assert.ok(f.span.start <= f.span.end && f.span.end <= text.length, `${name}: ${f.code} outside the file`);
          assert.ok(
            a.findings.every((f) => f.code !== 'INT001'),
            `${name} cut at ${text.length}: ${a.findings.map((f) => f.message).join('; ')}`,
          );
          const read = a.live.frontEnds.flatMap((fe) => [...fe.table.values()].map((e) => e.fqdn));
          const named = new Set(events.flatMap((e) => e.texts.join(' ').match(/[a-z0-9.]+\.contoso\.com/g) ?? []));
          assert.ok(
            read.every((f) => named.has(f)),
            `${name}: a server the export does not name`,
          );
        }
      }
    }
  });

  test('100,000 servers in one message are each read, once', () => {
    const names = Array.from({ length: 100_000 }, (_, i) => `s${i}.contoso.com`);
    // One message line, as the text layout holds it: each server a part of that one token.
    const a = run({
      'x.txt':
        `Log Name: Lync Server\nSource: LS Protocol Stack\nDate: ${T0}\nEvent ID: 14492\nComputer: ${FE}\n` +
        `Description:\n${names.join(' ')} ${names[0]}\n`,
    });
    assert.equal(a.live.frontEnds[0].table.size, 100_000);
    const f = a.findings.filter((x) => x.code === 'EVT005');
    assert.equal(f.length, 100_000);
    assert.equal(f[99_999].span.file.text.slice(f[99_999].span.start, f[99_999].span.end), names[99_999]);
  });

  test('a part of a token looks at the whole token once, however many parts are taken (an event names thousands of servers)', () => {
    let reads = 0;
    const message = Array.from({ length: 1000 }, (_, i) => `s${i}.contoso.com`).join(' ');
    // Only the text is looked at: a file that counts how often.
    const file = {
      get text() {
        reads++;
        return message;
      },
    } as unknown as SourceFile;
    const token = { value: message, span: { file, start: 0, end: message.length } };
    const parts = Array.from({ length: 1000 }, (_, i) => partOf(token, i * 2, i * 2 + 5));
    assert.equal(parts[999].span.start, 1998, 'each part at its place');
    assert.equal(reads, 1);
  });

  test('a one-line CLIXML export reads every value without the end tag that follows it (leaf text right before a parent end tag)', () => {
    const pretty = sample('get-umdialplan.clixml.xml');
    const oneLine = pretty.replace(/>\s+</g, '><');
    const servers = (text: string) => run({ 'd.xml': text }).servers.map((s) => s.token.value);
    assert.ok(servers(pretty).length > 0);
    assert.deepEqual(servers(oneLine), servers(pretty));
    const ev1 = run({ 'e.xml': eventClixml([ev(14563, T1, FE, 'ex1.contoso.com')]).replace(/>\s+</g, '><') });
    assert.deepEqual(
      ev1.live.frontEnds.map((fe) => fe.name),
      [FE],
    );
  });

  test('Event Viewer "Save As XML" and wevtutil give the same events', () => {
    const events = [ev(14492, T0, FE, 'Known servers: pool01.contoso.com (version 6)'), ev(14563, T1, FE, 'ex1.contoso.com')];
    const ids = (text: string) =>
      (run({ 'x.xml': text }).inputs.filter(isInput)[0]?.contributes.eventLogs?.[0]?.events ?? []).map((e) => e.id);
    assert.deepEqual(ids(savedXml(events)), [14492, 14563]);
    assert.deepEqual(ids(wevtutil(events)), [14492, 14563]);
  });
});

function exampleFiles(): Record<string, string> {
  return Object.fromEntries(
    readdirSync(EXAMPLE)
      .filter((n) => !n.endsWith('.md'))
      .map((n) => [n, readFileSync(path.join(EXAMPLE, n), 'utf8')]),
  );
}
