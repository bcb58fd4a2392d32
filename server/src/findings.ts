import { Span } from './text/source';
import type { Code } from './rules/catalogue';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface RelatedInfo {
  span: Span;
  message: string;
}

/** One diagnostic as the engine reports it; the CLI and the language server only render it. */
export interface Finding {
  code: Code;
  severity: Severity;
  message: string;
  span: Span;
  related: RelatedInfo[];
  /** Ids of fixes (see `fixes/`) that resolve this finding, preferred one first. */
  fixes: string[];
}

export function finding(code: Code, severity: Severity, span: Span, message: string, related: RelatedInfo[] = []): Finding {
  return { code, severity, message, span, related, fixes: [] };
}
