import { SourceFile, Span, span } from '../../text/source';
import { bindName, CmdletSpec, cmdletNamed, ParameterSpec } from './cmdlets';
import { Script, ScriptCommand, ScriptParameter, ScriptValue, Skip } from './model';
import { Token, TokenKind, tokenize } from './tokens';

/** Assignment operators other than `=`: what they produce is never a simple literal. */
const UPDATES = ['+=', '-=', '*=', '/=', '%=', '??=', '++', '--'];

const ENDS_STATEMENT = new Set<TokenKind>(['newline', 'semicolon', 'chain', 'close']);
const ENDS_ARGUMENTS = new Set<TokenKind>([...ENDS_STATEMENT, 'pipe', 'ampersand']);

/** Longest expression text quoted in `unresolved`. */
const SHOWN = 60;

/** One entry of a hashtable literal, for splatting: the key as written and its value. */
interface Entry {
  key: string;
  keySpan: Span;
  value: ScriptValue;
}

/** What a variable holds at some point of the script: a value (undefined when not statically known) or a hashtable. */
type Binding = { value?: string; literal?: Span } | { entries: Entry[] };

/** The statement being read at one nesting level (the script, or inside one bracket). */
interface Frame {
  /** Index of the bracket token that opened this level; -1 for the script itself. */
  open: number;
  /** Index of the statement's first token. */
  stmtStart: number;
  /** Index of the token ending the statement, once a command in it asked; -1 before. */
  stmtEnd: number;
  /** The parentheses of a `param(...)` block, where `,` ends a default value. */
  param: boolean;
  /** The command before the current `|` in this statement's pipeline: a recognised one, or another. */
  previous?: ScriptCommand | 'other';
}

const startsArgument = (t: Token) => t.kind === 'word' || t.kind === 'string' || t.kind === 'variable' || t.kind === 'open';
const wordValue = (t: Token | undefined) => (t?.kind === 'word' && t.parts[0]?.kind === 'text' ? t.parts[0].value : undefined);
const isBlank = (c: number) => c === 32 || c === 9;
const isLineBreak = (c: number) => c === 10 || c === 13;
const shown = (s: string) => (s.length <= SHOWN ? s : `${s.slice(0, SHOWN - 1)}…`);

/**
 * Reads the trusted-application cmdlets from a PowerShell script and binds their arguments the
 * way PowerShell does (cmdlets.ts): parameter names by unambiguous prefix, positions, switches,
 * splatted hashtables, `Get-… -Identity X |` pipelines, -WhatIf. Never throws and never guesses:
 * an argument whose value depends on anything but literals written in the same script is
 * present with `value` undefined, and a cmdlet PowerShell would refuse is marked `skipped`.
 */
export function parseScript(file: SourceFile): Script {
  return new Reader(file).read();
}

class Reader {
  private readonly text: string;
  private readonly tokens: Token[];
  private readonly bindings = new Map<string, Binding>();

  constructor(private readonly file: SourceFile) {
    this.text = file.text;
    this.tokens = tokenize(file.text);
  }

  read(): Script {
    const tokens = this.tokens;
    const commands: ScriptCommand[] = [];
    const frames: Frame[] = [{ open: -1, stmtStart: 0, stmtEnd: -1, param: false }];
    let commandPosition = true;
    let afterPipe = false;
    for (let k = 0; k < tokens.length; k++) {
      const t = tokens[k];
      const frame = frames[frames.length - 1];
      let next = false;
      let piped = false;
      switch (t.kind) {
        case 'newline':
        case 'semicolon':
        case 'chain':
          frame.stmtStart = k + 1;
          frame.stmtEnd = -1;
          frame.previous = undefined;
          next = true;
          break;
        case 'pipe':
          next = true;
          piped = true;
          break;
        case 'ampersand':
        case 'assign':
          next = true;
          break;
        case 'open':
          frames.push({
            open: k,
            stmtStart: k + 1,
            stmtEnd: -1,
            param: t.text === '(' && wordValue(tokens[k - 1])?.toLowerCase() === 'param',
          });
          next = t.text !== '[';
          break;
        case 'close':
          if (t.match < 0) break; // stray closer
          // Levels left open inside this bracket end with it.
          while (frames.length > 2 && frames[frames.length - 1].open !== t.match) frames.pop();
          if (frames.length > 1) frames.pop();
          break;
        case 'variable':
          this.noteAssignment(k, frame.param);
          break;
        case 'word':
          if (!commandPosition) break;
          if (wordValue(t) === '.') {
            next = true; // dot-sourcing operator
          } else {
            const cmd = this.command(k, frame, afterPipe);
            if (cmd) commands.push(cmd);
            frame.previous = cmd ?? 'other';
          }
          break;
      }
      commandPosition = next;
      afterPipe = piped;
    }
    return { file: this.file, commands };
  }

