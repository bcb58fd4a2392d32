import { SourceFile, Span, span } from '../text/source';
import type { Code } from './catalogue';

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
  // Rules keep their messages short by construction (listed, shown); this is the backstop that keeps output linear.
  const text = message.length <= MAX_MESSAGE ? message : `${message.slice(0, MAX_MESSAGE - 1)}…`;
  return { code, severity, message: text, span, related: related.length <= MAX_RELATED ? related : related.slice(0, MAX_RELATED), fixes: [] };
}

const MAX_MESSAGE = 2000;

/** INT001: a part of lync-kst failed; what it would have reported is missing, and the result says so. */
export function internalError(file: SourceFile, what: string, e: unknown): Finding {
  const detail = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return finding('INT001', 'error', span(file, 0, 0), `lync-kst failed while ${what} (${detail.slice(0, 300)}). What that part would have reported is missing, so this result is incomplete. Please report it with the file that caused it.`);
}

/** At most this many names are listed in a message; the rest are counted, so output stays linear in the input. */
export const LISTED = 5;
/** Related locations per finding; the message says how many more there are. */
export const MAX_RELATED = 20;

/** "a, b, c, d, e and 9,995 more" */
export function listed(items: readonly string[], max = LISTED): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} and ${(items.length - max).toLocaleString('en-US')} more`;
}

/** A value read from a file, as a message quotes it: a 10 MB attribute is not repeated in full. */
export function shown(value: string, max = 120): string {
  return value.length <= max ? value : `${value.slice(0, max - 1)}… (${value.length.toLocaleString('en-US')} characters)`;
}
