import { SourceFile, Span, span } from '../text/source';
import { CMDLETS, CmdletName, Script, ScriptCommand, ScriptParameter, ScriptValue, UnresolvedVariable } from './model';
import { Token, TokenKind, tokenize } from './tokens';

const CMDLET_BY_KEY = new Map<string, CmdletName>(CMDLETS.map((name) => [name.toLowerCase(), name]));

/** Switch parameters of the recognised cmdlets: a following word is not their value. */
const SWITCHES = new Set(['enabletcp', 'force', 'whatif', 'confirm', 'verbose', 'debug']);

/** Assignment operators other than `=`: what they produce is never a simple literal. */
const UPDATES = ['+=', '-=', '*=', '/=', '%=', '??=', '++', '--'];

const ENDS_STATEMENT = new Set<TokenKind>(['newline', 'semicolon', 'chain', 'close']);
const ENDS_ARGUMENTS = new Set<TokenKind>([...ENDS_STATEMENT, 'pipe', 'ampersand']);

/** Longest expression text quoted in `unresolved`. */
const SHOWN = 60;

/** What a variable holds at some point of the script; `value` undefined when not statically known. */
interface Binding {
  value?: string;
  literal?: Span;
}

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
}

const startsArgument = (t: Token) => t.kind === 'word' || t.kind === 'string' || t.kind === 'variable' || t.kind === 'open';
const wordValue = (t: Token | undefined) => (t?.kind === 'word' && t.parts[0]?.kind === 'text' ? t.parts[0].value : undefined);
const isBlank = (c: number) => c === 32 || c === 9;
const isLineBreak = (c: number) => c === 10 || c === 13;
const shown = (s: string) => (s.length <= SHOWN ? s : `${s.slice(0, SHOWN - 1)}…`);

/**
 * Reads the recognised trusted-application cmdlets from a PowerShell script. Never throws and
 * never guesses: an argument whose value depends on anything but literals written in the same
 * script has `value` undefined. A cmdlet's first positional argument is its `Identity`
 * (all five declare `[-Identity]` positional); that parameter then has an empty `nameSpan`.
 */
export function parseScript(file: SourceFile): Script {
  return new Reader(file).read();
}

class Reader {
  private readonly text: string;
  private readonly tokens: Token[];
  private readonly bindings = new Map<string, Binding>();
  private readonly unresolved = new Map<string, UnresolvedVariable>();

  constructor(private readonly file: SourceFile) {
    this.text = file.text;
    this.tokens = tokenize(file.text);
  }

  read(): Script {
    const tokens = this.tokens;
    const commands: ScriptCommand[] = [];
    const frames: Frame[] = [{ open: -1, stmtStart: 0, stmtEnd: -1, param: false }];
    let commandPosition = true;
    for (let k = 0; k < tokens.length; k++) {
      const t = tokens[k];
      const frame = frames[frames.length - 1];
      let next = false;
      switch (t.kind) {
        case 'newline':
        case 'semicolon':
        case 'chain':
          frame.stmtStart = k + 1;
          frame.stmtEnd = -1;
          next = true;
          break;
        case 'pipe':
        case 'ampersand':
        case 'assign':
          next = true;
          break;
        case 'open':
          frames.push({ open: k, stmtStart: k + 1, stmtEnd: -1, param: t.text === '(' && wordValue(tokens[k - 1])?.toLowerCase() === 'param' });
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
          if (wordValue(t) === '.') next = true; // dot-sourcing operator
          else this.command(k, frame, commands);
          break;
      }
      commandPosition = next;
    }
    const unresolved = [...this.unresolved.values()].sort((a, b) => a.span.start - b.span.start);
    return { file: this.file, commands, unresolved };
  }

