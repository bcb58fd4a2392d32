import { Fqdn, normFqdn } from '../model/fqdn';
import { readInput } from '../readers/registry';
import { diffKst } from '../simulate/diff';
import { applyEdits } from '../fixes/edits';
import { TextEdit } from '../fixes/model';
import { SourceFile, Token } from '../text/source';
import { Analysis, analyzeInputs } from '../workspace/analyze';
import { fqdnAt, navIndex } from './index';

const FQDN = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/i;

export function prepareRename(analysis: Analysis, key: string, offset: number): Token | undefined {
  return fqdnAt(navIndex(analysis), key, offset)?.token;
}

export interface Rename {
  edits: Map<SourceFile, TextEdit[]>;
  /** What the rename does to the KST, for its label: undefined when it changes no conflict. */
  conflict?: string;
  occurrences: number;
}

/**
 * Renames the server written at `offset` everywhere the workspace writes it (topologies,
 * .tbxml, dial plans, scripts), each occurrence in the case style it was written in, and
 * simulates the result so a rename that would create a conflict says so.
 */
export function renameAt(analysis: Analysis, key: string, offset: number, newName: string): Rename | string {
  const at = fqdnAt(navIndex(analysis), key, offset);
  if (!at) return 'no server name lync-kst can rename here';
  const name = newName.trim();
  if (!FQDN.test(name)) return `"${newName}" is not a fully qualified domain name`;
  const edits = new Map<SourceFile, TextEdit[]>();
  const tokens = navIndex(analysis).fqdns.get(at.fqdn) ?? [];
  for (const t of tokens) {
    const written = t.span.file.text.slice(t.span.start, t.span.end);
    const styled = written === written.toUpperCase() ? name.toUpperCase() : written === written.toLowerCase() ? name.toLowerCase() : name;
    const list = edits.get(t.span.file) ?? [];
    list.push({ start: t.span.start, end: t.span.end, newText: styled });
    edits.set(t.span.file, list);
  }
  const renamed = new Map([...edits].map(([f, e]) => [f, f.withText(applyEdits(f.text, e))]));
  const after = analyzeInputs(
    analysis.inputs.map((i) => (renamed.has(i.file) ? readInput(renamed.get(i.file) as SourceFile) : i)),
    { assumedVersion: analysis.assumedVersion },
  );
  const d = diffKst(analysis.kst, after.kst);
  const to = normFqdn(name) as Fqdn;
  const appears = d.conflictsAppear.find((c) => c.fqdn === to);
  return {
    edits,
    occurrences: tokens.length,
    ...(appears ? { conflict: `creates a KST conflict: ${to} with versions ${appears.versions.join(' and ')} (14563)` } : {}),
  };
}
