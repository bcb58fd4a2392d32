/**
 * Just enough of the PowerShell tokenizer to find commands, their arguments and variable
 * assignments without being fooled by strings, comments, here-strings or line continuations.
 * One forward pass, no regular expressions over the input: any text tokenizes in linear time.
 */

export type TokenKind =
  | 'word' // bare word: command name, unquoted argument, number, operator
  | 'parameter' // -Name or -Name:
  | 'variable' // $x, ${x}, $env:X
  | 'splat' // @params
  | 'string' // any quoted string or here-string
  | 'open' // ( $( @( { @{ [
  | 'close' // ) } ]
  | 'newline' // a line break that ends a statement
  | 'semicolon'
  | 'pipe'
  | 'chain' // && ||
  | 'ampersand' // call operator (or background operator at the end)
  | 'comma'
  | 'assign' // =
  | 'redirect'; // > >> 2> 2>&1 *>

/** A piece of an argument's value, in source order. */
export type Part =
  /** Text as written, with quotes removed and escapes applied; start/end where it is written. */
  | { kind: 'text'; value: string; start: number; end: number }
  /** A variable reference; `key` is the name lower-cased without `$`, braces or scope prefix. */
  | { kind: 'variable'; name: string; key: string; start: number; end: number }
  /** `$(...)` inside a double-quoted string: never statically known. */
  | { kind: 'expression'; start: number; end: number };

export interface Token {
  kind: TokenKind;
  start: number;
  end: number;
  /** Written directly after the previous token, without space: PowerShell joins such arguments. */
  glued: boolean;
  /** `open`: index of its `close` (tokens.length when never closed); `close`: index of its `open`, or -1. */
  match: number;
  /** word, string, variable: the value's pieces. */
  parts: Part[];
  /** parameter: name without the dash, as written; splat: the name with `@`; open/close/redirect: the operator. */
  text: string;
  /** parameter written as `-Name:`. */
  colon: boolean;
  /** string: where the content between the quotes starts and ends. */
  contentStart: number;
  contentEnd: number;
}

const TAB = 9,
  LF = 10,
  CR = 13,
  SPACE = 32,
  HASH = 35,
  DOLLAR = 36,
  AMP = 38;
const LPAREN = 40,
  RPAREN = 41,
  STAR = 42,
  COMMA = 44,
  SEMI = 59,
  LT = 60,
  EQUALS = 61,
  GT = 62;
const QUESTION = 63,
  AT = 64,
  LBRACKET = 91,
  RBRACKET = 93,
  CARET = 94,
  UNDERSCORE = 95;
const BACKTICK = 96,
  LBRACE = 123,
  PIPE = 124,
  RBRACE = 125,
  COLON = 58;

// PowerShell accepts typographic dashes and quotes as ASCII ones: scripts copied from web pages have them.
const isDash = (c: number) => c === 45 || c === 0x2013 || c === 0x2014 || c === 0x2015;
const isSingleQuote = (c: number) => c === 39 || c === 0x2018 || c === 0x2019 || c === 0x201a || c === 0x201b;
const isDoubleQuote = (c: number) => c === 34 || c === 0x201c || c === 0x201d || c === 0x201e;
const isSpace = (c: number) => c === SPACE || c === TAB || c === 11 || c === 12 || c === 0xa0 || c === 0xfeff;
const isLineBreak = (c: number) => c === LF || c === CR;

const NON_ASCII_IDENT = /[\p{L}\p{Nd}\p{Mn}\p{Mc}\p{Pc}]/u;
function isIdentChar(c: number): boolean {
  if (c < 128) return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === UNDERSCORE;
  return NON_ASCII_IDENT.test(String.fromCharCode(c));
}

const ESCAPES: Record<string, string> = { '0': '\0', a: '\x07', b: '\b', e: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };
const unescape = (ch: string) => ESCAPES[ch] ?? ch;

