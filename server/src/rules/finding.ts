import { Span } from '../text/source';
import type { Rule } from './rule';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface RelatedInfo {
  span: Span;
  message: string;
}

/** One diagnostic as the engine reports it; the CLI and the language server only render it. */
export interface Finding {
  code: string;
  severity: Severity;
  message: string;
  span: Span;
  related: RelatedInfo[];
  /** Ids of fixes (see `fixes/`) that resolve this finding, preferred one first. */
  fixes: string[];
}

/** A finding of `rule`: its code, its default severity and its message, from the rule. */
export function finding<A>(rule: Rule<A>, span: Span, args: A, related: RelatedInfo[] = []): Finding {
  const message = rule.message(args);
  // Rules keep their messages short by construction (listed, shown); this is the backstop that keeps output linear.
  const text = message.length <= MAX_MESSAGE ? message : `${message.slice(0, MAX_MESSAGE - 1)}…`;
  return {
    code: rule.code,
    severity: rule.severity,
    message: text,
    span,
    related: related.length <= MAX_RELATED ? related : related.slice(0, MAX_RELATED),
    fixes: [],
  };
}

const MAX_MESSAGE = 2000;

/** At most this many names are listed in a message; the rest are counted, so output stays linear in the input. */
const LISTED = 5;
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
