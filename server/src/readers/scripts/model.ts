import { SourceFile, Span } from '../../text/source';
import { CmdletName, CmdletSpec, ParameterSpec } from './cmdlets';

export type { CmdletName } from './cmdlets';

/** An argument value as a script writes it. */
export interface ScriptValue {
  /** The argument as written (for a quoted string: the text between the quotes). */
  span: Span;
  /** The value after removing quotes and substituting literal variables; undefined when not statically known. */
  value?: string;
  /** Where the literal that gives `value` is written, when it all comes from one literal: what a fix may rewrite. */
  literal?: Span;
  /** What could not be resolved (e.g. `$first`), when `value` is undefined. */
  unresolved?: string;
  /** Where that is written (the variable inside a string, not the whole string). */
  unresolvedAt?: Span;
}

export interface ScriptParameter {
  /** The parameter PowerShell binds it to. */
  spec: ParameterSpec;
  /** As written, without the dash (`id`, `Reg`), or the key of a splatted hashtable. */
  name: string;
  /** Where the name is written; empty for a positional argument. */
  nameSpan: Span;
  /** Undefined for a switch such as `-EnableTcp`. */
  value?: ScriptValue;
}

/** Why a cmdlet is left out of the simulation: the facts; the rules (PS001–PS003) word them. */
export type Skip = { span: Span } &
  /** PowerShell refuses to run it (PS002). */
  (
    | { why: 'twice'; parameter: string }
    | { why: 'ambiguous'; written: string; candidates: string[] }
    | { why: 'unknown'; written: string }
    | { why: 'positional'; argument: string }
    /** -WhatIf: it changes nothing (PS003). */
    | { why: 'whatif' }
    /** What it acts on cannot be known (PS001). */
    | { why: 'whatif unknown'; unresolved: string }
    | { why: 'splat'; variable: string }
    | { why: 'pipeline'; source?: string }
  );

export interface ScriptCommand {
  name: CmdletName;
  spec: CmdletSpec;
  nameSpan: Span;
  /**
   * The whole statement for removal: from the start of its first line (indentation included)
   * to the end of its last continuation line, line break included.
   */
  statement: Span;
  /** The statement's own text, first token to last, without indentation, line break or trailing comment. */
  core: Span;
  /** Bound parameters by their canonical name, lower-cased. */
  parameters: Map<string, ScriptParameter>;
  /** Set when it is left out of the simulated KST. */
  skipped?: Skip;
}

export interface Script {
  file: SourceFile;
  /** Recognised cmdlets in statement order (the Get- ones only feed pipelines). */
  commands: ScriptCommand[];
}
