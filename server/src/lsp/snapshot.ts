import { CodeAction, CodeActionKind, Diagnostic, Range, TextDocumentEdit, TextEdit, WorkspaceEdit } from 'vscode-languageserver';
import { pushAt } from '../collections';
import { restartExplanation } from '../explain/restart';
import { HoverIndex, hoverIndex } from '../explain/hover';
import { Fix } from '../fixes/model';
import { fingerprint } from './hash';
import { SourceFile, Span } from '../text/source';
import { Analysis } from '../workspace/analyze';
import { toDiagnostic } from './convert';
import { PositionCodec, PositionEncoding } from './positions';
import { SERVER_COMMANDS, StatusParams } from './protocol';

/** A fix as the main thread offers it before its edits exist: what it is and which files it touches. */
export interface FixSummary {
  id: string;
  code: string;
  title: string;
  preferred: boolean;
  uris: string[];
}

/**
 * One analysis as the language server's main thread needs it to answer requests while the next
 * one runs: plain data (it crosses from the analysis thread), with every position already in the
 * client's encoding and every offset tied to the text version it was computed for.
 */
export interface Snapshot {
  /** The last change the analysis includes (changes are numbered as the main thread sends them). */
  seq: number;
  /** Per file key, the version analysed: an open document's version, or null for the file on disk. */
  versions: Map<string, number | null>;
  /** Per file key analysed from disk, its text's fingerprint: a document opened since with the same text was analysed too. */
  fingerprints: Map<string, string>;
  diagnostics: Map<string, Diagnostic[]>;
  /** Per file key, each diagnostic's range as UTF-16 offsets into the text analysed: to move it onto newer text. */
  spans: Map<string, [number, number][]>;
  hovers: HoverIndex;
  fixes: Map<string, FixSummary>;
  /** Per file key, where KST001 findings are whose conflict involves Exchange UM (Option 2 helps there): UTF-16 offsets. */
  restartable: Map<string, number[]>;
  restartMessage: string;
  status: StatusParams;
}

export interface SnapshotContext {
  seq: number;
  versionOf(key: string): number | null;
  encoding: PositionEncoding;
  relatedInformation: boolean;
  display(key: string): string;
  status: StatusParams;
}

export function buildSnapshot(analysis: Analysis, c: SnapshotContext): Snapshot {
  const rangeOf = ranges(c.encoding);
  const diagnostics = new Map<string, Diagnostic[]>();
  const spans = new Map<string, [number, number][]>();
  for (const f of analysis.findings) {
    pushAt(diagnostics, f.span.file.path, toDiagnostic(f, c.relatedInformation, rangeOf));
    pushAt(spans, f.span.file.path, [f.span.start, f.span.end]);
  }
  const versions = new Map<string, number | null>();
  const fingerprints = new Map<string, string>();
  for (const input of analysis.inputs) {
    const v = c.versionOf(input.file.path);
    versions.set(input.file.path, v);
    if (v === null) fingerprints.set(input.file.path, fingerprintOf(input.file));
  }
  const fixes = new Map<string, FixSummary>();
  for (const [id, fix] of analysis.fixes) {
    fixes.set(id, { id, code: fix.code, title: fix.title, preferred: fix.preferred, uris: fix.files.map((f) => f.path) });
  }
  const restartable = new Map<string, number[]>();
  for (const conflict of analysis.kst.conflicts) {
    if (!conflict.entries.some((e) => e.origin.kind === 'umDialPlan')) continue;
    for (const e of conflict.entries) pushAt(restartable, e.token.span.file.path, e.token.span.start);
  }
  return {
    seq: c.seq,
    versions,
    fingerprints,
    diagnostics,
    spans,
    hovers: hoverIndex(analysis, c.display),
    fixes,
    restartable,
    restartMessage: restartExplanation(analysis.kst),
    status: c.status,
  };
}

const fingerprints = new WeakMap<SourceFile, string>();

/** Computed once per text: files on disk rarely change between analyses. */
function fingerprintOf(file: SourceFile): string {
  let f = fingerprints.get(file);
  if (!f) fingerprints.set(file, (f = fingerprint(file.text)));
  return f;
}

/** Span to LSP range in the client's encoding, one codec per file. */
export function ranges(encoding: PositionEncoding): (s: Span) => Range {
  const codecs = new WeakMap<SourceFile, PositionCodec>();
  return (s) => {
    let codec = codecs.get(s.file);
    if (!codec) codecs.set(s.file, (codec = new PositionCodec(s.file.text, s.file.lines, encoding)));
    return { start: codec.position(s.start), end: codec.position(s.end) };
  };
}

/** A fix's edits for the client: versioned document edits where it declares them, plain `changes` where it does not. */
export interface ResolvedFix {
  edit: WorkspaceEdit;
  /** The text versions the edits are for, by file key (null: the file on disk). */
  versions: Record<string, number | null>;
  /** What the fix changed, as the message after it is applied says it. */
  message: string;
  uris: string[];
}

export function resolveFix(
  fix: Fix,
  o: { encoding: PositionEncoding; documentChanges: boolean; versionOf(key: string): number | null; display(key: string): string },
): ResolvedFix {
  const rangeOf = ranges(o.encoding);
  const versions: Record<string, number | null> = {};
  const edits = fix.changes.map((c) => {
    versions[c.file.path] = o.versionOf(c.file.path);
    return {
      uri: c.file.path,
      edits: c.edits.map((e): TextEdit => ({ range: rangeOf({ file: c.file, start: e.start, end: e.end }), newText: e.newText })),
    };
  });
  const edit: WorkspaceEdit = o.documentChanges
    ? {
        documentChanges: edits.map((e): TextDocumentEdit => ({ textDocument: { uri: e.uri, version: versions[e.uri] }, edits: e.edits })),
      }
    : { changes: Object.fromEntries(edits.map((e) => [e.uri, e.edits])) };
  let message = fix.summary;
  for (const c of fix.changes) message = message.split(c.file.path).join(o.display(c.file.path));
  return { edit, versions, message: `lync-kst: ${message}.`, uris: edits.map((e) => e.uri) };
}

/** The quick fix a resolved fix becomes; after it is applied, the server says what changed and re-reads the files. */
export function fixAction(fix: FixSummary, diagnostics: Diagnostic[], resolved?: ResolvedFix): CodeAction {
  return {
    title: fix.title,
    kind: CodeActionKind.QuickFix,
    diagnostics,
    isPreferred: fix.preferred,
    ...(resolved
      ? {
          edit: resolved.edit,
          command: {
            title: 'Say what the fix changed',
            command: SERVER_COMMANDS.fixApplied,
            arguments: [resolved.message, resolved.uris],
          },
        }
      : {}),
  };
}
