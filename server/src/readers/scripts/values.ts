import { Span, span, Token } from '../../text/source';
import { ScriptCommand, ScriptParameter } from './model';

/** A parameter given with a value lync-kst cannot know before the script runs. */
export interface Unknown {
  /** What could not be resolved, e.g. `$first`. */
  unknown: string;
  span: Span;
  parameter: ScriptParameter;
}

export type Value = Token | Unknown;

export function isKnown(v: Value | undefined): v is Token {
  return v !== undefined && 'value' in v;
}

/**
 * The value of a bound parameter, with the prefix the cmdlet ignores stripped (`Registrar:`,
 * `TrustedApplicationPool:`): a token when known, Unknown when given but not knowable,
 * undefined when not given (or given as a switch).
 */
export function valueOf(cmd: ScriptCommand, name: string): Value | undefined {
  const p = cmd.parameters.get(name.toLowerCase());
  const v = p?.value;
  if (!p || !v) return undefined;
  if (v.value === undefined) return { unknown: v.unresolved ?? p.name, span: v.unresolvedAt ?? v.span, parameter: p };
  const prefix = p.spec.strip;
  if (!prefix || !v.value.toLowerCase().startsWith(prefix.toLowerCase())) return { value: v.value, span: v.span };
  // The span moves past the prefix only where the value is written as it reads.
  const written = v.span.file.text.slice(v.span.start, v.span.end) === v.value;
  return { value: v.value.slice(prefix.length), span: written ? span(v.span.file, v.span.start + prefix.length, v.span.end) : v.span };
}
