import { Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, DiagnosticTag, Range } from 'vscode-languageserver';
import { Finding, Severity } from '../rules/finding';
import { docsUrl } from '../rules/catalogue';
import { Span } from '../text/source';

export const SOURCE = 'lync-kst';

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

/** A finding as an LSP diagnostic, its ranges in the client's position encoding (`rangeOf`). */
export function toDiagnostic(f: Finding, relatedSupport: boolean, rangeOf: (s: Span) => Range): Diagnostic {
  const d: Diagnostic = {
    range: rangeOf(f.span),
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
    const related: DiagnosticRelatedInformation[] = f.related.map((r) => ({
      location: { uri: r.span.file.path, range: rangeOf(r.span) },
      message: r.message,
    }));
    if (relatedSupport) d.relatedInformation = related;
    else
      d.message += related
        .map((r) => `\n  see ${r.location.uri}:${r.location.range.start.line + 1}:${r.location.range.start.character + 1}: ${r.message}`)
        .join('');
  }
  return d;
}
