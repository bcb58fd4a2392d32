import { Span } from '../text/source';
import { RuleContext } from './context';
import { RelatedInfo, Severity } from './finding';

/**
 * A diagnostic code with everything that is said about it once: its default severity, its
 * title, the README catalogue's text and fix column, and the message a finding carries. Call
 * sites give only the span and the facts (`A`). Model: Bicep's LinterRuleBase.
 */
export interface Rule<A = void> {
  code: string;
  severity: Severity;
  title: string;
  /** What it means and why it matters in production: the README catalogue's text. */
  description: string;
  /** The fix it offers, for the catalogue; absent when it has none. */
  fix?: string;
  message(args: A): string;
}

export function rule<A = void>(r: Rule<A>): Rule<A> {
  return r;
}

/** The rules one function checks, run by the analysis in isolation: if it throws, INT001 names it. */
export interface Checker {
  name: string;
  rules: readonly Rule<never>[];
  check(ctx: RuleContext): void;
}

/** A fix's id: stable within an analysis and built from content, so findings and later requests can refer to it. */
export function fixId(rule: { code: string }, ...parts: (string | number)[]): string {
  return [rule.code, ...parts].join(':');
}

export type Report = <A>(rule: Rule<A>, span: Span, args: A, related?: RelatedInfo[]) => { fixes: string[] };