  /** Reads the command at token `k` when it is one of the recognised cmdlets. */
  private command(k: number, frame: Frame, commands: ScriptCommand[]): void {
    const { tokens, file } = this;
    const word = tokens[k];
    const written = wordValue(word);
    // Escaped characters in a name (`New-Cs`TrustedApplication) are not worth supporting.
    if (written === undefined || written.length !== word.end - word.start) return;
    const slash = written.lastIndexOf('\\'); // module-qualified: Lync\New-CsTrustedApplication
    const name = CMDLET_BY_KEY.get(written.slice(slash + 1).toLowerCase());
    if (!name) return;

    const parameters = new Map<string, ScriptParameter>();
    let positional: ScriptValue | undefined;
    let j = k + 1;
    while (j < tokens.length && !ENDS_ARGUMENTS.has(tokens[j].kind)) {
      const t = tokens[j++];
      if (t.kind === 'parameter') {
        const key = t.text.toLowerCase();
        let value: ScriptValue | undefined;
        if ((t.colon || !SWITCHES.has(key)) && j < tokens.length && startsArgument(tokens[j])) [value, j] = this.argument(j);
        const nameStart = t.start + 1;
        // PowerShell rejects a repeated parameter; the first one is what the author most likely means.
        if (!parameters.has(key)) parameters.set(key, { name: t.text, nameSpan: span(file, nameStart, nameStart + t.text.length), value });
      } else if (t.kind === 'splat') {
        this.report(t.text, t.text.slice(1).toLowerCase(), t.start, t.end);
      } else if (t.kind === 'redirect') {
        if (!t.text.includes('&') && j < tokens.length && startsArgument(tokens[j])) j = this.argument(j)[1];
      } else if (startsArgument(t)) {
        const [value, after] = this.argument(j - 1);
        positional ??= value;
        j = after;
      }
    }
    if (positional && !parameters.has('identity')) {
      const at = positional.span.start;
      parameters.set('identity', { name: 'Identity', nameSpan: span(file, at, at), value: positional });
    }
    const statement = this.statement(j, frame);
    const core = span(file, tokens[frame.stmtStart].start, tokens[frame.stmtEnd - 1].end);
    commands.push({ name, nameSpan: span(file, word.start + slash + 1, word.end), statement, core, parameters });
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
    const evaluated = this.evaluate(j, end, true);
    if (array) return [{ span: at, unresolved: shown(this.text.slice(at.start, at.end)) }, end];
    return [{ span: at, ...evaluated }, end];
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

  /** The value of tokens `from`..`to` (one argument); `report` records unknown variables. */
  private evaluate(from: number, to: number, report: boolean): Omit<ScriptValue, 'span'> {
    const { tokens, text } = this;
    const pieces: string[] = [];
    let sources = 0;
    let literal: Span | undefined;
    let unresolved: string | undefined;
    for (let j = from; j < to; j = this.after(j)) {
      const t = tokens[j];
      if (t.kind === 'open' || (t.kind === 'variable' && isMemberAccess(text, t.end))) {
        // ( ), $( ), @( ), { }, [ ], $x.Property, with whatever follows: computed when the script runs.
        unresolved ??= shown(text.slice(t.start, tokens[to - 1].end));
        break;
      }
      for (const part of t.parts) {
        if (part.kind === 'text') {
          pieces.push(part.value);
          literal = span(this.file, part.start, part.end);
          sources++;
        } else if (part.kind === 'expression') {
          unresolved ??= shown(text.slice(part.start, part.end));
        } else {
          const bound = this.bindings.get(part.key);
          if (bound?.value !== undefined) {
            pieces.push(bound.value);
            literal = bound.literal;
            sources++;
          } else {
            unresolved ??= part.name;
            if (report) this.report(part.name, part.key, part.start, part.end);
          }
        }
      }
    }
    if (unresolved !== undefined) return { unresolved };
    // A fix may rewrite `literal` only when the whole value comes from that one place.
    return { value: pieces.join(''), literal: sources === 1 ? literal : undefined };
  }

  private report(name: string, key: string, start: number, end: number): void {
    const seen = this.unresolved.get(key);
    if (!seen || seen.span.start > start) this.unresolved.set(key, { name, span: span(this.file, start, end) });
  }

  /** Records what the variable at token `k` holds from here on, when this is an assignment to it. */
  private noteAssignment(k: number, inParam: boolean): void {
    const tokens = this.tokens;
    const target = tokens[k].parts[0];
    if (target?.kind !== 'variable') return;
    const next = tokens[k + 1];
    if (next?.kind === 'assign') {
      this.bindings.set(target.key, this.literalAt(k + 2, inParam));
      return;
    }
    // `foreach ($x in ...)` and `$x += ...` change the variable to something not written in the script.
    const op = wordValue(next);
    if (op !== undefined && (op.toLowerCase() === 'in' || UPDATES.some((u) => op.startsWith(u)))) this.bindings.set(target.key, {});
  }

  /** The binding made by an assignment whose right-hand side starts at token `r`. */
  private literalAt(r: number, inParam: boolean): Binding {
    const tokens = this.tokens;
    const t = tokens[r];
    if (!t || !startsArgument(t) || this.runEnd(r) !== r + 1) return {};
    const after = tokens[r + 1];
    const ends = !after || ENDS_STATEMENT.has(after.kind) || (inParam && after.kind === 'comma');
    // A bare word other than a number is a command call in an assignment: `$x = Read-Host`.
    const isLiteral = t.kind === 'string' || t.kind === 'variable' || (t.kind === 'word' && /^[0-9]+$/.test(wordValue(t) ?? ''));
    if (!ends || !isLiteral) return {};
    const v = this.evaluate(r, r + 1, false);
    return { value: v.value, literal: v.literal };
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