/** Offset after the line break following a backtick that only spaces separate from it, or -1. */
function continuationEnd(text: string, backtick: number): number {
  let i = backtick + 1;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  const c = text.charCodeAt(i);
  if (c === CR) return text.charCodeAt(i + 1) === LF ? i + 2 : i + 1;
  if (c === LF) return i + 1;
  return -1;
}

/** The lookup key of a variable name as written (`$Script:Fqdn`, `${fqdn}` → `fqdn`). */
function variableKey(name: string): string {
  let key = name.slice(1);
  if (key.startsWith('{')) key = key.slice(1, key.endsWith('}') ? -1 : undefined);
  key = key.toLowerCase();
  for (const scope of ['script:', 'global:', 'local:', 'private:']) {
    if (key.startsWith(scope)) return key.slice(scope.length);
  }
  return key;
}

/** End of the variable name starting with the `$` at `i`, or -1 when `$` starts no variable. */
function variableEnd(text: string, i: number, limit: number): number {
  if (i + 1 >= limit) return -1;
  const c = text.charCodeAt(i + 1);
  if (c === LBRACE) {
    let j = i + 2;
    while (j < limit && text.charCodeAt(j) !== RBRACE) j += text.charCodeAt(j) === BACKTICK ? 2 : 1;
    return Math.min(j + 1, limit);
  }
  if (c === DOLLAR || c === CARET || c === QUESTION) return i + 2;
  if (!isIdentChar(c)) return -1;
  let j = i + 1;
  for (;;) {
    while (j < limit && isIdentChar(text.charCodeAt(j))) j++;
    // Scope and drive qualifiers: $env:Path, $script:x.
    if (j + 1 < limit && text.charCodeAt(j) === COLON && isIdentChar(text.charCodeAt(j + 1))) j++;
    else return j;
  }
}

/**
 * Offset after the `)` closing the `$(` whose content starts at `i`, skipping nested strings;
 * never beyond `limit`, so scanning the same text again from each of many `$(` stays linear.
 */
function skipSubexpression(text: string, i: number, limit: number): number {
  // One entry per open construct: 0 = code inside parentheses, 1 = double-quoted string.
  const modes = [0];
  while (i < limit && modes.length > 0) {
    const c = text.charCodeAt(i);
    if (c === BACKTICK) {
      i += 2;
    } else if (modes[modes.length - 1] === 1) {
      if (isDoubleQuote(c)) {
        if (isDoubleQuote(text.charCodeAt(i + 1))) i++;
        else modes.pop();
      } else if (c === DOLLAR && text.charCodeAt(i + 1) === LPAREN) {
        modes.push(0);
        i++;
      }
      i++;
    } else if (c === LPAREN) {
      modes.push(0);
      i++;
    } else if (c === RPAREN) {
      modes.pop();
      i++;
    } else if (isDoubleQuote(c)) {
      modes.push(1);
      i++;
    } else if (isSingleQuote(c)) {
      i = readSingleQuoted(text, i, limit).end;
    } else if (c === LT && text.charCodeAt(i + 1) === HASH) {
      i += 2;
      while (i < limit && !(text.charCodeAt(i) === HASH && text.charCodeAt(i + 1) === GT)) i++;
      i += 2;
    } else if (c === HASH && startsToken(text.charCodeAt(i - 1))) {
      while (i < limit && !isLineBreak(text.charCodeAt(i))) i++;
    } else {
      i++;
    }
  }
  return Math.min(i, limit);
}

// `#` starts a comment only where a token could start, not inside a word like `a#b`.
const startsToken = (before: number) => isSpace(before) || isLineBreak(before) || before === SEMI || before === LPAREN;

function readSingleQuoted(text: string, i: number, limit: number): { end: number; contentEnd: number; value: string } {
  let value = '';
  let from = i + 1;
  let j = from;
  while (j < limit) {
    if (isSingleQuote(text.charCodeAt(j))) {
      if (j + 1 >= limit || !isSingleQuote(text.charCodeAt(j + 1)))
        return { end: j + 1, contentEnd: j, value: value + text.slice(from, j) };
      value += text.slice(from, j + 1); // '' is one quote
      j += 2;
      from = j;
    } else {
      j++;
    }
  }
  return { end: limit, contentEnd: limit, value: value + text.slice(from, limit) };
}