  /** Reads the command at token `k` when it is one of the recognised cmdlets, its arguments bound. */
  private command(k: number, frame: Frame, afterPipe: boolean): ScriptCommand | undefined {
    const { tokens, file } = this;
    const word = tokens[k];
    const written = wordValue(word);
    // Escaped characters in a name (`New-Cs`TrustedApplication) are not worth supporting.
    if (written === undefined || written.length !== word.end - word.start) return undefined;
    const slash = written.lastIndexOf('\\'); // module-qualified: Lync\New-CsTrustedApplication
    const spec = cmdletNamed(written.slice(slash + 1));
    if (!spec) return undefined;
    const name = spec.name;
    const nameSpan = span(file, word.start + slash + 1, word.end);

    const parameters = new Map<string, ScriptParameter>();
    let skipped: Skip | undefined;
    const skip = (s: Skip) => {
      skipped ??= s;
    };
    const bind = (p: ParameterSpec, param: ScriptParameter) => {
      const key = p.name.toLowerCase();
      if (parameters.has(key)) skip({ why: 'twice', parameter: p.name, span: param.nameSpan });
      else parameters.set(key, param);
    };
    /** Binds a name as written (a parameter token or a splatted key); false when it binds to nothing. */
    const bindWritten = (text: string, at: Span, value: ScriptValue | undefined): boolean => {
      const b = bindName(spec, text);
      if ('parameter' in b) {
        bind(b.parameter, { spec: b.parameter, name: text, nameSpan: at, value });
        return true;
      }
      // An incomplete list cannot tell a real parameter it lacks from a mistake.
      if (spec.partial) return false;
      if ('ambiguous' in b) skip({ why: 'ambiguous', written: text, candidates: b.ambiguous.map((p) => p.name), span: at });
      else skip({ why: 'unknown', written: text, span: at });
      return false;
    };

    const positional: ScriptValue[] = [];
    let j = k + 1;
    while (j < tokens.length && !ENDS_ARGUMENTS.has(tokens[j].kind)) {
      const t = tokens[j++];
      if (t.kind === 'parameter') {
        const nameStart = t.start + 1;
        const at = span(file, nameStart, nameStart + t.text.length);
        const b = bindName(spec, t.text);
        // A switch takes a value only as -Name:$value; so does an unknown name, so positions stay right.
        const takes = t.colon || ('parameter' in b ? !b.parameter.switch : 'ambiguous' in b ? b.ambiguous.some((p) => !p.switch) : true);
        let value: ScriptValue | undefined;
        if (takes && j < tokens.length && startsArgument(tokens[j])) [value, j] = this.argument(j);
        bindWritten(t.text, at, value);
      } else if (t.kind === 'splat') {
        const binding = this.bindings.get(t.text.slice(1).toLowerCase());
        const at = span(file, t.start, t.end);
        if (!binding || !('entries' in binding)) skip({ why: 'splat', variable: t.text, span: at });
        else for (const e of binding.entries) bindWritten(e.key, e.keySpan, e.value);
      } else if (t.kind === 'redirect') {
        if (!t.text.includes('&') && j < tokens.length && startsArgument(tokens[j])) j = this.argument(j)[1];
      } else if (startsArgument(t)) {
        const [value, after] = this.argument(j - 1);
        positional.push(value);
        j = after;
      }
    }

    // Positional arguments go to the positional parameters not bound by name, in order.
    const free = spec.parameters
      .filter((p): p is ParameterSpec & { position: number } => p.position !== undefined && !parameters.has(p.name.toLowerCase()))
      .sort((a, b) => a.position - b.position);
    positional.forEach((value, i) => {
      const p = free[i];
      if (p)
        parameters.set(p.name.toLowerCase(), { spec: p, name: p.name, nameSpan: span(file, value.span.start, value.span.start), value });
      else if (!spec.partial) skip({ why: 'positional', argument: this.text.slice(value.span.start, value.span.end), span: value.span });
    });

    // A query changes nothing whatever it is given: only what a changing cmdlet receives matters.
    if (afterPipe && !spec.query) this.fromPipeline(frame.previous, spec, parameters, nameSpan, skip);

    const whatIf = [...parameters.values()].find((p) => p.spec.role === 'whatif');
    if (whatIf) {
      // A bare -WhatIf is on; -WhatIf:$x is on unless $x is known to be false.
      const v = whatIf.value;
      if (v && v.value === undefined) skip({ why: 'whatif unknown', unresolved: v.unresolved ?? '?', span: v.span });
      else if (!v?.value || !/^\$?false$/i.test(v.value)) skip({ why: 'whatif', span: whatIf.nameSpan });
    }

    const statement = this.statement(j, frame);
    const core = span(file, tokens[frame.stmtStart].start, tokens[frame.stmtEnd - 1].end);
    return { name, spec, nameSpan, statement, core, parameters, ...(skipped ? { skipped } : {}) };
  }

