/**
 * The language server's open documents: positions in each encoding, incremental changes as the
 * client sends them, and moving what an older analysis found onto the newer text. Seeded property
 * tests over random texts (with characters outside the BMP) and random edits, beside a few cases.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { mapBack, mapSpan, OpenDocuments } from '../server/src/lsp/documents';
import { PositionCodec, PositionEncoding } from '../server/src/lsp/positions';
import { LineIndex } from '../server/src/text/lines';
import { PieceText } from '../server/src/text/piecewise';
import { mulberry32 as random } from './random';

const PIECES = ['a', 'Z', ' ', '\n', '\r\n', 'é', '€', '😀', '𝄞', 'ex1.contoso.com', '<x/>', '\t'];

function text(r: () => number, n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += PIECES[Math.floor(r() * PIECES.length)];
  return out;
}

/** Offsets a position can name: not inside a surrogate pair, not between the CR and LF of a line break. */
function boundaries(t: string): number[] {
  const out: number[] = [];
  for (let i = 0; i <= t.length; i++) {
    const c = t.charCodeAt(i - 1);
    if (c >= 0xd800 && c <= 0xdbff) continue;
    if (c === 13 && t.charCodeAt(i) === 10) continue;
    out.push(i);
  }
  return out;
}

function utf8Column(line: string): number {
  return Buffer.byteLength(line, 'utf8');
}

describe('positions in every encoding', () => {
  test('UTF-8 and UTF-32 columns of a line with 😀 and é', () => {
    const t = 'é😀x';
    const lines = new LineIndex(t);
    assert.deepEqual(new PositionCodec(t, lines, 'utf-8').position(t.length), { line: 0, character: 2 + 4 + 1 });
    assert.deepEqual(new PositionCodec(t, lines, 'utf-32').position(t.length), { line: 0, character: 3 });
    assert.deepEqual(new PositionCodec(t, lines, 'utf-16').position(t.length), { line: 0, character: 4 });
    assert.equal(new PositionCodec(t, lines, 'utf-8').offset({ line: 0, character: 6 }), 3, 'byte 6 is after 😀');
    assert.equal(new PositionCodec(t, lines, 'utf-8').offset({ line: 0, character: 4 }), 1, 'inside 😀: the boundary before it');
    assert.equal(new PositionCodec(t, lines, 'utf-8').offset({ line: 0, character: 99 }), 4, 'past the end: the end of the line');
  });

  test('random texts: offset(position(o)) is o at every character boundary, in each encoding (seeds 1-60)', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const r = random(seed);
      const t = text(r, 1 + Math.floor(r() * 80));
      const lines = new LineIndex(t);
      for (const encoding of ['utf-16', 'utf-8', 'utf-32'] as PositionEncoding[]) {
        const codec = new PositionCodec(t, lines, encoding);
        for (const o of boundaries(t)) {
          const p = codec.position(o);
          assert.equal(codec.offset(p), o, `seed ${seed}, ${encoding}, offset ${o}`);
          if (encoding === 'utf-8') {
            const lineStart = lines.offsetAt({ line: p.line, character: 0 });
            assert.equal(p.character, utf8Column(t.slice(lineStart, o)), `seed ${seed}: UTF-8 column at ${o}`);
          }
        }
      }
    }
  });
});

