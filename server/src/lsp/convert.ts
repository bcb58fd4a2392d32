import {
  CodeAction,
  CodeActionKind,
  Diagnostic,
  DiagnosticRelatedInformation,
  DiagnosticSeverity,
  DiagnosticTag,
  Location,
  Range,
  TextDocumentEdit,
  WorkspaceEdit,
} from 'vscode-languageserver';
import { Finding, Severity } from '../rules/finding';
import { Fix } from '../fixes/model';
import { docsUrl } from '../rules/catalogue';
import { Span } from '../text/source';
import { SERVER_COMMANDS } from './protocol';

export const SOURCE = 'lync-kst';

/** Positions are UTF-16 columns in the engine already (text/lines.ts), as LSP wants them. */
export function toRange(s: Span): Range {
  return { start: s.file.lines.positionAt(s.start), end: s.file.lines.positionAt(s.end) };
}

function toLocation(s: Span): Location {
  return { uri: s.file.path, range: toRange(s) };
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** What a diagnostic carries to a later code-action request: the engine's fix ids. */
export interface DiagnosticData {
  fixes: string[];
}

export function toDiagnostic(f: Finding, relatedSupport: boolean): Diagnostic {
  const d: Diagnostic = {
    range: toRange(f.span),
    severity: SEVERITY[f.severity],
    source: SOURCE,
    code: f.code,
    codeDescription: { href: docsUrl(f.code) },
    message: f.message,
    data: { fixes: f.fixes } satisfies DiagnosticData,
  };
  // FILE001 marks a file nobody looked into: shown faded, as the file is, rather than as a defect in it.
  if (f.code === 'FILE001') d.tags = [DiagnosticTag.Unnecessary];
  if (f.related.length > 0) {
    const related: DiagnosticRelatedInformation[] = f.related.map((r) => ({ location: toLocation(r.span), message: r.message }));
    if (relatedSupport) d.relatedInformation = related;
    else
      d.message += related
        .map((r) => `\n  see ${r.location.uri}:${r.location.range.start.line + 1}:${r.location.range.start.character + 1}: ${r.message}`)
        .join('');
  }
  return d;
}

/**
 * An engine fix as a quick fix. Edits are pinned to the document versions they were computed
 * for, so a client refuses them once the text moved on instead of corrupting it.
 */
export function toCodeAction(
  fix: Fix,
  diagnostics: Diagnostic[],
  versionOf: (uri: string) => number | null,
  display: (uri: string) => string,
): CodeAction {
  const documentChanges: TextDocumentEdit[] = fix.changes.map((c) => ({
    textDocument: { uri: c.file.path, version: versionOf(c.file.path) },
    edits: c.edits.map((e) => ({ range: toRange({ file: c.file, start: e.start, end: e.end }), newText: e.newText })),
  }));
  const edit: WorkspaceEdit = { documentChanges };
  return {
    title: fix.title,
    kind: CodeActionKind.QuickFix,
    diagnostics,
    isPreferred: fix.preferred,
    edit,
    command: { title: 'Say what the fix changed', command: SERVER_COMMANDS.fixApplied, arguments: [fixMessage(fix, display)] },
  };
}

/** The message shown once a fix is applied: what changed (with Option 1's caveat), files named as the user sees them. */
function fixMessage(fix: Fix, display: (uri: string) => string): string {
  let text = fix.summary;
  for (const c of fix.changes) text = text.split(c.file.path).join(display(c.file.path));
  return `lync-kst: ${text}.`;
}
