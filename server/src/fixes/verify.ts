import { encode, describeEncoding } from '../text/encoding';
import { SourceFile } from '../text/source';
import { Input, isInput, readInput } from '../readers/registry';
import { applyEdits } from './edits';
import { EditIntent, TextEdit } from './model';
import { OutlineNode } from '../model/outline';

/**
 * Why the edits must not be written to `file`, or undefined when they do exactly what `intent`
 * says. Checked by structure, not only by "it still parses": the result must be the same kind
 * of document with the same root, the nodes the fix removes must be exactly the ones it means
 * to remove, what it adds exactly what it means to add (and where), and every other node must
 * be unchanged, apart from the values it means to change.
 */
export function editProblem(file: SourceFile, edits: TextEdit[], intent: EditIntent): string | undefined {
  return checkEdit(file, edits, intent).problem;
}

/** The file as the edits leave it, and why it must not be written (undefined when it may). */
export function checkEdit(file: SourceFile, edits: TextEdit[], intent: EditIntent): { after: SourceFile; problem?: string } {
  const after = file.withText(applyEdits(file.text, edits));
  const problem = (p: string) => ({ after, problem: p });
  if (encode(after.text, file.encoding) === undefined)
    return problem(`the result cannot be written in ${describeEncoding(file.encoding)} without changing characters`);
  const a = readInput(after);
  const b = readInput(file);
  if (a.kind !== b.kind) return problem('the result would no longer be the same kind of file');
  const before = outlineOf(b);
  if (!before) return problem('lync-kst could not read it completely, so it is not rewritten');
  const now = outlineOf(a);
  if (!now) return problem(`the result would not be well-formed${errorOf(a) ? ` (${errorOf(a)})` : ''}`);
  const why = compare(file, after, before, now, edits, intent);
  return why ? problem(why) : { after };
}

function outlineOf(input: Input): OutlineNode[] | undefined {
  return isInput(input) ? input.reader.outline(input) : undefined;
}

function errorOf(input: Input): string | undefined {
  return isInput(input) ? input.error?.message : undefined;
}

function compare(
  file: SourceFile,
  after: SourceFile,
  before: OutlineNode[],
  now: OutlineNode[],
  edits: TextEdit[],
  intent: EditIntent,
): string | undefined {
  const sorted = [...edits].sort((x, y) => x.start - y.start);
  // A value rewritten in place may be a whole node (a script's bare number): it is changed, not removed and added.
  const changeAt = new Set(intent.changes.map((c) => `${c.start}:${c.end}`));
  const isChange = (e: TextEdit) => changeAt.has(`${e.start}:${e.end}`);
  // Where each edit's new text lands in the result.
  let shift = 0;
  const inserted = sorted.map((e) => {
    const at = e.start + shift;
    shift += e.newText.length - (e.end - e.start);
    return { start: at, end: at + e.newText.length, text: e.newText, change: isChange(e) };
  });
  const line = (f: SourceFile, offset: number) => f.lines.positionAt(offset).line + 1;

  const removed = within(
    before,
    sorted.filter((e) => e.end > e.start && !isChange(e)),
  );
  const meant = within(before, intent.removes);
  for (const n of removed) {
    if (!meant.has(n)) return `it would also remove ${n.name} on line ${line(file, n.start)}, which it does not mean to`;
  }
  for (const n of meant) {
    if (!removed.has(n)) return `it would not remove ${n.name} on line ${line(file, n.start)}, which it means to`;
  }
  const empty = emptyRange(before, intent.removes);
  if (empty) return `what it means to remove on line ${line(file, empty.start)} is not a whole element or statement`;

  const added = within(
    now,
    inserted.filter((i) => i.end > i.start && !i.change),
  );
  for (const n of roots(now, added)) {
    const from = inserted.find((i) => i.start <= n.start && n.end <= i.end);
    const want = from && intent.inserts.find((x) => x.text === from.text);
    if (!want) return `it would add ${n.name} on line ${line(after, n.start)}, which it does not mean to`;
    if (want.parent !== undefined && n.parentLocal !== want.parent)
      return `it would put ${n.name} into <${n.parentLocal ?? 'no element'}> instead of <${want.parent}> (line ${line(after, n.start)})`;
  }

  const changes = [...intent.changes].sort((a, b) => a.start - b.start);
  const keptBefore = before.filter((n) => !removed.has(n));
  const keptNow = now.filter((n) => !added.has(n));
  for (let i = 0; i < Math.max(keptBefore.length, keptNow.length); i++) {
    const x = keptBefore[i];
    const y = keptNow[i];
    if (!x || !y) return `the result would have ${keptNow.length > keptBefore.length ? 'more' : 'fewer'} elements than it means to`;
    if (x.depth !== y.depth) return `it would move ${x.name} on line ${line(file, x.start)} to another place in the document`;
    if (x.label === y.label) continue;
    if (!containsChange(changes, x)) return `it would also change ${x.name} on line ${line(file, x.start)}, which it does not mean to`;
  }
  return undefined;
}

/** Nodes lying wholly inside one of the ranges (non-overlapping); nodes come in preorder, so by start. */
function within(nodes: OutlineNode[], ranges: { start: number; end: number }[]): Set<OutlineNode> {
  const out = new Set<OutlineNode>();
  if (ranges.length === 0) return out;
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  let k = -1;
  for (const n of nodes) {
    while (k + 1 < sorted.length && sorted[k + 1].start <= n.start) k++;
    if (k >= 0 && n.end <= sorted[k].end) out.add(n);
  }
  return out;
}

/** A declared range that holds no whole node, if any (ranges do not overlap; nodes come by start). */
function emptyRange(nodes: OutlineNode[], ranges: { start: number; end: number }[]): { start: number; end: number } | undefined {
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  const hit = new Set<number>();
  let k = -1;
  for (const n of nodes) {
    while (k + 1 < sorted.length && sorted[k + 1].start <= n.start) k++;
    if (k >= 0 && n.end <= sorted[k].end) hit.add(k);
  }
  return sorted.find((_, i) => !hit.has(i));
}

/** Whether one of the changes (sorted by start) lies inside the node's own part. */
function containsChange(changes: { start: number; end: number }[], x: OutlineNode): boolean {
  let lo = 0;
  let hi = changes.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (changes[mid].start < x.ownStart) lo = mid + 1;
    else hi = mid;
  }
  const c = changes[lo];
  return !!c && c.end <= x.ownEnd;
}

/** The members of `set` whose parent is not in it (outline order is preorder, so the parent is the last shallower node). */
function roots(nodes: OutlineNode[], set: Set<OutlineNode>): OutlineNode[] {
  const out: OutlineNode[] = [];
  const path: OutlineNode[] = [];
  for (const n of nodes) {
    path.length = n.depth;
    const parent = path[n.depth - 1];
    if (set.has(n) && !(parent && set.has(parent))) out.push(n);
    path[n.depth] = n;
  }
  return out;
}