describe('incremental changes and moving findings onto newer text', () => {
  test('a text kept as pieces reads as the same string after random edits, whole and in slices (seeds 1-200)', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const r = random(seed);
      let expected = text(r, 1 + Math.floor(r() * 30));
      let pieces = PieceText.of(expected);
      for (let k = 0; k < 1 + Math.floor(r() * 400); k++) {
        const x = Math.floor(r() * (expected.length + 1));
        const y = Math.floor(r() * (expected.length + 1));
        const [start, end] = [Math.min(x, y), Math.max(x, y)];
        const inserted = r() < 0.3 ? '' : text(r, 1 + Math.floor(r() * 3));
        expected = expected.slice(0, start) + inserted + expected.slice(end);
        pieces = pieces.edit(start, end, inserted);
        assert.equal(pieces.length, expected.length, `seed ${seed}, edit ${k}`);
        const a = Math.floor(r() * (expected.length + 1));
        const b = a + Math.floor(r() * (expected.length - a + 1));
        assert.equal(pieces.slice(a, b), expected.slice(a, b), `seed ${seed}, edit ${k}, slice ${a}-${b}`);
      }
      assert.equal(pieces.toString(), expected, `seed ${seed}`);
    }
  });

  test('the line index after an edit is the one built from scratch, with CR, LF and CRLF on both sides of the edit (seeds 1-300)', () => {
    const breaks = ['\r', '\n', '\r\n', 'a', 'b'];
    const pick = (r: () => number, n: number) => Array.from({ length: n }, () => breaks[Math.floor(r() * breaks.length)]).join('');
    for (let seed = 1; seed <= 300; seed++) {
      const r = random(seed);
      let t = pick(r, 1 + Math.floor(r() * 20));
      let index = new LineIndex(t);
      for (let k = 0; k < 5; k++) {
        const x = Math.floor(r() * (t.length + 1));
        const y = Math.floor(r() * (t.length + 1));
        const [start, end] = [Math.min(x, y), Math.max(x, y)];
        const inserted = pick(r, Math.floor(r() * 4));
        t = t.slice(0, start) + inserted + t.slice(end);
        index = index.afterEdit(t, start, end, inserted.length);
        const fresh = new LineIndex(t);
        assert.equal(index.lineCount, fresh.lineCount, `seed ${seed}, edit ${k}: ${JSON.stringify(t)}`);
        for (let o = 0; o <= t.length; o++)
          assert.deepEqual(index.positionAt(o), fresh.positionAt(o), `seed ${seed}, edit ${k}, offset ${o}`);
      }
    }
  });

  test('random change sequences in UTF-16 give the text vscode-languageserver-textdocument gives (seeds 1-80)', () => {
    for (let seed = 1; seed <= 80; seed++) {
      const r = random(seed);
      let reference = TextDocument.create('file:///t.xml', 'xml', 1, text(r, 30));
      const docs = new OpenDocuments(() => 'utf-16');
      docs.open('file:///t.xml', 1, reference.getText());
      for (let v = 2; v < 12; v++) {
        const t = reference.getText();
        const b = boundaries(t);
        const x = b[Math.floor(r() * b.length)];
        const y = b[Math.floor(r() * b.length)];
        const range = { start: reference.positionAt(Math.min(x, y)), end: reference.positionAt(Math.max(x, y)) };
        const change = { range, text: text(r, Math.floor(r() * 4)) };
        reference = TextDocument.update(reference, [change], v);
        docs.change('file:///t.xml', v, [change]);
      }
      assert.equal(docs.get('file:///t.xml')?.text, reference.getText(), `seed ${seed}`);
    }
  });

  test('a span moved onto the newer text still holds its text, and is dropped only when an edit touched its inside (seeds 1-200)', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const r = random(seed);
      const before = text(r, 40);
      const docs = new OpenDocuments(() => 'utf-16');
      docs.open('file:///t', 1, before);
      const b = boundaries(before);
      const s0 = b[Math.floor(r() * b.length)];
      const e0 = b[Math.min(b.length - 1, b.indexOf(s0) + 1 + Math.floor(r() * 5))];
      let touched = false;
      let start = s0;
      let end = e0;
      for (let v = 2; v < 2 + 1 + Math.floor(r() * 5); v++) {
        const doc = docs.get('file:///t');
        assert.ok(doc);
        const bb = boundaries(doc.text);
        const x = bb[Math.floor(r() * bb.length)];
        const y = bb[Math.floor(r() * bb.length)];
        const from = Math.min(x, y);
        const to = Math.max(x, y);
        const inserted = text(r, Math.floor(r() * 3));
        // Inside means overlapping the span, or put strictly between its ends.
        if (from < end && to > start) touched = true;
        if (from === to && from > start && from < end) touched = true;
        if (!touched) {
          const d = inserted.length - (to - from);
          if (to <= start) {
            start += d;
            end += d;
          }
        }
        const lines = doc.lines;
        docs.change('file:///t', v, [{ range: { start: lines.positionAt(from), end: lines.positionAt(to) }, text: inserted }]);
      }
      const edits = docs.editsSince('file:///t', 1);
      assert.ok(edits, `seed ${seed}: the edits since version 1 are known`);
      const moved = mapSpan(s0, e0, edits);
      const now = docs.get('file:///t')?.text ?? '';
      if (touched) continue;
      assert.ok(moved, `seed ${seed}: an untouched span is moved, not dropped`);
      assert.deepEqual(moved, { start, end }, `seed ${seed}`);
      assert.equal(now.slice(moved.start, moved.end), before.slice(s0, e0), `seed ${seed}: the span still holds its text`);
      if (moved.end > moved.start) assert.equal(mapBack(moved.start, edits), s0, `seed ${seed}: and maps back`);
    }
  });

  test('edits before an analysis are forgotten once it arrives; older versions are then not mapped', () => {
    const docs = new OpenDocuments(() => 'utf-16');
    docs.open('file:///t', 1, 'abc');
    docs.change('file:///t', 2, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'x' }]);
    docs.change('file:///t', 3, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'y' }]);
    assert.equal(docs.editsSince('file:///t', 1)?.length, 2);
    docs.forgetUpTo('file:///t', 2);
    assert.equal(docs.editsSince('file:///t', 1), undefined, 'version 1 can no longer be mapped');
    assert.deepEqual(docs.editsSince('file:///t', 2), [{ start: 0, end: 0, length: 1 }]);
    assert.deepEqual(docs.editsSince('file:///t', 3), []);
  });
});