  /**
   * `Get-CsTrustedApplicationPool -Identity X | Remove-CsTrustedApplicationPool`: the pipeline
   * gives the Identity. Any other input from a pipeline cannot be known.
   */
  private fromPipeline(
    previous: Frame['previous'],
    spec: CmdletSpec,
    parameters: Map<string, ScriptParameter>,
    nameSpan: Span,
    skip: (s: Skip) => void,
  ): void {
    const identity =
      previous && previous !== 'other' && previous.name === spec.pipedFrom && !previous.skipped
        ? previous.parameters.get('identity')
        : undefined;
    const filtered = previous && previous !== 'other' && [...previous.parameters].some(([k, p]) => k !== 'identity' && !p.spec.switch);
    const target = spec.parameters.find((p) => p.name === 'Identity');
    if (!identity || filtered || !target) {
      skip({ why: 'pipeline', source: spec.pipedFrom, span: nameSpan });
      return;
    }
    if (!parameters.has('identity')) parameters.set('identity', { ...identity, spec: target });
  }

  /** The argument starting at token `j` and the index after it. */
  private argument(j: number): [ScriptValue, number] {
    const tokens = this.tokens;
    let end = this.runEnd(j);
    let array = false;
    while (end + 1 < tokens.length && tokens[end].kind === 'comma' && startsArgument(tokens[end + 1])) {
      array = true;
      end = this.runEnd(end + 1);
    }
    const first = tokens[j];
    const single = end === j + 1 && first.kind === 'string';
    const at = single ? span(this.file, first.contentStart, first.contentEnd) : span(this.file, first.start, tokens[end - 1].end);
    if (array) return [{ span: at, unresolved: shown(this.text.slice(at.start, at.end)) }, end];
    // `("Registrar:" + $pool)`: an expression in parentheses, known when all its parts are.
    if (end === this.after(j) && first.kind === 'open' && first.text === '(' && first.match < tokens.length) {
      return [{ span: at, ...this.expression(j + 1, first.match, this.text.slice(at.start, at.end)) }, end];
    }
    return [{ span: at, ...this.evaluate(j, end) }, end];
  }

  /** Index after the run of tokens from `j` written without space: PowerShell joins them into one argument. */
  private runEnd(j: number): number {
    const tokens = this.tokens;
    do j = this.after(j);
    while (j < tokens.length && tokens[j].glued && startsArgument(tokens[j]));
    return j;
  }

  /** Index after token `j`, skipping a whole bracketed group. */
  private after(j: number): number {
    const t = this.tokens[j];
    return t.kind === 'open' ? Math.min(t.match, this.tokens.length - 1) + 1 : j + 1;
  }

