/**
 * Seeded mutations of a corpus of workspaces (the example and fixture folders, small generated
 * deployments, and workspaces an Option 1 fix left markers in). Case `index` of seed `seed`
 * depends on nothing else, so any case can be regenerated and the order cases run in is free.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { hasCandidateName } from '../../server/src/workspace/load';
import { ev, FORMATS } from '../events';
import { Rng } from '../random';
import * as path from 'node:path';
import { MARKER } from '../../server/src/fixes/marker';
import { SourceFile } from '../../server/src/text/source';
import { analyze, Analysis } from '../../server/src/workspace/analyze';
import { generateTopology } from '../bench/generate';
import { ROOT } from '../helpers';
import { applyOneFix, planAllFixes } from './fixapi';

export interface InputFile {
  /** Relative to the workspace; the extension matters (scripts, `*.umdialplans.json`). */
  path: string;
  bytes: Uint8Array;
}

export interface Case {
  seed: number;
  index: number;
  workspace: string;
  /** Names of the mutators applied, to group failures. */
  mutators: string[];
  /** What each one did, precisely enough to picture the input. */
  mutations: string[];
  /** The mutator that made the input large or deep, if any (at most one per case): hangs group by it. */
  heavy?: string;
  files: InputFile[];
}

export interface Workspace {
  name: string;
  files: { path: string; text: string }[];
}