/** Where a here-string's closing line (`'@` or `"@` at column 0) starts, scanning from `i`. */
function hereStringClose(text: string, i: number, isQuote: (c: number) => boolean): { contentEnd: number; end: number } {
  const closesAt = (p: number) => isQuote(text.charCodeAt(p)) && text.charCodeAt(p + 1) === AT;
  if (closesAt(i)) return { contentEnd: i, end: i + 2 };
  for (let j = i; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (!isLineBreak(c)) continue;
    const next = c === CR && text.charCodeAt(j + 1) === LF ? j + 2 : j + 1;
    if (closesAt(next)) return { contentEnd: j, end: next + 2 };
    j = next - 1;
  }
  return { contentEnd: text.length, end: text.length };
}

/**
 * The parts of expandable text from `start` to `end`: literal runs (backtick escapes applied,
 * `""` collapsed when `doubledQuotes`), variables and subexpressions.
 */
function expandableParts(text: string, start: number, end: number, doubledQuotes: boolean): Part[] {
  const parts: Part[] = [];
  let value = '';
  let runStart = start;
  let from = start;
  const flush = (at: number) => {
    value += text.slice(from, at);
    if (value !== '') parts.push({ kind: 'text', value, start: runStart, end: at });
    value = '';
  };
  let j = start;
  while (j < end) {
    const c = text.charCodeAt(j);
    if (c === BACKTICK && j + 1 < end) {
      value += text.slice(from, j) + unescape(text[j + 1]);
      j += 2;
      from = j;
    } else if (doubledQuotes && isDoubleQuote(c)) {
      value += text.slice(from, j + 1);
      j += 2;
      from = j;
    } else if (c === DOLLAR && text.charCodeAt(j + 1) === LPAREN) {
      flush(j);
      const after = skipSubexpression(text, j + 2, end);
      parts.push({ kind: 'expression', start: j, end: after });
      j = from = runStart = after;
    } else if (c === DOLLAR && variableEnd(text, j, end) > 0) {
      flush(j);
      const after = variableEnd(text, j, end);
      const name = text.slice(j, after);
      const key = variableKey(name);
      // Inside a string PowerShell expands $true and $false to their .NET spelling.
      if (key === 'true' || key === 'false') parts.push({ kind: 'text', value: key === 'true' ? 'True' : 'False', start: j, end: after });
      else parts.push({ kind: 'variable', name, key, start: j, end: after });
      j = from = runStart = after;
    } else {
      j++;
    }
  }
  flush(Math.min(j, end));
  return parts;
}

function isWordEnd(c: number, bracketDepth: number): boolean {
  return (
    isSpace(c) ||
    isLineBreak(c) ||
    c === SEMI ||
    c === PIPE ||
    c === AMP ||
    c === COMMA ||
    c === LPAREN ||
    c === RPAREN ||
    c === LBRACE ||
    c === RBRACE ||
    c === GT ||
    (c === RBRACKET && bracketDepth > 0) ||
    isSingleQuote(c) ||
    isDoubleQuote(c)
  );
}

const NO_PARTS: Part[] = [];
const OPEN_OF: Record<string, string[]> = { ')': ['(', '$(', '@('], '}': ['{', '@{'], ']': ['['] };