  /** The value of tokens `from`..`to` joined as one argument (argument mode: no operators). */
  private evaluate(from: number, to: number): Omit<ScriptValue, 'span'> {
    const { tokens, text } = this;
    const pieces: string[] = [];
    let sources = 0;
    let literal: Span | undefined;
    for (let j = from; j < to; j = this.after(j)) {
      const t = tokens[j];
      if (t.kind === 'open' || (t.kind === 'variable' && isMemberAccess(text, t.end))) {
        // ( ), $( ), @( ), { }, [ ], $x.Property, with whatever follows: computed when the script runs.
        const end = tokens[to - 1].end;
        return { unresolved: shown(text.slice(t.start, end)), unresolvedAt: span(this.file, t.start, end) };
      }
      for (const part of t.parts) {
        if (part.kind === 'text') {
          pieces.push(part.value);
          literal = span(this.file, part.start, part.end);
          sources++;
        } else if (part.kind === 'expression') {
          return { unresolved: shown(text.slice(part.start, part.end)), unresolvedAt: span(this.file, part.start, part.end) };
        } else {
          const bound = this.bindings.get(part.key);
          if (!bound || !('value' in bound) || bound.value === undefined)
            return { unresolved: part.name, unresolvedAt: span(this.file, part.start, part.end) };
          pieces.push(bound.value);
          literal = bound.literal;
          sources++;
        }
      }
    }
    // A fix may rewrite `literal` only when the whole value comes from that one place.
    return { value: pieces.join(''), literal: sources === 1 ? literal : undefined };
  }

  /**
   * An expression from `from` to `to`: operands joined with `+` (`"Registrar:" + $pool`,
   * `$a + "." + $domain`), each a string, a number or a variable holding one. Anything else
   * (a command, a method call, another operator) is not known before the script runs.
   */
  private expression(from: number, to: number, written: string): Omit<ScriptValue, 'span'> {
    const { tokens } = this;
    const pieces: string[] = [];
    let literal: Span | undefined;
    let operands = 0;
    let j = from;
    while (j < to && tokens[j].kind === 'newline') j++;
    for (;;) {
      const t = tokens[j];
      const number = t?.kind === 'word' && /^[0-9]+$/.test(wordValue(t) ?? '');
      if (
        !t ||
        j >= to ||
        !(t.kind === 'string' || t.kind === 'variable' || number) ||
        (t.kind === 'variable' && isMemberAccess(this.text, t.end))
      ) {
        return { unresolved: shown(written) };
      }
      const v = this.evaluate(j, j + 1);
      if (v.value === undefined) return v;
      pieces.push(v.value);
      literal = v.literal;
      operands++;
      j++;
      if (j >= to) break;
      if (wordValue(tokens[j]) !== '+') return { unresolved: shown(written) };
      j++;
    }
    return { value: pieces.join(''), literal: operands === 1 ? literal : undefined };
  }

  /** Records what the variable at token `k` holds from here on, when this is an assignment to it. */
  private noteAssignment(k: number, inParam: boolean): void {
    const tokens = this.tokens;
    const target = tokens[k].parts[0];
    if (target?.kind !== 'variable') return;
    const next = tokens[k + 1];
    if (next?.kind === 'assign') {
      this.bindings.set(target.key, this.assigned(k + 2, inParam));
      return;
    }
    // `foreach ($x in ...)` and `$x += ...` change the variable to something not written in the script.
    const op = wordValue(next);
    if (op !== undefined && (op.toLowerCase() === 'in' || UPDATES.some((u) => op.startsWith(u)))) {
      this.bindings.set(target.key, {});
      return;
    }
    // `$p.Port = 1`, `$p['Port'] = 1`, `$p.Remove('Site')`: the object changes in a way not followed here.
    if (isMemberAccess(this.text, tokens[k].end) && this.bindings.has(target.key) && this.mutates(k)) this.bindings.set(target.key, {});
  }

  /** Whether the statement holding token `k` assigns to something or calls a method on it. */
  private mutates(k: number): boolean {
    const tokens = this.tokens;
    for (let j = k + 1; j < tokens.length && !ENDS_STATEMENT.has(tokens[j].kind); j = this.after(j)) {
      if (tokens[j].kind === 'assign' || (tokens[j].kind === 'open' && tokens[j].text === '(' && tokens[j].glued)) return true;
    }
    return false;
  }

