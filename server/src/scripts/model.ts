import { SourceFile, Span } from '../text/source';

/** The trusted-application cmdlets lync-kst understands, in their canonical spelling. */
export const CMDLETS = [
  'New-CsTrustedApplicationPool',
  'New-CsTrustedApplication',
  'New-CsTrustedApplicationComputer',
  'Remove-CsTrustedApplicationPool',
  'Remove-CsTrustedApplication',
] as const;

export type CmdletName = (typeof CMDLETS)[number];

/** An argument value as a script writes it. */
export interface ScriptValue {
  /** The argument token as written (for a quoted string: the text between the quotes). */
  span: Span;
  /** The value after removing quotes and substituting literal variables; undefined when not statically known. */
  value?: string;
  /** Where the literal that gives `value` is written: the token itself, or the string in `$x = '...'`. */
  literal?: Span;
  /** The variable (e.g. `$Fqdn`) whose value could not be resolved, when `value` is undefined. */
  unresolved?: string;
}

export interface ScriptParameter {
  /** As written, without the dash, e.g. `Identity`. */
  name: string;
  nameSpan: Span;
  /** Undefined for a switch such as `-EnableTcp`. */
  value?: ScriptValue;
}

export interface ScriptCommand {
  name: CmdletName;
  nameSpan: Span;
  /**
   * The whole statement for removal: from the start of its first line (indentation included)
   * to the end of its last continuation line, line break included.
   */
  statement: Span;
  /** The statement's own text, first token to last, without indentation, line break or trailing comment. */
  core: Span;
  /** Parameters by lower-case name without the dash. */
  parameters: Map<string, ScriptParameter>;
}

export interface UnresolvedVariable {
  /** e.g. `$Fqdn` */
  name: string;
  /** Its first use as an argument of a recognised cmdlet. */
  span: Span;
}

export interface Script {
  file: SourceFile;
  /** Recognised cmdlets in statement order. */
  commands: ScriptCommand[];
  /** Each variable used by a recognised cmdlet that has no simple literal assignment, once. */
  unresolved: UnresolvedVariable[];
}