export function tokenize(text: string): Token[] {
  const n = text.length;
  const tokens: Token[] = [];
  const openStack: number[] = [];
  const openCount: Record<string, number> = { ')': 0, '}': 0, ']': 0 };
  let prevEnd = -1;

  // Every token gets the same object shape: inputs of millions of tokens stay fast.
  const push = (kind: TokenKind, start: number, end: number, label = '', parts: Part[] = NO_PARTS): Token => {
    const t: Token = {
      kind,
      start,
      end,
      glued: start === prevEnd,
      match: -1,
      parts,
      text: label,
      colon: false,
      contentStart: start,
      contentEnd: end,
    };
    tokens.push(t);
    prevEnd = end;
    return t;
  };
  const pushString = (start: number, end: number, contentStart: number, contentEnd: number, parts: Part[]) => {
    // An empty string still has a value: ''.
    const t = push(
      'string',
      start,
      end,
      '',
      parts.length > 0 ? parts : [{ kind: 'text', value: '', start: contentStart, end: contentEnd }],
    );
    t.contentStart = contentStart;
    t.contentEnd = contentEnd;
  };
  const closerOf = (open: string) => (open.endsWith('(') ? ')' : open.endsWith('{') ? '}' : ']');

  const open = (start: number, op: string) => {
    openStack.push(tokens.length);
    openCount[closerOf(op)]++;
    push('open', start, start + op.length, op);
  };
  const close = (start: number, op: string) => {
    const t = push('close', start, start + 1, op);
    if (openCount[op] === 0) return; // stray: matches nothing
    // Constructs left open inside this one end here too.
    for (let o = openStack.pop(); o !== undefined; o = openStack.pop()) {
      const opener = tokens[o];
      openCount[closerOf(opener.text)]--;
      opener.match = tokens.length - 1;
      if (OPEN_OF[op].includes(opener.text)) {
        t.match = o;
        return;
      }
    }
  };

  const word = (start: number): number => {
    let j = start;
    let value = '';
    let from = start;
    while (j < n) {
      const c = text.charCodeAt(j);
      if (isWordEnd(c, openCount[']']) && j > start) break;
      if (c === DOLLAR && j > start && (text.charCodeAt(j + 1) === LPAREN || variableEnd(text, j, n) > 0)) break;
      if (c === BACKTICK) {
        if (continuationEnd(text, j) >= 0) break;
        value += text.slice(from, j) + (j + 1 < n ? unescape(text[j + 1]) : '');
        j = Math.min(j + 2, n);
        from = j;
        continue;
      }
      j++;
    }
    value += text.slice(from, j);
    push('word', start, j, '', [{ kind: 'text', value, start, end: j }]);
    return j;
  };

  // Line breaks after these leave the statement open, as PowerShell reads them.
  const continuesStatement = () => {
    const last = tokens[tokens.length - 1];
    if (!last) return true;
    const k = last.kind;
    return k === 'newline' || k === 'pipe' || k === 'comma' || k === 'assign' || k === 'chain' || (k === 'open' && last.text !== '[');
  };

  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    if (isSpace(c)) {
      i++;
    } else if (isLineBreak(c)) {
      const end = c === CR && next === LF ? i + 2 : i + 1;
      if (!continuesStatement()) push('newline', i, end);
      i = end;
    } else if (c === BACKTICK && continuationEnd(text, i) >= 0) {
      i = continuationEnd(text, i);
    } else if (c === HASH) {
      while (i < n && !isLineBreak(text.charCodeAt(i))) i++;
    } else if (c === LT && next === HASH) {
      const end = text.indexOf('#>', i + 2);
      i = end < 0 ? n : end + 2;
    } else if (c === SEMI) {
      push('semicolon', i, ++i);
    } else if (c === PIPE || c === AMP) {
      if (next === c) push('chain', i, (i += 2));
      else push(c === PIPE ? 'pipe' : 'ampersand', i, ++i);
    } else if (c === COMMA) {
      push('comma', i, ++i);
    } else if (c === EQUALS) {
      push('assign', i, ++i);
    } else if (c === LPAREN || c === LBRACE || c === LBRACKET) {
      open(i, text[i]);
      i++;
    } else if (c === RPAREN || c === RBRACE || c === RBRACKET) {
      close(i, text[i]);
      i++;
    } else if (c === GT || ((c === STAR || (c >= 48 && c <= 57)) && next === GT)) {
      let j = c === GT ? i + 1 : i + 2;
      if (text.charCodeAt(j) === GT) j++;
      if (text.charCodeAt(j) === AMP && text.charCodeAt(j + 1) >= 48 && text.charCodeAt(j + 1) <= 57) j += 2;
      push('redirect', i, j, text.slice(i, j));
      i = j;
    } else if (isSingleQuote(c)) {
      const s = readSingleQuoted(text, i, n);
      pushString(i, s.end, i + 1, s.contentEnd, [{ kind: 'text', value: s.value, start: i + 1, end: s.contentEnd }]);
      i = s.end;
    } else if (isDoubleQuote(c)) {
      let j = i + 1;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === BACKTICK) j += 2;
        else if (d === DOLLAR && text.charCodeAt(j + 1) === LPAREN) j = skipSubexpression(text, j + 2, n);
        else if (!isDoubleQuote(d)) j++;
        else if (isDoubleQuote(text.charCodeAt(j + 1))) j += 2;
        else break;
      }
      const contentEnd = Math.min(j, n);
      const parts = expandableParts(text, i + 1, contentEnd, true);
      pushString(i, Math.min(j + 1, n), i + 1, contentEnd, parts);
      i = Math.min(j + 1, n);
    } else if (c === AT && (isSingleQuote(next) || isDoubleQuote(next)) && hereStringBodyStart(text, i + 2) >= 0) {
      const bodyStart = hereStringBodyStart(text, i + 2);
      const single = isSingleQuote(next);
      const h = hereStringClose(text, bodyStart, single ? isSingleQuote : isDoubleQuote);
      const parts = single
        ? [{ kind: 'text' as const, value: text.slice(bodyStart, h.contentEnd), start: bodyStart, end: h.contentEnd }]
        : expandableParts(text, bodyStart, h.contentEnd, false);
      pushString(i, h.end, bodyStart, h.contentEnd, parts);
      i = h.end;
    } else if (c === DOLLAR && next === LPAREN) {
      open(i, '$(');
      i += 2;
    } else if (c === AT && (next === LPAREN || next === LBRACE)) {
      open(i, text.slice(i, i + 2));
      i += 2;
    } else if (c === AT && isIdentChar(next)) {
      let j = i + 1;
      while (j < n && isIdentChar(text.charCodeAt(j))) j++;
      push('splat', i, j, text.slice(i, j));
      i = j;
    } else if (c === DOLLAR && variableEnd(text, i, n) > 0) {
      const end = variableEnd(text, i, n);
      const name = text.slice(i, end);
      const key = variableKey(name);
      const parts: Part[] =
        key === 'true' || key === 'false'
          ? [{ kind: 'text', value: `$${key}`, start: i, end }]
          : [{ kind: 'variable', name, key, start: i, end }];
      push('variable', i, end, '', parts);
      i = end;
    } else if (isDash(c) && (isIdentChar(next) || next === QUESTION) && !(next >= 48 && next <= 57)) {
      let j = i + 1;
      while (j < n && (isIdentChar(text.charCodeAt(j)) || text.charCodeAt(j) === QUESTION)) j++;
      const colon = text.charCodeAt(j) === COLON;
      if (colon || j >= n || isWordEnd(text.charCodeAt(j), openCount[']']) || text.charCodeAt(j) === BACKTICK) {
        push('parameter', i, colon ? j + 1 : j, text.slice(i + 1, j)).colon = colon;
        i = colon ? j + 1 : j;
      } else {
        i = word(i);
      }
    } else {
      i = word(i);
    }
  }
  for (const o of openStack) tokens[o].match = tokens.length;
  return tokens;
}

/** Offset after the line break that must follow `@'` / `@"` (spaces allowed), or -1. */
function hereStringBodyStart(text: string, i: number): number {
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  const c = text.charCodeAt(i);
  if (c === CR) return text.charCodeAt(i + 1) === LF ? i + 2 : i + 1;
  return c === LF ? i + 1 : -1;
}