  /** The binding made by an assignment whose right-hand side starts at token `r`. */
  private assigned(r: number, inParam: boolean): Binding {
    const tokens = this.tokens;
    const t = tokens[r];
    if (!t) return {};
    if (t.kind === 'open' && t.text === '@{') {
      const entries = this.hashtable(r);
      const after = tokens[Math.min(t.match, tokens.length - 1) + 1];
      return entries && (!after || ENDS_STATEMENT.has(after.kind)) ? { entries } : {};
    }
    if (t.kind === 'variable' && tokens[r + 1] && ENDS_STATEMENT.has(tokens[r + 1].kind)) {
      const same = this.bindings.get(t.parts[0]?.kind === 'variable' ? t.parts[0].key : '');
      if (same && 'entries' in same) return same;
    }
    let end = r;
    while (end < tokens.length && !ENDS_STATEMENT.has(tokens[end].kind) && !(inParam && tokens[end].kind === 'comma'))
      end = this.after(end);
    if (end === r) return {};
    const v = this.expression(r, end, '');
    return { value: v.value, literal: v.literal };
  }

  /** The entries of the hashtable literal `@{ ... }` opened at token `open`, or undefined when one is not plain `key = value`. */
  private hashtable(open: number): Entry[] | undefined {
    const { tokens, file } = this;
    const close = tokens[open].match;
    if (close >= tokens.length) return undefined;
    const entries: Entry[] = [];
    let j = open + 1;
    for (;;) {
      while (j < close && (tokens[j].kind === 'newline' || tokens[j].kind === 'semicolon')) j++;
      if (j >= close) return entries;
      const key = tokens[j];
      const keyText =
        key.kind === 'string' || key.kind === 'word' ? key.parts.map((p) => (p.kind === 'text' ? p.value : '\0')).join('') : undefined;
      if (keyText === undefined || keyText.includes('\0') || tokens[j + 1]?.kind !== 'assign') return undefined;
      let end = j + 2;
      while (end < close && tokens[end].kind !== 'newline' && tokens[end].kind !== 'semicolon') end = this.after(end);
      if (end === j + 2) return undefined;
      const first = tokens[j + 2];
      const single = end === j + 3 && first.kind === 'string';
      const at = single ? span(file, first.contentStart, first.contentEnd) : span(file, first.start, tokens[end - 1].end);
      entries.push({
        key: keyText,
        keySpan: key.kind === 'string' ? span(file, key.contentStart, key.contentEnd) : span(file, key.start, key.end),
        value: { span: at, ...this.expression(j + 2, end, this.text.slice(at.start, at.end)) },
      });
      j = end;
    }
  }

  /**
   * The statement holding a command whose arguments end at token `argsEnd`: whole lines with
   * their line break when nothing else shares them, else just the statement's own text.
   */
  private statement(argsEnd: number, frame: Frame): Span {
    const { tokens, text, file } = this;
    if (frame.stmtEnd < 0) {
      let j = argsEnd;
      while (j < tokens.length && !ENDS_STATEMENT.has(tokens[j].kind)) j = this.after(j);
      frame.stmtEnd = j;
    }
    const start = tokens[frame.stmtStart].start;
    const end = tokens[frame.stmtEnd - 1].end;
    let from = start;
    while (from > 0 && isBlank(text.charCodeAt(from - 1))) from--;
    let to = end;
    while (to < text.length && (isBlank(text.charCodeAt(to)) || text.charCodeAt(to) === 59)) to++;
    if (text.charCodeAt(to) === 35) while (to < text.length && !isLineBreak(text.charCodeAt(to))) to++;
    const ownLines = (from === 0 || isLineBreak(text.charCodeAt(from - 1))) && (to === text.length || isLineBreak(text.charCodeAt(to)));
    if (!ownLines) return span(file, start, end);
    if (text.charCodeAt(to) === 13) to++;
    if (text.charCodeAt(to) === 10) to++;
    return span(file, from, to);
  }
}

/** `$x.Name` or `$x[0]`: a member of the variable's object, not text joined to it. */
function isMemberAccess(text: string, end: number): boolean {
  const c = text[end];
  return c === '[' || (c === '.' && /[\p{L}_]/u.test(text[end + 1] ?? ''));
}