/** One well-mixed 32-bit seed per (run seed, case index). */
export function caseSeed(seed: number, index: number): number {
  let h = (seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

// ---------------------------------------------------------------------------------------------
// Corpus

/** Files a folder scan would look at (server/src/workspace/load.ts). */
const CORPUS_ROOTS = ['examples', 'test/fixtures', 'test/e2e/workspace'];

/** Every folder under the corpus roots that holds inputs, with everything below it, plus derived workspaces. */
export function loadCorpus(): Workspace[] {
  const out: Workspace[] = [];
  const visit = (dir: string): void => {
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
    // A folder that holds inputs itself is a workspace, with everything below it (as a scan reads it).
    if (entries.some((e) => e.isFile() && hasCandidateName(e.name))) out.push({ name: path.relative(ROOT, dir), files: collect(dir, '') });
    for (const e of entries) if (e.isDirectory()) visit(path.join(dir, e.name));
  };
  for (const r of CORPUS_ROOTS) visit(path.join(ROOT, r));

  for (const [seed, pools, trustedPools, conflicts] of [
    [1, 1, 2, 1],
    [2, 3, 4, 2],
    [3, 2, 3, 0],
  ]) {
    const g = generateTopology({ pools, trustedPools, conflicts, seed });
    out.push({
      name: `generated-${seed}`,
      files: [
        { path: 'topology.xml', text: g.topology },
        { path: 'generated.umdialplans.json', text: g.dialPlans },
      ],
    });
  }

  // Markers only come from applying Option 1, so apply it: once alone, once as `lync-kst fix` does.
  const contoso = out.find((w) => w.name === 'examples/contoso');
  if (!contoso) throw new Error('corpus: examples/contoso is missing');
  const option1 = withOption1(contoso, 'contoso-option1', (a) => {
    const id = a.findings.find((f) => f.code === 'KST001')?.fixes[0];
    if (id === undefined) throw new Error('corpus: examples/contoso no longer offers Option 1');
    return applyOneFix(a, id);
  });
  out.push(option1);
  // With no SipName dial plan left, KST003 fires on the markers and offers the restore fix.
  out.push({
    name: 'contoso-option1-telextn',
    files: option1.files.map((f) => ({ path: f.path, text: f.text.replace(/"SipName"/g, '"TelExtn"') })),
  });
  // The example's timeline in every event-export format, beside the files it is compared with.
  const timeline = [
    ev(14492, '2026-11-30T06:00:04Z', 'fe01.contoso.com', 'Known servers: pool01.contoso.com (version 6), ex1.contoso.com (version 6)'),
    ev(44024, '2026-11-30T06:00:09Z', 'fe01.contoso.com', 'ex1.contoso.com (version 0)'),
    ev(14563, '2026-11-30T06:00:10Z', 'fe01.contoso.com', 'ex1.contoso.com', '6', '0'),
    ev(44030, '2026-11-30T07:00:00Z', 'fe01.contoso.com', 'ex1.contoso.com'),
    ev(14493, '2026-11-30T07:00:01Z', 'fe02.contoso.com', 'Added ex1.contoso.com (version 0)'),
  ];
  out.push({
    name: 'contoso-event-formats',
    files: [
      ...contoso.files.filter((f) => !f.path.endsWith('events.xml')),
      ...Object.entries(FORMATS).map(([format, write]) => ({
        path: `events-${format}.${format.endsWith('Csv') ? 'csv' : 'txt'}`,
        text: write(timeline),
      })),
    ],
  });
  const generated = out.find((w) => w.name === 'generated-2')!;
  out.push(withOption1(generated, 'generated-2-fixed', (a, files) => planAllFixes(files, a).files));
  return out;
}

function collect(dir: string, rel: string): { path: string; text: string }[] {
  const files: { path: string; text: string }[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    const relPath = rel ? `${rel}/${name}` : name;
    if (statSync(full).isDirectory()) files.push(...collect(full, relPath));
    else if (hasCandidateName(name)) files.push({ path: relPath, text: readFileSync(full, 'utf8') });
  }
  return files;
}

function withOption1(ws: Workspace, name: string, fix: (a: Analysis, files: SourceFile[]) => Map<SourceFile, SourceFile>): Workspace {
  const sources = ws.files.map((f) => SourceFile.fromBytes(f.path, Buffer.from(f.text, 'utf8')));
  const changed = fix(analyze(sources), sources);
  const files = sources.map((s) => ({ path: s.path, text: (changed.get(s) ?? s).text }));
  if (!files.some((f) => f.text.includes(MARKER))) throw new Error(`corpus: no marker in ${name}`);
  return { name, files };
}

// ---------------------------------------------------------------------------------------------
// Cases

interface DraftFile {
  path: string;
  text: string;
  /** Set by an encoding mutator (or one that needs UTF-16 to survive); UTF-8 otherwise. */
  encoding?: Reencoding;
  /** Set once text mutations are over; byte mutators work on these. */
  bytes?: Buffer;
}

interface Draft {
  files: DraftFile[];
}

type Reencoding = 'UTF-8 BOM' | 'UTF-16LE BOM' | 'UTF-16BE BOM' | 'UTF-16LE' | 'UTF-16BE' | 'Windows-1252';

/** Text mutations see text; after 'encoding' the files become bytes for the byte mutators. */
const STAGES = ['workspace', 'structure', 'text', 'encoding', 'bytes'] as const;
type Stage = (typeof STAGES)[number];

interface Mutator {
  name: string;
  stage: Stage;
  weight: number;
  /** Builds megabytes or deep structures: at most one per case. */
  heavy?: boolean;
  /** What it did, or undefined when the draft has nothing it applies to. */
  apply(d: Draft, r: Rng): string | undefined;
}

export function makeCase(corpus: Workspace[], seed: number, index: number): Case {
  const r = new Rng(caseSeed(seed, index));
  const ws = r.pick(corpus);
  const draft: Draft = { files: ws.files.map((f) => ({ ...f })) };
  // A few cases stay unmutated: the corpus itself must keep every invariant too.
  const wanted = r.chance(0.04) ? 0 : r.pick([1, 1, 1, 2, 2, 3]);
  const chosen: Mutator[] = [];
  for (let tries = 0; chosen.length < wanted && tries < 20; tries++) {
    const m = weighted(r);
    if (!(m.heavy && chosen.some((c) => c.heavy))) chosen.push(m);
  }
  chosen.sort((a, b) => STAGES.indexOf(a.stage) - STAGES.indexOf(b.stage));
  const mutators: string[] = [];
  const mutations: string[] = [];
  let heavy: string | undefined;
  for (const m of chosen) {
    if (m.stage === 'bytes') materialise(draft);
    const what = m.apply(draft, r);
    if (what === undefined) continue;
    mutators.push(m.name);
    mutations.push(what);
    if (m.heavy) heavy = m.name;
  }
  materialise(draft);
  return {
    seed,
    index,
    workspace: ws.name,
    mutators,
    mutations,
    heavy,
    files: draft.files.map((f) => ({ path: f.path, bytes: f.bytes! })),
  };
}

function weighted(r: Rng): Mutator {
  let x = r.next() * TOTAL_WEIGHT;
  for (const m of MUTATORS) {
    x -= m.weight;
    if (x < 0) return m;
  }
  return MUTATORS[MUTATORS.length - 1];
}

/** Text mutations are over: encode every file that has no bytes yet. */
function materialise(d: Draft): void {
  for (const f of d.files) f.bytes ??= encodeAs(f.text, f.encoding);
}

function encodeAs(text: string, e: Reencoding | undefined): Buffer {
  const le = (): Buffer => Buffer.from(text, 'utf16le');
  switch (e) {
    case undefined:
      return Buffer.from(text, 'utf8');
    case 'UTF-8 BOM':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    case 'UTF-16LE BOM':
      return Buffer.concat([Buffer.from([0xff, 0xfe]), le()]);
    case 'UTF-16BE BOM':
      return Buffer.concat([Buffer.from([0xfe, 0xff]), le().swap16()]);
    case 'UTF-16LE':
      return le();
    case 'UTF-16BE':
      return le().swap16();
    // What `Set-Content` writes: one byte per character; the rare wider one becomes '?'.
    case 'Windows-1252':
      return Buffer.from(text.replace(/[\u0100-\uffff]/g, '?'), 'latin1');
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers

const isXml = (f: DraftFile): boolean => /\.(xml|tbxml|clixml)$/i.test(f.path);
const isJson = (f: DraftFile): boolean => /\.json$/i.test(f.path);
const isScript = (f: DraftFile): boolean => /\.(ps1|psm1)$/i.test(f.path);
const anyFile = (): boolean => true;

/** `p`, or a variant of it no file of the draft has: a reproducer folder must hold every file. */
function freePath(d: Draft, p: string): string {
  let out = p;
  while (d.files.some((f) => f.path === out)) out = out.replace(/([^/]*)$/, 'another-$1');
  return out;
}

function pickFile(d: Draft, r: Rng, ok: (f: DraftFile) => boolean): DraftFile | undefined {
  const fs = d.files.filter(ok);
  return fs.length ? r.pick(fs) : undefined;
}

function splice(text: string, start: number, end: number, insert: string): string {
  return text.slice(0, start) + insert + text.slice(end);
}

/** A short, escaped view of the text just before `at`, so descriptions show where a cut fell. */
function before(text: string, at: number): string {
  return JSON.stringify(text.slice(Math.max(0, at - 24), at));
}

interface Range {
  start: number;
  end: number;
}

/** Matches of `re` (global), at most the first 50k so huge files stay cheap. */
function ranges(text: string, re: RegExp, group = 0): Range[] {
  const out: Range[] = [];
  for (const m of text.matchAll(re)) {
    const g = m[group] ?? '';
    const start = m.index! + (group === 0 ? 0 : m[0].lastIndexOf(g));
    out.push({ start, end: start + g.length });
    if (out.length >= 50_000) break;
  }
  return out;
}

const closingTags = (t: string): Range[] => ranges(t, /<\/[^<>]*>/g);
const startTags = (t: string): Range[] => ranges(t, /<[A-Za-z_][^<>]*>/g);
/** Start tags with content (not `<x/>`): children go right after them. */
const containers = (t: string): Range[] => startTags(t).filter((s) => t[s.end - 2] !== '/');
const attrValues = (t: string): Range[] => ranges(t, /\s[\w:.-]+\s*=\s*"([^"<]*)"/g, 1);

/** Where a child goes: after a start tag with content, or anywhere when there is none. */
function childSlot(t: string, r: Rng): { at: number; after: string } {
  const c = containers(t);
  if (c.length === 0) return { at: r.int(0, t.length), after: 'anywhere' };
  const s = r.pick(c);
  return { at: s.end, after: `after ${JSON.stringify(t.slice(s.start, Math.min(s.end, s.start + 40)))}` };
}

/** Offset of the root element's start tag (after the prolog), or 0. */
function rootStart(t: string): number {
  const m = /<[A-Za-z_]/.exec(t);
  return m ? m.index : 0;
}

function mb(n: number): string {
  return `${(n / 1048576).toFixed(1)} MB`;
}

/** Mutates `f.text`, describing the change with the file's path. */
function onText(f: DraftFile | undefined, edit: (t: string) => { text: string; what: string } | undefined): string | undefined {
  if (!f) return undefined;
  const e = edit(f.text);
  if (!e) return undefined;
  f.text = e.text;
  return `${f.path}: ${e.what}`;
}

const CONTROLS = [...Array.from({ length: 32 }, (_, i) => i), 0x7f, 0x85, 0x2028, 0x2029, 0xfeff].map((c) => String.fromCharCode(c));
const hex = (s: string): string => [...s].map((c) => `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`).join(' ');

// ---------------------------------------------------------------------------------------------
// Mutators

const text: Mutator[] = [
  {
    name: 'delete-range',
    stage: 'text',
    weight: 6,
    apply: (d, r) =>
      onText(pickFile(d, r, anyFile), (t) => {
        const a = r.int(0, t.length);
        const b = Math.min(t.length, a + r.size(Math.max(1, t.length >> 2)));
        return { text: splice(t, a, b, ''), what: `deleted ${b - a} chars at ${a} (after ${before(t, a)})` };
      }),
  },
  {
    name: 'insert-copy',
    stage: 'text',
    weight: 5,
    apply: (d, r) => {
      const src = r.pick(d.files);
      const a = r.int(0, src.text.length);
      const piece = src.text.slice(a, a + r.size(4096));
      return onText(pickFile(d, r, anyFile), (t) => {
        const at = r.int(0, t.length);
        return {
          text: splice(t, at, at, piece),
          what: `inserted ${piece.length} chars copied from ${src.path}@${a} at ${at} (after ${before(t, at)})`,
        };
      });
    },
  },
  {
    name: 'duplicate-range',
    stage: 'text',
    weight: 5,
    apply: (d, r) =>
      onText(pickFile(d, r, anyFile), (t) => {
        const a = r.int(0, t.length);
        const piece = t.slice(a, a + r.size(2048));
        const times = r.chance(0.15) ? r.int(2, Math.max(2, Math.floor(2_000_000 / Math.max(1, piece.length)))) : 1;
        return {
          text: splice(t, a, a, piece.repeat(times)),
          what: `duplicated ${piece.length} chars at ${a} ${times} more time(s) (${JSON.stringify(piece.slice(0, 30))}…)`,
        };
      }),
  },
  {
    name: 'swap-ranges',
    stage: 'text',
    weight: 4,
    apply: (d, r) =>
      onText(pickFile(d, r, anyFile), (t) => {
        const cuts = [r.int(0, t.length), r.int(0, t.length), r.int(0, t.length), r.int(0, t.length)].sort((x, y) => x - y);
        const [a, b, c, e] = cuts;
        return {
          text: t.slice(0, a) + t.slice(c, e) + t.slice(b, c) + t.slice(a, b) + t.slice(e),
          what: `swapped [${a},${b}) with [${c},${e})`,
        };
      }),
  },
  {
    name: 'truncate',
    stage: 'text',
    weight: 8,
    apply: (d, r) =>
      onText(pickFile(d, r, anyFile), (t) => {
        const where = r.pick(['anywhere', 'after a closing tag', 'inside a tag', 'inside an attribute value', 'at a line end'] as const);
        const options: number[] =
          where === 'after a closing tag'
            ? closingTags(t).map((x) => x.end)
            : where === 'inside a tag'
              ? startTags(t)
                  .filter((x) => x.end - x.start > 2)
                  .map((x) => r.int(x.start + 1, x.end - 1))
              : where === 'inside an attribute value'
                ? attrValues(t).map((x) => r.int(x.start, x.end))
                : where === 'at a line end'
                  ? ranges(t, /\r?\n/g).map((x) => x.start)
                  : [r.int(0, t.length)];
        const at = options.length ? r.pick(options) : r.int(0, t.length);
        return { text: t.slice(0, at), what: `truncated at ${at} of ${t.length}, ${where} (after ${before(t, at)})` };
      }),
  },
  {
    name: 'control-chars',
    stage: 'text',
    weight: 4,
    apply: (d, r) =>
      onText(pickFile(d, r, anyFile), (t) => {
        let out = t;
        const done: string[] = [];
        for (let n = r.int(1, 12); n > 0; n--) {
          const c = r.pick(CONTROLS);
          const at = r.int(0, out.length);
          out = splice(out, at, at, c);
          done.push(`${hex(c)}@${at}`);
        }
        return { text: out, what: `inserted control characters ${done.join(', ')}` };
      }),
  },
  {
    name: 'nul-run',
    stage: 'text',
    weight: 2,
    apply: (d, r) =>
      onText(pickFile(d, r, anyFile), (t) => {
        const at = r.int(0, t.length);
        const n = r.size(4096);
        return { text: splice(t, at, at, '\0'.repeat(n)), what: `inserted ${n} NUL at ${at} (after ${before(t, at)})` };
      }),
  },
  {
    name: 'raw-lt-in-attribute',
    stage: 'text',
    weight: 3,
    apply: (d, r) =>
      onText(pickFile(d, r, isXml), (t) => {
        const vs = attrValues(t);
        if (!vs.length) return undefined;
        const v = r.pick(vs);
        const at = r.int(v.start, v.end);
        const ins = r.pick(['<', '<', '<<', '</Topology>', '<Cluster Fqdn="x">', '"', '&', '>']);
        return {
          text: splice(t, at, at, ins),
          what: `put ${JSON.stringify(ins)} into an attribute value at ${at} (after ${before(t, at)})`,
        };
      }),
  },
  {
    name: 'entity-reference',
    stage: 'text',
    weight: 4,
    apply: (d, r) =>
      onText(pickFile(d, r, isXml), (t) => {
        const [ref, times] = r.pick([
          ['&nbsp;', 1],
          ['&undefined;', 1],
          ['&#0;', 1],
          ['&#x1;', 1],
          ['&#xD800;', 1],
          ['&#xFFFE;', 1],
          ['&#x110000;', 1],
          ['&#99999999999999999999;', 1],
          ['&lt', 1],
          ['&;', 1],
          ['&#;', 1],
          ['&amp;', 100_000],
          ['&nbsp;', 100_000],
          ['&#x41;', 100_000],
        ] as const);
        const vs = attrValues(t);
        const v = vs.length && r.chance(0.7) ? r.pick(vs) : undefined;
        const at = v ? r.int(v.start, v.end) : r.int(0, t.length);
        return {
          text: splice(t, at, at, ref.repeat(times)),
          what: `inserted ${ref}${times > 1 ? ` ×${times}` : ''} at ${at} (after ${before(t, at)})`,
        };
      }),
  },
  {
    name: 'lone-surrogate',
    stage: 'text',
    weight: 2,
    apply: (d, r) => {
      const f = pickFile(d, r, anyFile);
      // UTF-8 cannot carry a lone surrogate (Buffer writes U+FFFD); UTF-16 can.
      const keep = f && f.encoding === undefined ? r.pick(['UTF-16LE BOM', 'UTF-16BE BOM'] as const) : undefined;
      const what = onText(f, (t) => {
        const c = String.fromCharCode(r.chance(0.5) ? r.int(0xd800, 0xdbff) : r.int(0xdc00, 0xdfff));
        const vs = attrValues(t);
        const at = vs.length && r.chance(0.6) ? r.pick(vs).end : r.int(0, t.length);
        return { text: splice(t, at, at, c), what: `inserted lone surrogate ${hex(c)} at ${at} (after ${before(t, at)})` };
      });
      if (f && keep) f.encoding = keep;
      return what && (keep ? `${what}, file written as ${keep} to keep it` : what);
    },
  },
  {
    name: 'noncharacter',
    stage: 'text',
    weight: 2,
    apply: (d, r) =>
      onText(pickFile(d, r, anyFile), (t) => {
        const c = r.pick(['\ufffe', '\uffff', '\ufeff']);
        const at = r.int(0, t.length);
        return { text: splice(t, at, at, c), what: `inserted ${hex(c)} at ${at}` };
      }),
  },
  {
    name: 'line-endings',
    stage: 'text',
    weight: 3,
    apply: (d, r) =>
      onText(pickFile(d, r, anyFile), (t) => {
        const style = r.pick(['CRLF', 'CR', 'LF', 'mixed CRLF/LF/CR'] as const);
        const eol = (): string =>
          style === 'CRLF' ? '\r\n' : style === 'CR' ? '\r' : style === 'LF' ? '\n' : r.pick(['\r\n', '\n', '\r']);
        return { text: t.replace(/\r\n|\r|\n/g, eol), what: `line endings made ${style}` };
      }),
  },
  {
    name: 'tabs',
    stage: 'text',
    weight: 2,
    apply: (d, r) =>
      onText(pickFile(d, r, anyFile), (t) =>
        r.chance(0.5)
          ? { text: t.replace(/^( +)/gm, (s) => '\t'.repeat(Math.ceil(s.length / 2))), what: 'indented with tabs' }
          : { text: t.replace(/ (?=[\w-]+=)|=/g, (s) => (s === '=' ? '\t=\t' : '\t')), what: 'tabs between attributes and around =' },
      ),
  },
  {
    name: 'one-line',
    stage: 'text',
    weight: 2,
    apply: (d, r) =>
      onText(pickFile(d, r, anyFile), (t) => {
        const sep = r.pick(['', ' ']);
        return { text: t.replace(/\r\n|\r|\n/g, sep), what: `everything on one line (line breaks replaced by ${JSON.stringify(sep)})` };
      }),
  },
];

const xml: Mutator[] = [
  {
    name: 'deep-nesting',
    stage: 'structure',
    weight: 2,
    heavy: true,
    apply: (d, r) =>
      onText(pickFile(d, r, isXml), (t) => {
        const n = r.int(10_000, 200_000);
        const name = r.pick(['a', 'Cluster', 'Obj']);
        const balanced = r.chance(0.7);
        const { at, after } = childSlot(t, r);
        const nest = `<${name}>`.repeat(n) + (balanced ? `</${name}>`.repeat(n) : '');
        return { text: splice(t, at, at, nest), what: `${n} nested <${name}> ${balanced ? 'balanced' : 'never closed'}, ${after}` };
      }),
  },
  {
    name: 'many-siblings',
    stage: 'structure',
    weight: 2,
    heavy: true,
    apply: (d, r) =>
      onText(pickFile(d, r, isXml), (t) => {
        const n = 150_000;
        const kind = r.pick(['<X/>', 'Machine', 'Cluster', 'S'] as const);
        const one = (i: number): string =>
          kind === '<X/>'
            ? '<X/>'
            : kind === 'Machine'
              ? `<Machine OrdinalInCluster="${i}" Fqdn="m${i}.contoso.com" />`
              : kind === 'Cluster'
                ? `<Cluster Fqdn="c${i}.contoso.com"><ClusterId SiteId="1" Number="${i + 100}" /></Cluster>`
                : `<S>srv${i}.contoso.com</S>`;
        const anchor =
          kind === 'Machine' ? /<Cluster\b[^<>]*[^/]>/ : kind === 'Cluster' ? /<Clusters>/ : kind === 'S' ? /<LST>/ : undefined;
        const m = anchor?.exec(t);
        const { at, after } = m ? { at: m.index + m[0].length, after: `after ${m[0].slice(0, 40)}` } : childSlot(t, r);
        const body = Array.from({ length: n }, (_, i) => one(i)).join('');
        return {
          text: splice(t, at, at, body),
          what: `${n} sibling ${kind === '<X/>' ? kind : `<${kind}>`} elements (${mb(body.length)}) ${after}`,
        };
      }),
  },
  {
    name: 'huge-attribute',
    stage: 'structure',
    weight: 2,
    heavy: true,
    apply: (d, r) =>
      onText(pickFile(d, r, isXml), (t) => {
        const vs = attrValues(t);
        if (!vs.length) return undefined;
        const v = r.pick(vs);
        const n = r.int(2, 10) * 1048576;
        const kind = r.pick(['a', 'labels', 'spaces', 'random'] as const);
        const chunk =
          kind === 'a'
            ? 'a'
            : kind === 'labels'
              ? 'ex1.contoso.'
              : kind === 'spaces'
                ? ' \t'
                : Array.from({ length: 997 }, () => r.pick([...'abcdefghijklmnopqrstuvwxyz0123456789.-_ '])).join('');
        const value = chunk.repeat(Math.ceil(n / chunk.length)).slice(0, n);
        return {
          text: splice(t, v.start, v.end, value),
          what:
            `attribute value at ${v.start} replaced by ${mb(n)} of ${kind} ` +
            `(was ${JSON.stringify(t.slice(v.start, Math.min(v.end, v.start + 40)))})`,
        };
      }),
  },
  {
    name: 'proto-names',
    stage: 'structure',
    weight: 3,
    apply: (d, r) =>
      onText(pickFile(d, r, isXml), (t) => {
        const name = r.pick(['constructor', '__proto__', 'prototype', 'hasOwnProperty', 'toString', 'valueOf']);
        const how = r.pick(['rename', 'child', 'attribute'] as const);
        if (how === 'rename') {
          const tags = [...new Set(ranges(t, /<([A-Za-z_][\w.-]*)/g, 1).map((x) => t.slice(x.start, x.end)))];
          if (!tags.length) return undefined;
          const tag = r.pick(tags);
          const re = new RegExp(`(</?)${tag.replace(/\./g, '\\.')}(?=[\\s/>])`, 'g');
          return { text: t.replace(re, `$1${name}`), what: `every <${tag}> element renamed <${name}>` };
        }
        if (how === 'child') {
          const { at, after } = childSlot(t, r);
          const el = r.pick([`<${name}/>`, `<${name} Fqdn="ex1.contoso.com"><${name}/></${name}>`, `<${name}>text</${name}>`]);
          return { text: splice(t, at, at, el), what: `inserted ${el} ${after}` };
        }
        const tags = startTags(t);
        if (!tags.length) return undefined;
        const s = r.pick(tags);
        const at = /\s|\/?>$/.exec(t.slice(s.start + 1, s.end))!.index + s.start + 1;
        const attr = r.pick([` ${name}="x"`, ` ${name}="ex1.contoso.com"`, ` N="${name}"`]);
        return {
          text: splice(t, at, at, attr),
          what: `attribute ${attr.trim()} added to ${JSON.stringify(t.slice(s.start, Math.min(s.end, s.start + 30)))}`,
        };
      }),
  },
  {
    name: 'doctype',
    stage: 'structure',
    weight: 3,
    apply: (d, r) =>
      onText(pickFile(d, r, isXml), (t) => {
        const variants: [string, string][] = [
          [
            'internal subset',
            '<!DOCTYPE Topology [\n <!ENTITY fqdn "ex1.contoso.com">\n <!ELEMENT Topology ANY>\n <!ATTLIST Cluster Fqdn CDATA ' +
              '#IMPLIED>\n]>\n',
          ],
          ['SYSTEM', '<!DOCTYPE Topology SYSTEM "file:///etc/passwd">\n'],
          ['PUBLIC', '<!DOCTYPE Topology PUBLIC "-//Contoso//DTD Topology//EN" "http://example.invalid/topology.dtd">\n'],
          ['external entity', '<!DOCTYPE Topology [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>\n'],
          [
            'parameter entities',
            '<!DOCTYPE Topology [ <!ENTITY % p "<!ENTITY q \'ex1.contoso.com\'>"> %p; <!ENTITY % e SYSTEM ' +
              '"http://example.invalid/e.dtd"> %e; ]>\n',
          ],
          [
            'billion laughs',
            `<!DOCTYPE Topology [\n <!ENTITY l0 ` +
              `"lol">\n${Array.from({ length: 9 }, (_, i) => ` <!ENTITY l${i + 1} "${`&l${i};`.repeat(10)}">`).join('\n')}\n]>\n`,
          ],
          [']> inside an entity value', '<!DOCTYPE Topology [ <!ENTITY a "]>"> <!ENTITY b "<Topology>"> ]>\n'],
          ['never closed', '<!DOCTYPE Topology [ <!ENTITY a "x">\n'],
          ['two of them', '<!DOCTYPE a><!DOCTYPE b [ ]>\n'],
        ];
        const [label, dt] = r.pick(variants);
        const inside = r.chance(0.15);
        const at = inside ? (containers(t)[0]?.end ?? 0) : rootStart(t);
        let out = splice(t, at, at, dt);
        // Use the entities where a server name goes, as an attack would.
        if (r.chance(0.6)) out = out.replace(/Fqdn="[^"]*"/, `Fqdn="${r.pick(['&fqdn;', '&xxe;', '&l9;', '&q;', '&a;'])}"`);
        return { text: out, what: `DOCTYPE (${label}) ${inside ? 'inside the root element' : 'before the root'}` };
      }),
  },
  {
    name: 'markup',
    stage: 'structure',
    weight: 2,
    apply: (d, r) =>
      onText(pickFile(d, r, isXml), (t) => {
        const ins = r.pick([
          '<![CDATA[ <Cluster Fqdn="x"/> ]]>',
          '<![CDATA[ never closed',
          ']]>',
          '<!-- never closed',
          '<!-- a -- b -->',
          '<?xml version="1.0"?>',
          '<?pi ',
          '<!---->',
          '<!ELEMENT x ANY>',
        ]);
        const { at, after } = childSlot(t, r);
        return { text: splice(t, at, at, ins), what: `inserted ${JSON.stringify(ins)} ${after}` };
      }),
  },
];

const json: Mutator[] = [
  {
    name: 'json-deep',
    stage: 'structure',
    weight: 3,
    apply: (d, r) =>
      onText(pickFile(d, r, isJson), (t) => {
        const n = r.int(50_000, 100_000);
        const [open, close] = r.pick([
          ['[', ']'],
          ['{"a":', '}'],
        ] as const);
        const balanced = r.chance(0.7);
        const value = open.repeat(n) + (balanced ? close.repeat(n) : '');
        const m = /"servers"\s*:\s*\[/.exec(t);
        if (m && r.chance(0.7)) {
          const at = m.index + m[0].length;
          return {
            text: splice(t, at, at, value + (balanced ? ',' : '')),
            what: `${n} nested ${open} ${balanced ? 'balanced' : 'never closed'} in "servers"`,
          };
        }
        return { text: value, what: `the whole file is ${n} nested ${open} ${balanced ? 'balanced' : 'never closed'}` };
      }),
  },
  {
    name: 'json-wrong-type',
    stage: 'structure',
    weight: 6,
    apply: (d, r) =>
      onText(pickFile(d, r, isJson), (t) => {
        const [key, value] = r.pick([
          ['servers', '"ex1.contoso.com"'],
          ['servers', '5'],
          ['servers', 'null'],
          ['servers', '{}'],
          ['servers', '[5, null, {}, [], true, "ex1.contoso.com"]'],
          ['servers', '[""]'],
          ['name', '5'],
          ['name', 'null'],
          ['name', '""'],
          ['name', '["Contoso-SIP"]'],
          ['dialPlans', '{}'],
          ['dialPlans', '"Contoso-SIP"'],
          ['dialPlans', 'null'],
          ['dialPlans', '[null, 5, "x", [], {}]'],
          ['dialPlans', '{"0": {"name": "x", "uriType": "SipName", "servers": ["ex1.contoso.com"]}}'],
          ['uriType', '5'],
          ['uriType', '"sipname"'],
          ['uriType', '""'],
          ['uriType', 'null'],
          ['uriType', '"SipName\\u0000"'],
          ['exchangeVersion', '"2013"'],
          ['exchangeVersion', '1e400'],
          ['exchangeVersion', '-1'],
          ['exchangeVersion', '"x"'],
          ['exchangeVersion', '{}'],
          ['defaultDomain', '5'],
          ['defaultDomain', '""'],
          ['defaultDomain', '"."'],
          ['format', '"kst-umdialplans-v2"'],
          ['version', '"1"'],
          ['version', '99'],
        ] as const);
        // The value runs to the matching bracket for arrays/objects, else to the next , } or line end.
        const m = new RegExp(`"${key}"\\s*:\\s*`).exec(t);
        if (!m) return undefined;
        const start = m.index + m[0].length;
        const end = valueEnd(t, start);
        return {
          text: splice(t, start, end, value),
          what: `"${key}": ${value} (was ${JSON.stringify(t.slice(start, Math.min(end, start + 40)))})`,
        };
      }),
  },
  {
    name: 'json-top-level',
    stage: 'structure',
    weight: 2,
    apply: (d, r) =>
      onText(pickFile(d, r, isJson), () => {
        const v = r.pick([
          '[]',
          'null',
          '"kst-umdialplans"',
          '{"format":"kst-umdialplans"}',
          '{"format":"kst-umdialplans","dialPlans":[null,5,"x",[],{}]}',
          '',
          ' ',
          '{"format":"kst-umdialplans","dialPlans":[{"name":"a","uriType":"SipName","servers":["ex1.contoso.com"]}]}{}',
        ]);
        return { text: v, what: `the whole file replaced by ${JSON.stringify(v)}` };
      }),
  },
  {
    name: 'json-proto-keys',
    stage: 'structure',
    weight: 3,
    apply: (d, r) =>
      onText(pickFile(d, r, isJson), (t) => {
        const objs = ranges(t, /\{/g);
        if (!objs.length) return undefined;
        const at = r.pick(objs).end;
        const kv = r.pick([
          '"__proto__": {"servers": ["ex1.contoso.com"]},',
          '"constructor": 5,',
          '"prototype": null,',
          '"__proto__": [],',
          '"hasOwnProperty": "x",',
          '"toString": {},',
        ]);
        return { text: splice(t, at, at, kv), what: `inserted ${kv} at ${at}` };
      }),
  },
  {
    name: 'json-syntax',
    stage: 'structure',
    weight: 3,
    apply: (d, r) =>
      onText(pickFile(d, r, isJson), (t) => {
        const ins = r.pick([
          '// comment\n',
          '/* comment */',
          ',',
          ',]',
          "'x'",
          'NaN',
          '\ufeff',
          '"unterminated',
          '1e400',
          '-0',
          '"dialPlans": [],',
          '\\u0000',
          '}',
          ']',
        ]);
        const at = r.int(0, t.length);
        return { text: splice(t, at, at, ins), what: `inserted ${JSON.stringify(ins)} at ${at} (after ${before(t, at)})` };
      }),
  },
  {
    name: 'json-many',
    stage: 'structure',
    weight: 2,
    heavy: true,
    apply: (d, r) =>
      onText(pickFile(d, r, isJson), (t) => {
        const servers = r.chance(0.5);
        const n = servers ? 150_000 : 50_000;
        if (servers) {
          const m = /"servers"\s*:\s*\[/.exec(t);
          if (!m) return undefined;
          const at = m.index + m[0].length;
          const body = Array.from({ length: n }, (_, i) => `"srv${i}.contoso.com",`).join('');
          return { text: splice(t, at, at, body), what: `${n} servers in one dial plan (${mb(body.length)})` };
        }
        const m = /"dialPlans"\s*:\s*\[/.exec(t);
        if (!m) return undefined;
        const at = m.index + m[0].length;
        const body = Array.from(
          { length: n },
          (_, i) => `{"name":"P${i}","uriType":"${i % 2 ? 'SipName' : 'TelExtn'}","servers":["ex${i}.contoso.com"]},`,
        ).join('');
        return { text: splice(t, at, at, body), what: `${n} dial plans (${mb(body.length)})` };
      }),
  },
  {
    name: 'json-long-string',
    stage: 'structure',
    weight: 1,
    heavy: true,
    apply: (d, r) =>
      onText(pickFile(d, r, isJson), (t) => {
        const m = /"servers"\s*:\s*\[/.exec(t);
        if (!m) return undefined;
        const at = m.index + m[0].length;
        const n = r.int(1, 4) * 1048576;
        const s = r.chance(0.5) ? 'a'.repeat(n) : 'ex1.contoso.'.repeat(Math.ceil(n / 12));
        return { text: splice(t, at, at, `"${s}",`), what: `a ${mb(s.length)} server name` };
      }),
  },
];

/** End of the JSON value starting at `start`: its matching bracket, or the next , } ] or line break. */
function valueEnd(t: string, start: number): number {
  const open = t[start];
  if (open === '[' || open === '{') {
    let depth = 0;
    let inString = false;
    for (let i = start; i < t.length; i++) {
      const c = t[i];
      if (inString) {
        if (c === '\\') i++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === '[' || c === '{') depth++;
      else if ((c === ']' || c === '}') && --depth === 0) return i + 1;
    }
    return t.length;
  }
  const m = /[,}\]\r\n]/.exec(t.slice(start));
  return m ? start + m.index : t.length;
}

const ps: Mutator[] = [
  {
    name: 'ps-unbalanced',
    stage: 'structure',
    weight: 5,
    apply: (d, r) =>
      onText(pickFile(d, r, isScript), (t) => {
        let out = t;
        const done: string[] = [];
        for (let n = r.int(1, 4); n > 0; n--) {
          const ins = r.pick([
            '(',
            ')',
            '{',
            '}',
            '[',
            ']',
            '"',
            "'",
            '@"\n',
            '\n"@',
            "@'\n",
            "\n'@",
            '`',
            '<#',
            '#>',
            '$(',
            '${',
            ' -',
            '@(',
            '@{',
          ]);
          const atEnd = r.chance(0.2);
          const at = atEnd ? out.length : r.int(0, out.length);
          out = splice(out, at, at, ins);
          done.push(`${JSON.stringify(ins)}@${atEnd ? 'end' : at}`);
        }
        return { text: out, what: `inserted ${done.join(', ')}` };
      }),
  },
  {
    name: 'ps-long-line',
    stage: 'structure',
    weight: 2,
    heavy: true,
    apply: (d, r) =>
      onText(pickFile(d, r, isScript), (t) => {
        const n = r.int(1, 2) * 1048576;
        const kind = r.pick(['string argument', 'comment', 'parameters', 'unterminated string'] as const);
        const line =
          kind === 'string argument'
            ? `New-CsTrustedApplicationPool -Identity "${'a'.repeat(n)}" -Registrar pool01.contoso.com`
            : kind === 'comment'
              ? `# ${'x'.repeat(n)}`
              : kind === 'parameters'
                ? `New-CsTrustedApplication -ApplicationId app -TrustedApplicationPoolFqdn ` +
                  `ex1.contoso.com${' -Port 5199'.repeat(Math.ceil(n / 11))}`
                : `$x = "${'y'.repeat(n)}`;
        const lines = ranges(t, /\n/g);
        const at = lines.length ? r.pick(lines).end : t.length;
        return { text: splice(t, at, at, line + '\n'), what: `a ${mb(line.length)} line (${kind}) at ${at}` };
      }),
  },
  {
    name: 'ps-deep',
    stage: 'structure',
    weight: 2,
    apply: (d, r) =>
      onText(pickFile(d, r, isScript), (t) => {
        const n = r.int(10_000, 100_000);
        const [open, close] = r.pick([
          ['(', ')'],
          ['$(', ')'],
          ['{', '}'],
          ['@(', ')'],
          ['[', ']'],
        ] as const);
        const balanced = r.chance(0.6);
        const at = r.chance(0.5) ? t.length : r.int(0, t.length);
        return {
          text: splice(t, at, at, `\n$x = ${open.repeat(n)}1${balanced ? close.repeat(n) : ''}\n`),
          what: `${n} nested ${open} ${balanced ? 'balanced' : 'never closed'} at ${at}`,
        };
      }),
  },
  {
    name: 'ps-many-commands',
    stage: 'structure',
    weight: 1,
    heavy: true,
    apply: (d, r) =>
      onText(pickFile(d, r, isScript), (t) => {
        const n = r.int(20_000, 60_000);
        const body = Array.from(
          { length: n },
          (_, i) =>
            `New-CsTrustedApplication -ApplicationId app${i} -TrustedApplicationPoolFqdn ex1.contoso.com -Port ${5000 + (i % 3000)}\n`,
        ).join('');
        return { text: t + body, what: `${n} New-CsTrustedApplication commands appended (${mb(body.length)})` };
      }),
  },
  {
    name: 'ps-proto-names',
    stage: 'structure',
    weight: 2,
    apply: (d, r) =>
      onText(pickFile(d, r, isScript), (t) => {
        const line = r.pick([
          "$__proto__ = 'ex1.contoso.com'\nNew-CsTrustedApplicationPool -Identity $__proto__ -Registrar pool01.contoso.com\n",
          'New-CsTrustedApplicationPool -Identity constructor -Registrar pool01.contoso.com -ComputerFqdn __proto__\n',
          'New-CsTrustedApplication -ApplicationId prototype -TrustedApplicationPoolFqdn ex1.contoso.com -Port 5199 -__proto__ 5 ' +
            '-constructor\n',
          '$constructor = $ExchangeFqdn\nNew-CsTrustedApplicationComputer -Identity $constructor -Pool $constructor\n',
        ]);
        const at = r.chance(0.5) ? t.length : (ranges(t, /\n/g)[0]?.end ?? 0);
        return { text: splice(t, at, at, line), what: `inserted ${JSON.stringify(line.slice(0, 60))}… at ${at}` };
      }),
  },
];

const marker: Mutator[] = [
  {
    name: 'marker-damage',
    stage: 'structure',
    weight: 12,
    apply: (d, r) => {
      const f = pickFile(d, r, (x) => x.text.includes(MARKER));
      const what = onText(f, (t) => {
        const spots = ranges(t, new RegExp(`${MARKER}[^\\r\\n]*? data=\\{`, 'g')).map((m) => ({
          start: m.end - 1,
          end: valueEnd(t, m.end - 1),
        }));
        if (!spots.length) return undefined;
        const at = r.pick(spots);
        const damaged = damageMarker(t.slice(at.start, at.end), r);
        // In XML, `--` must stay escaped or the comment itself breaks (XML001); now and then let it.
        const data = isXml(f!) && r.chance(0.85) ? damaged.json.replace(/-(?=-)/g, '\\u002d') : damaged.json;
        return { text: splice(t, at.start, at.end, data), what: `removed-pool marker data=: ${damaged.what}` };
      });
      if (!what) return undefined;
      return r.chance(0.75) ? `${what}; ${unhost(d, r)}` : what;
    },
  },
  {
    name: 'marker-copy',
    stage: 'structure',
    weight: 3,
    apply: (d, r) => {
      const src = pickFile(d, r, (x) => x.text.includes(MARKER));
      if (!src) return undefined;
      const m = new RegExp(`[^\\r\\n]*${MARKER}[^\\r\\n]*(\\r?\\n)?`).exec(src.text)!;
      const dst = r.pick(d.files);
      const times = r.pick([1, 2, 10, 1000]);
      // Moved between a topology and a script, the comment changes syntax as a person would change it.
      const inner = m[0]
        .trim()
        .replace(/^(<!--|<#|#)\s*/, '')
        .replace(/\s*(-->|#>)$/, '');
      const line = isScript(dst) === isScript(src) ? m[0] : isScript(dst) ? `# ${inner}\n` : `<!-- ${inner} -->\n`;
      const at = isXml(dst) ? childSlot(dst.text, r).at : r.int(0, dst.text.length);
      dst.text = splice(dst.text, at, at, line.repeat(times));
      return `${dst.path}: the removed-pool marker of ${src.path} copied ${times}× at ${at}; ${unhost(d, r)}`;
    },
  },
];

type JsonPath = (string | number)[];

/** Every path into a parsed JSON value (the root is []), in document order. */
function jsonPaths(v: unknown, at: JsonPath = []): JsonPath[] {
  const out: JsonPath[] = [at];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...jsonPaths(x, [...at, i])));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(...jsonPaths(x, [...at, k]));
  return out;
}

const WRONG_VALUES: unknown[] = [
  5,
  -1,
  0.5,
  1e9,
  -1e9,
  null,
  true,
  'x',
  '',
  [],
  {},
  [5, null],
  '<Cluster Fqdn="x">',
  '-->',
  'ex1.contoso.com',
];

/**
 * One of the ways a hand-edited marker goes wrong, applied to its `data=` JSON: whatever shape the
 * marker has (it is being redesigned), a random field gets a wrong type, an out-of-range offset,
 * an edited string, or goes missing.
 */
function damageMarker(raw: string, r: Rng): { json: string; what: string } {
  let o: unknown;
  try {
    o = JSON.parse(raw);
  } catch {
    return { json: raw.slice(0, raw.length >> 1), what: 'already not JSON, now cut in half' };
  }
  if (r.chance(0.1)) {
    const [what, json] = r.pick([
      ['cut in half', raw.slice(0, raw.length >> 1)],
      ['"oops" after the opening brace', `{oops${raw.slice(1)}`],
      ['an extra closing brace', `${raw}}`],
      ['10000 nested arrays in a new field', `{"deep":${'['.repeat(10_000)}${']'.repeat(10_000)},${raw.slice(1)}`],
    ] as const);
    return { json, what };
  }
  const paths = jsonPaths(o).filter((p) => p.length > 0);
  if (!paths.length || !o || typeof o !== 'object')
    return { json: JSON.stringify(r.pick(WRONG_VALUES)), what: 'the whole object replaced by a non-object' };
  const p = r.pick(paths);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- walks whatever JSON.parse gave, by a path known to exist
  const parent = p.slice(0, -1).reduce<any>((x, k) => x[k], o);
  const key = p[p.length - 1];
  const old: unknown = parent[key];
  const name = p
    .map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`))
    .join('')
    .slice(1);
  const how = r.pick(['wrong type', 'wrong type', 'delete', 'edit', '__proto__'] as const);
  if (how === 'delete') {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key];
    return { json: JSON.stringify(o), what: `${name} deleted` };
  }
  if (how === '__proto__') {
    // An own "__proto__" property, as JSON.parse would create it from the text.
    Object.defineProperty(parent, '__proto__', { value: old, enumerable: true, configurable: true, writable: true });
    return { json: JSON.stringify(o), what: `"__proto__" added next to ${name}` };
  }
  let value: unknown = r.pick(WRONG_VALUES);
  if (how === 'edit' && typeof old === 'number') value = r.pick([old + 1, old - 1, -old, old * 1000, old + 0.5]);
  if (how === 'edit' && typeof old === 'string')
    value = r.pick([old.slice(0, old.length >> 1), old.toUpperCase(), `${old}\r\n`, old.replace(/<\/?[A-Za-z]+/, '<Other'), old.repeat(2)]);
  parent[key] = value;
  return { json: JSON.stringify(o), what: `${name}: ${JSON.stringify(value).slice(0, 60)} (was ${JSON.stringify(old)?.slice(0, 40)})` };
}

/** Makes no dial plan host the marker's pool any more, so KST003 fires and offers its restore fix. */
function unhost(d: Draft, r: Rng): string {
  if (r.chance(0.5)) {
    const had = d.files.length;
    d.files = d.files.filter((f) => !(isJson(f) || /UMDialPlan/.test(f.text)));
    return `dial-plan files dropped (${had - d.files.length})`;
  }
  for (const f of d.files) f.text = f.text.replace(/"SipName"/g, '"TelExtn"').replace(/<ToString>SipName</g, '<ToString>TelExtn<');
  return 'SipName dial plans made TelExtn';
}

const workspace: Mutator[] = [
  {
    name: 'drop-file',
    stage: 'workspace',
    weight: 1,
    apply: (d, r) => {
      if (d.files.length < 2) return undefined;
      const f = r.pick(d.files);
      d.files = d.files.filter((x) => x !== f);
      return `${f.path}: dropped from the workspace`;
    },
  },
  {
    name: 'copy-file',
    stage: 'workspace',
    weight: 1,
    apply: (d, r) => {
      const f = r.pick(d.files);
      const copy = freePath(d, f.path.replace(/([^/]*)$/, 'copy-of-$1'));
      d.files.push({ ...f, path: copy });
      return `${f.path}: copied as ${copy}`;
    },
  },
  {
    name: 'rename-file',
    stage: 'workspace',
    weight: 1,
    apply: (d, r) => {
      const f = r.pick(d.files);
      const ext = r.pick(['.json', '.txt', '.ps1', '.xml', '.umdialplans.json', '.clixml', '']);
      const was = f.path;
      const renamed = f.path.replace(/(\.umdialplans)?\.[^./]*$/, '') + ext;
      if (renamed === was) return undefined;
      f.path = freePath(d, renamed);
      return `${was}: renamed ${f.path}`;
    },
  },
  {
    name: 'add-empty-file',
    stage: 'workspace',
    weight: 1,
    apply: (d, r) => {
      const p = freePath(d, r.pick(['empty.xml', 'empty.umdialplans.json', 'empty.ps1', 'empty.tbxml']));
      d.files.push({ path: p, text: r.pick(['', ' ', '\n', '\ufeff']) });
      return `${p}: added, empty`;
    },
  },
];

const encoding: Mutator[] = [
  {
    name: 'reencode',
    stage: 'encoding',
    weight: 6,
    apply: (d, r) => {
      const f = pickFile(d, r, (x) => x.encoding === undefined);
      if (!f) return undefined;
      f.encoding = r.pick(['UTF-8 BOM', 'UTF-16LE BOM', 'UTF-16BE BOM', 'UTF-16LE', 'UTF-16BE', 'Windows-1252'] as const);
      return `${f.path}: written as ${f.encoding}`;
    },
  },
];

/** Replaces one file's bytes (byte mutators run after `materialise`, so every file has them). */
function onBytes(d: Draft, r: Rng, edit: (b: Buffer) => { bytes: Buffer; what: string } | undefined): string | undefined {
  const f = r.pick(d.files);
  const e = edit(f.bytes!);
  if (!e) return undefined;
  f.bytes = e.bytes;
  return `${f.path}: ${e.what}`;
}

function randomBuffer(r: Rng, n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = r.int(0, 255);
  return b;
}

const bytes: Mutator[] = [
  {
    name: 'random-bytes',
    stage: 'bytes',
    weight: 4,
    apply: (d, r) =>
      onBytes(d, r, (b) => {
        if (r.chance(0.5)) {
          const out = Buffer.from(b);
          const at: number[] = [];
          for (let n = r.int(1, 16); n > 0 && out.length; n--) {
            const i = r.int(0, out.length - 1);
            out[i] = r.int(0, 255);
            at.push(i);
          }
          return { bytes: out, what: `overwrote bytes at ${at.join(', ')} with random values` };
        }
        const i = r.int(0, b.length);
        const junk = randomBuffer(r, r.size(4096));
        return { bytes: Buffer.concat([b.subarray(0, i), junk, b.subarray(i)]), what: `inserted ${junk.length} random bytes at byte ${i}` };
      }),
  },
  {
    name: 'byte-truncate',
    stage: 'bytes',
    weight: 3,
    apply: (d, r) =>
      onBytes(d, r, (b) => {
        const high: number[] = [];
        for (let i = 0; i < Math.min(b.length, 1 << 20); i++) if (b[i] >= 0x80) high.push(i);
        const where =
          high.length && r.chance(0.4)
            ? 'inside a multi-byte sequence'
            : r.chance(0.3)
              ? 'last byte dropped (odd UTF-16 length)'
              : 'anywhere';
        const at =
          where === 'inside a multi-byte sequence'
            ? r.pick(high) + 1
            : where === 'anywhere'
              ? r.int(0, b.length)
              : Math.max(0, b.length - 1);
        return { bytes: b.subarray(0, Math.min(at, b.length)), what: `truncated at byte ${at} of ${b.length}, ${where}` };
      }),
  },
  {
    name: 'cp1252-bytes',
    stage: 'bytes',
    weight: 3,
    apply: (d, r) =>
      onBytes(d, r, (b) => {
        // Inside attribute values where possible: `="` in ASCII-compatible bytes.
        const quotes: number[] = [];
        for (let i = b.indexOf('="'); i >= 0 && quotes.length < 10_000; i = b.indexOf('="', i + 2)) quotes.push(i + 2);
        const parts: Buffer[] = [];
        let last = 0;
        const at = Array.from({ length: r.int(1, 8) }, () => (quotes.length ? r.pick(quotes) : r.int(0, b.length))).sort((x, y) => x - y);
        const added: string[] = [];
        for (const i of at) {
          const v = r.int(0x80, 0x9f);
          parts.push(b.subarray(last, i), Buffer.from([v]));
          added.push(`0x${v.toString(16)}@${i}`);
          last = i;
        }
        parts.push(b.subarray(last));
        return { bytes: Buffer.concat(parts), what: `inserted Windows-1252 bytes ${added.join(', ')}` };
      }),
  },
  {
    name: 'invalid-utf8',
    stage: 'bytes',
    weight: 2,
    apply: (d, r) =>
      onBytes(d, r, (b) => {
        const [label, seq] = r.pick([
          ['CESU-8 surrogate ED A0 80', [0xed, 0xa0, 0x80]],
          ['overlong C0 AF', [0xc0, 0xaf]],
          ['F8 88 80 80 80', [0xf8, 0x88, 0x80, 0x80, 0x80]],
          ['lone continuation 80', [0x80]],
          ['FF FE mid-file', [0xff, 0xfe]],
        ] as const);
        const i = r.int(0, b.length);
        return { bytes: Buffer.concat([b.subarray(0, i), Buffer.from(seq), b.subarray(i)]), what: `inserted ${label} at byte ${i}` };
      }),
  },
  {
    name: 'bom-mismatch',
    stage: 'bytes',
    weight: 2,
    apply: (d, r) =>
      onBytes(d, r, (b) => {
        const [label, bom] = r.pick([
          ['UTF-8 BOM', [0xef, 0xbb, 0xbf]],
          ['UTF-16LE BOM', [0xff, 0xfe]],
          ['UTF-16BE BOM', [0xfe, 0xff]],
          ['UTF-32LE BOM', [0xff, 0xfe, 0, 0]],
          ['two UTF-8 BOMs', [0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf]],
        ] as const);
        return { bytes: Buffer.concat([Buffer.from(bom), b]), what: `${label} put before the existing bytes` };
      }),
  },
  {
    name: 'add-random-file',
    stage: 'bytes',
    weight: 1,
    apply: (d, r) => {
      const p = freePath(d, r.pick(['junk.xml', 'junk.umdialplans.json', 'junk.ps1']));
      const n = r.size(65536);
      d.files.push({ path: p, text: '', bytes: randomBuffer(r, n) });
      return `${p}: added, ${n} random bytes`;
    },
  },
];

const MUTATORS: Mutator[] = [...text, ...xml, ...json, ...ps, ...marker, ...workspace, ...encoding, ...bytes];
const TOTAL_WEIGHT = MUTATORS.reduce((s, m) => s + m.weight, 0);
