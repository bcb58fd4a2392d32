/**
 * Table tests with the expected findings marked in the input text, as a reader sees them:
 * `⟦KST001 ex1.contoso.com⟧` says a KST001 finding covers exactly `ex1.contoso.com` there;
 * `⟦KST001+FQDN002 x⟧` two findings on one range; `⟦FILE003⟧` a finding at a point. A row
 * asserts the complete set of findings of its input, so a rule that starts firing elsewhere fails it.
 */
import { SourceFile } from '../server/src/text/source';
import { Analysis } from '../server/src/workspace/analyze';
import { Finding } from '../server/src/rules/finding';

const MARK = /⟦([A-Z]+\d{3}(?:\+[A-Z]+\d{3})*)(?: ([^⟧]*))?⟧/g;

export interface Marked {
  /** The texts with the marks taken out. */
  texts: Record<string, string>;
  /** Every expected finding as `file:line:col CODE «text»`, sorted. */
  expected: string[];
}

export function marked(spec: Record<string, string>): Marked {
  const texts: Record<string, string> = {};
  const expected: string[] = [];
  for (const [file, written] of Object.entries(spec)) {
    let text = '';
    let from = 0;
    const found: { code: string; start: number; end: number }[] = [];
    for (const m of written.matchAll(MARK)) {
      text += written.slice(from, m.index);
      const start = text.length;
      text += m[2] ?? '';
      for (const code of m[1].split('+')) found.push({ code, start, end: text.length });
      from = m.index + m[0].length;
    }
    text += written.slice(from);
    texts[file] = text;
    const f = new SourceFile(file, text);
    for (const x of found) expected.push(describe(f, x.code, x.start, x.end));
  }
  return { texts, expected: expected.sort() };
}

/** Every finding of an analysis, as `marked` writes the expected ones. */
export function seenAll(a: Analysis): string[] {
  return a.findings.map((f: Finding) => describe(f.span.file, f.code, f.span.start, f.span.end)).sort();
}

/** Wraps the first occurrence of `needle` after `after` in a mark for `codes`: for texts a helper generates. */
export function mark(text: string, codes: string, needle: string, after = ''): string {
  const at = text.indexOf(needle, text.indexOf(after) + after.length);
  if (at < 0 || text.indexOf(after) < 0) throw new Error(`no ${needle} after ${after}`);
  return `${text.slice(0, at)}⟦${codes} ${needle}⟧${text.slice(at + needle.length)}`;
}

function describe(file: SourceFile, code: string, start: number, end: number): string {
  const p = file.lines.positionAt(start);
  return `${file.path}:${p.line + 1}:${p.character + 1} ${code} «${file.text.slice(start, end)}»`;
}
