import {
  CodeLens,
  CompletionItem,
  CompletionItemKind,
  DocumentSymbol,
  Location,
  LocationLink,
  Position,
  Range,
  SymbolInformation,
  SymbolKind,
  WorkspaceEdit,
} from 'vscode-languageserver';
import { completionsAt } from '../../navigate/completion';
import { definitionAt, referencesAt } from '../../navigate/index';
import { lensesIn } from '../../navigate/lenses';
import { prepareRename, renameAt } from '../../navigate/rename';
import { documentSymbols, SymbolKind as Kind, SymbolNode, workspaceSymbols } from '../../navigate/symbols';
import { kstReport } from '../../simulate/report';
import { Span } from '../../text/source';
import { Analysis } from '../../workspace/analyze';
import { PositionCodec, PositionEncoding } from '../positions';
import { ranges } from '../snapshot';

/** A navigation request, answered on the analysis thread from the analysis of the text as it is. */
export type NavQuery =
  | { kind: 'symbols'; uri: string }
  | { kind: 'workspaceSymbols'; query: string }
  | { kind: 'definition'; uri: string; position: Position }
  | { kind: 'references'; uri: string; position: Position }
  | { kind: 'lenses'; uri: string }
  | { kind: 'prepareRename'; uri: string; position: Position }
  | { kind: 'rename'; uri: string; position: Position; newName: string }
  | { kind: 'completion'; uri: string; position: Position }
  /** The KST view's text (what `lync-kst kst` prints), with the restart sequence or without. */
  | { kind: 'kstView'; restart: boolean };

const KINDS: Record<Kind, SymbolKind> = {
  site: SymbolKind.Namespace,
  pool: SymbolKind.Class,
  trustedPool: SymbolKind.Interface,
  machine: SymbolKind.Object,
  service: SymbolKind.Method,
  sql: SymbolKind.Struct,
  dialPlan: SymbolKind.Module,
  server: SymbolKind.Object,
  command: SymbolKind.Function,
  event: SymbolKind.Event,
};

export const RENAME_ANNOTATION = 'lync-kst.rename';

/** Answers a query in LSP terms, in the negotiated position encoding; `{ problem }` for a rename that cannot be made. */
export interface AnswerOptions {
  encoding: PositionEncoding;
  /** A file's key as the KST view shows it (relative to its workspace folder). */
  display(key: string): string;
  /** The command a code lens runs (the KST view at an FQDN). */
  showTable: string;
  /** The client takes versioned document edits with change annotations. */
  documentChanges: boolean;
  versionOf(key: string): number | null;
}

export function answer(analysis: Analysis, q: NavQuery, o: AnswerOptions): unknown {
  const { encoding, showTable } = o;
  const range = ranges(encoding);
  const location = (s: Span): Location => ({ uri: s.file.path, range: range(s) });
  const offsetOf = (uri: string, p: Position): number | undefined => {
    const file = analysis.inputs.find((i) => i.file.path === uri)?.file;
    return file ? new PositionCodec(file.text, file.lines, encoding).offset(p) : undefined;
  };
  const symbol = (n: SymbolNode): DocumentSymbol => ({
    name: n.name || '(unnamed)',
    ...(n.detail ? { detail: n.detail } : {}),
    kind: KINDS[n.kind],
    range: range(n.span),
    selectionRange: contained(range(n.selection), range(n.span)),
    children: n.children.map(symbol),
  });
  switch (q.kind) {
    case 'kstView':
      return { text: kstReport(analysis, q.restart, o.display) };
    case 'symbols':
      return documentSymbols(analysis, q.uri).map(symbol);
    case 'workspaceSymbols':
      return workspaceSymbols(analysis, q.query).map((s): SymbolInformation => ({
        name: s.name,
        kind: KINDS[s.kind],
        location: location(s.at),
      }));
    case 'lenses':
      return lensesIn(analysis, q.uri).map((l): CodeLens => ({
        range: range(l.at),
        command: { title: l.title, command: showTable, arguments: [l.fqdn] },
      }));
    case 'completion': {
      const offset = offsetOf(q.uri, q.position);
      const file = analysis.inputs.find((i) => i.file.path === q.uri)?.file;
      if (offset === undefined || !file) return [];
      return completionsAt(analysis, file.text, offset).map((c): CompletionItem => ({
        label: c.label,
        ...(c.detail ? { detail: c.detail } : {}),
        kind:
          c.kind === 'parameter'
            ? CompletionItemKind.Property
            : c.kind === 'fqdn'
              ? CompletionItemKind.Reference
              : CompletionItemKind.EnumMember,
        textEdit: { range: range({ file, start: c.start, end: c.end }), newText: c.label },
      }));
    }
  }
  const offset = offsetOf(q.uri, q.position);
  if (offset === undefined) return null;
  switch (q.kind) {
    case 'definition': {
      const d = definitionAt(analysis, q.uri, offset);
      return d
        ? d.targets.map((t): LocationLink => ({
            originSelectionRange: range(d.from),
            targetUri: t.element.file.path,
            targetRange: range(t.element),
            targetSelectionRange: contained(range(t.selection), range(t.element)),
          }))
        : null;
    }
    case 'references':
      return referencesAt(analysis, q.uri, offset).map(location);
    case 'prepareRename': {
      const t = prepareRename(analysis, q.uri, offset);
      return t ? { range: range(t.span), placeholder: t.value } : null;
    }
    case 'rename': {
      const r = renameAt(analysis, q.uri, offset, q.newName);
      if (typeof r === 'string') return { problem: r };
      const label = `Rename in ${r.edits.size} file(s), ${r.occurrences} place(s)${r.conflict ? `: ${r.conflict}` : ''}`;
      const files = [...r.edits].map(([file, edits]) => ({
        uri: file.path,
        edits: edits.map((e) => ({ range: range({ file, start: e.start, end: e.end }), newText: e.newText })),
      }));
      const edit: WorkspaceEdit = o.documentChanges
        ? {
            documentChanges: files.map((f) => ({
              textDocument: { uri: f.uri, version: o.versionOf(f.uri) },
              edits: f.edits.map((e) => ({ ...e, annotationId: RENAME_ANNOTATION })),
            })),
            changeAnnotations: { [RENAME_ANNOTATION]: { label, needsConfirmation: r.conflict !== undefined } },
          }
        : { changes: Object.fromEntries(files.map((f) => [f.uri, f.edits])) };
      return edit;
    }
  }
}

/** A selection range the client accepts: inside the whole range. */
function contained(selection: Range, whole: Range): Range {
  const before = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.character < b.character);
  return before(selection.start, whole.start) || before(whole.end, selection.end) ? { start: whole.start, end: whole.start } : selection;
}
