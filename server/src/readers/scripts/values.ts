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

const ITEM = /\s*(?:'((?:[^']|'')*)'|"((?:[^"`$]|"")*)"|([^\s,'"()$@`]+))\s*(,|$)/y;

/**
 * The items of a list argument (`"a","b"`, `@('a', 'b')`, `a,b`), each with where it is written;
 * Unknown when an item is not a literal (a variable, an expression). One value is a list of one.
 */
export function itemsOf(cmd: ScriptCommand, name: string): Token[] | Unknown | undefined {
  const v = valueOf(cmd, name);
  if (!v || isKnown(v)) return v && [v];
  const p = cmd.parameters.get(name.toLowerCase());
  const written = p?.value?.span;
  if (!p || !written) return v;
  const text = written.file.text;
  let start = written.start;
  let end = written.end;
  const inner = /^@\(\s*/.exec(text.slice(start, end));
  if (inner && text[end - 1] === ')') {
    start += inner[0].length;
    end -= 1;
  }
  const body = text.slice(start, end);
  const items: Token[] = [];
  ITEM.lastIndex = 0;
  while (ITEM.lastIndex < body.length) {
    const at = ITEM.lastIndex;
    const m = ITEM.exec(body);
    if (!m) return v;
    const raw = m[1] ?? m[2] ?? m[3] ?? '';
    // Inside the quotes for a quoted item, at the word for a bare one.
    const from = start + at + (m[3] !== undefined ? m[0].indexOf(raw) : m[0].search(/['"]/) + 1);
    const value = m[1] !== undefined ? raw.replace(/''/g, "'") : m[2] !== undefined ? raw.replace(/""/g, '"') : raw;
    items.push({ value, span: span(written.file, from, from + raw.length) });
    if (m[4] === '') break;
  }
  return items;
}
