/**
 * A strict XML 1.0 (fifth edition) well-formedness scanner: it finds the first error, precisely,
 * in one forward pass. fast-xml-parser still builds the tree; its validator misses control
 * characters, '<' in attribute values and undefined entities, and reports a truncated file at the
 * root's start tag. Nothing is expanded, nothing is validated against the DTD, namespaces are not
 * checked.
 */

export interface XmlScan {
  /**
   * The first well-formedness error, if any: [start, end) offsets into the text, and a message for a
   * Lync admin. `cut`: the text before it is a sound prefix (it stops before the markup holding the
   * error, or at the error in text; all of it when the file just ends early).
   */
  error?: { start: number; end: number; message: string; truncated: boolean; cut: number };
  /** The whole DOCTYPE declaration (from `<!DOCTYPE` to its closing `>`), if any. */
  doctype?: { start: number; end: number };
  /** Offset of the document element's `<`, if the scan got that far. */
  rootStart?: number;
}

/** Never throws. Linear in time and memory: one pass, no recursion (a million-deep document is fine). */
export function scanXml(text: string): XmlScan {
  return new Scanner(text).run();
}

const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const BANG = 0x21;
const QUOT = 0x22;
const HASH = 0x23;
const PCT = 0x25;
const AMP = 0x26;
const APOS = 0x27;
const DASH = 0x2d;
const SLASH = 0x2f;
const SEMI = 0x3b;
const LT = 0x3c;
const EQ = 0x3d;
const GT = 0x3e;
const QM = 0x3f;
const LSQB = 0x5b;
const RSQB = 0x5d;

/** Beyond this many attributes in one tag, duplicates are found with a Set instead of by comparison. */
const FEW_ATTRIBUTES = 16;
/** Open elements named in a truncation message. */
const LISTED_OPEN = 8;

// Kinds of declared general entities: what a reference to one may do.
const INTERNAL = 0;
/** Internal, and its value has a '<': not allowed in an attribute value. */
const INTERNAL_LT = 1;
/** External parsed (SYSTEM/PUBLIC): not allowed in an attribute value. */
const EXTERNAL = 2;
/** Unparsed (NDATA): not allowed in a reference at all. */
const UNPARSED = 3;

// Where a reference occurs.
const IN_CONTENT = 0;
/** In an attribute value, or an attribute's default in an ATTLIST. */
const IN_ATTRIBUTE = 1;
/** In an entity value: only the syntax is checked (general entities are bypassed there, not expanded). */
const IN_ENTITY_VALUE = 2;

// Quoted literals in the DTD.
const ENTITY_VALUE = 0;
const ATTRIBUTE_DEFAULT = 1;
/** A system literal or public id in a NOTATION: any characters. */
const SYSTEM_LITERAL = 2;

// ASCII name characters. Bit 1: NameStartChar; bit 2: NameChar.
const ASCII_NAME = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const start = c === 0x3a || c === 0x5f || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
  const more = c === DASH || c === 0x2e || (c >= 0x30 && c <= 0x39);
  ASCII_NAME[c] = start ? 3 : more ? 2 : 0;
}

function isWs(c: number): boolean {
  return c === SPACE || c === LF || c === TAB || c === CR;
}

/** Code units of the legal XML Char at i (c is its code unit): 1, 2 for a surrogate pair, 0 if illegal. */
function charLen(t: string, i: number, c: number): number {
  if (c < 0x20) return c === TAB || c === LF || c === CR ? 1 : 0;
  if (c < 0xd800) return 1;
  if (c < 0xdc00) {
    const d = t.charCodeAt(i + 1);
    return d >= 0xdc00 && d < 0xe000 ? 2 : 0;
  }
  if (c < 0xe000) return 0;
  return c < 0xfffe ? 1 : 0;
}

function isChar(v: number): boolean {
  return v < 0x20 ? v === TAB || v === LF || v === CR : v < 0xd800 || (v >= 0xe000 && v < 0xfffe) || (v >= 0x10000 && v <= 0x10ffff);
}

/** Code units of the name character at i (2 for a supplementary one), or 0. `bit` 1 asks for a NameStartChar, 2 for any NameChar. */
function nameCharLen(t: string, i: number, bit: number): number {
  const c = t.charCodeAt(i);
  if (c < 0x80) return ASCII_NAME[c] & bit ? 1 : 0;
  // U+10000–U+EFFFF: high surrogates D800–DB7F.
  if (c >= 0xd800 && c <= 0xdb7f) {
    const d = t.charCodeAt(i + 1);
    return d >= 0xdc00 && d <= 0xdfff ? 2 : 0;
  }
  if (bit === 2 && (c === 0xb7 || (c >= 0x300 && c <= 0x36f) || c === 0x203f || c === 0x2040)) return 1;
  return (c >= 0xc0 && c <= 0xd6) ||
    (c >= 0xd8 && c <= 0xf6) ||
    (c >= 0xf8 && c <= 0x2ff) ||
    (c >= 0x370 && c <= 0x37d) ||
    (c >= 0x37f && c <= 0x1fff) ||
    c === 0x200c ||
    c === 0x200d ||
    (c >= 0x2070 && c <= 0x218f) ||
    (c >= 0x2c00 && c <= 0x2fef) ||
    (c >= 0x3001 && c <= 0xd7ff) ||
    (c >= 0xf900 && c <= 0xfdcf) ||
    (c >= 0xfdf0 && c <= 0xfffd)
    ? 1
    : 0;
}

/** End of the name that starts at i (which holds a NameStartChar). */
function nameEnd(t: string, i: number): number {
  let j = i + nameCharLen(t, i, 1);
  for (;;) {
    const c = t.charCodeAt(j);
    if (c < 0x80) {
      if ((ASCII_NAME[c] & 2) === 0) return j;
      j++;
    } else {
      const k = nameCharLen(t, j, 2);
      if (k === 0) return j;
      j += k;
    }
  }
}

function isPubidChar(c: number): boolean {
  if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39)) return true;
  return c === SPACE || c === CR || c === LF || "-'()+,./:=?;!*#@$_%".includes(String.fromCharCode(c));
}

/** [A-Za-z0-9._-]: every character an XML declaration value (version, encoding, standalone) may have. */
function isDeclValueChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x5f || c === DASH;
}

function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const l = c | 0x20;
  return l >= 0x61 && l <= 0x66 ? l - 0x57 : -1;
}

function u(v: number): string {
  return 'U+' + v.toString(16).toUpperCase().padStart(4, '0');
}

class Scanner {
  private readonly n: number;
  private readonly out: XmlScan = {};
  /** Open elements: the offset of each start tag's '<' and its name's length. */
  private readonly openAt: number[] = [];
  private readonly openLen: number[] = [];
  private depth = 0;
  /** The last complete tag, comment, PI or CDATA section: where a file that breaks off in content is reported. */
  private lastStart = 0;
  private lastEnd = 0;
  // The attribute names of the current start tag, as offsets and lengths, and as a Set once there are many.
  private readonly attrAt: number[] = [];
  private readonly attrLen: number[] = [];
  private attrCount = 0;
  private attrSet: Set<string> | undefined;
  /** General entities declared in the internal subset, by kind. */
  private readonly entities = new Map<string, number>();
  private standalone = false;
  /**
   * The DTD has parts a non-validating processor does not read (an external subset, or a parameter
   * entity reference before this point), so an undeclared entity may be declared there; unless
   * standalone="yes" (the "Entity Declared" WFC).
   */
  private lenient = false;
  /** Entity declarations after an unread parameter entity are not processed (XML 1.0 §5.1): it may have declared them first. */
  private afterPeReference = false;
  /** The code point of the last character reference read, -1 after an entity reference. */
  private refValue = -1;
  /** Whether the last quoted literal read has a '<'. */
  private literalHasLt = false;
  /** Where the markup being read starts ('<'), or -1 in text. */
  private markupAt = -1;

  constructor(private readonly t: string) {
    this.n = t.length;
  }

  run(): XmlScan {
    const t = this.t;
    const n = this.n;
    const first = t.charCodeAt(0) === 0xfeff ? 1 : 0;
    let i = first;
    while (i >= 0 && i < n) {
      i = this.depth > 0 ? this.content(i) : this.outside(i);
      if (i >= 0 && i < n) {
        this.markupAt = i;
        i = this.markup(i, first);
        if (i >= 0) this.markupAt = -1;
      }
    }
    if (i >= 0) this.atEnd();
    return this.out;
  }

  // ---- results ----

  private fail(start: number, end: number, message: string, truncated = false, cut = this.markupAt >= 0 ? this.markupAt : start): number {
    const s = Math.max(0, Math.min(start, this.n));
    this.out.error = { start: s, end: Math.max(s, Math.min(end, this.n)), message, truncated, cut: Math.max(0, Math.min(cut, this.n)) };
    return -1;
  }

  private noRoot(): number {
    return this.fail(0, 1, 'No root element.');
  }

  private badChar(i: number): number {
    const c = this.t.charCodeAt(i);
    let what: string;
    if (c < 0x20) what = `Control character ${u(c)}${c === 0 ? ' (NUL)' : ''}`;
    else if (c >= 0xd800 && c < 0xe000) what = `A lone surrogate ${u(c)} (half of a character, the text is probably mis-decoded)`;
    else what = `Character ${u(c)}`;
    return this.fail(i, i + 1, `${what} is not allowed in XML`);
  }

  /** An unexpected character at i (< n): named, unless it is not a legal character at all. */
  private unexpected(i: number, context: string): number {
    const c = this.t.charCodeAt(i);
    const k = charLen(this.t, i, c);
    if (k === 0) return this.badChar(i);
    return this.fail(i, i + k, `Unexpected '${this.t.slice(i, i + k)}' ${context}`);
  }

  /** The text ends inside the markup that starts at lt. */
  private cut(lt: number, what: string): number {
    if (this.out.rootStart === undefined) return this.noRoot();
    let end = this.n;
    while (end > lt + 1 && isWs(this.t.charCodeAt(end - 1))) end--;
    return this.fail(lt, end, `The file ends${this.openList()} in the middle of ${what}: it looks truncated.`, true);
  }

  private atEnd(): void {
    if (this.out.rootStart === undefined) this.noRoot();
    else if (this.depth > 0) this.fail(this.lastStart, this.lastEnd, `The file ends${this.openList()}: it looks truncated.`, true, this.n);
  }

  private openList(): string {
    const d = this.depth;
    if (d === 0) return '';
    const shown: string[] = [];
    for (let k = d - 1; k >= 0 && shown.length < LISTED_OPEN; k--)
      shown.push(`</${this.show(this.openAt[k] + 1, this.openAt[k] + 1 + this.openLen[k])}>`);
    return ` before ${shown.join(', ')}${d > LISTED_OPEN ? ` and ${d - LISTED_OPEN} more` : ''}`;
  }

  /** Text for a message: a name or a reference, shortened if it is huge. */
  private show(start: number, end: number): string {
    if (end - start <= 60) return this.t.slice(start, end);
    let e = start + 57;
    if (this.t.charCodeAt(e - 1) >= 0xd800 && this.t.charCodeAt(e - 1) < 0xdc00) e--;
    return this.t.slice(start, e) + '…';
  }

  private nameAt(at: number): string {
    return this.show(at, nameEnd(this.t, at));
  }

  /** 1-based line of an offset, counting CRLF, LF and a lone CR as one line break each, as editors do. */
  private lineOf(offset: number): number {
    let line = 1;
    for (let i = 0; i < offset; i++) {
      const c = this.t.charCodeAt(i);
      if (c === LF || (c === CR && this.t.charCodeAt(i + 1) !== LF)) line++;
    }
    return line;
  }

  private skipWs(j: number): number {
    while (j < this.n && isWs(this.t.charCodeAt(j))) j++;
    return j;
  }

  // ---- text ----

  /** Character data inside the root: up to the next '<' (or the end). */
  private content(i: number): number {
    const t = this.t;
    const n = this.n;
    while (i < n) {
      const c = t.charCodeAt(i);
      if (c > RSQB) {
        if (c < 0xd800) {
          i++;
          continue;
        }
        const k = charLen(t, i, c);
        if (k === 0) return this.badChar(i);
        i += k;
      } else if (c === LT) {
        return i;
      } else if (c === AMP) {
        i = this.reference(i, IN_CONTENT);
        if (i < 0) return -1;
      } else if (c === RSQB) {
        if (t.charCodeAt(i + 1) === RSQB && t.charCodeAt(i + 2) === GT) {
          return this.fail(i, i + 3, "']]>' is not allowed in text (it ends a CDATA section): write ]]&gt;");
        }
        i++;
      } else if (c < 0x20 && c !== TAB && c !== LF && c !== CR) {
        return this.badChar(i);
      } else {
        i++;
      }
    }
    return n;
  }

  /** Before or after the root: only whitespace up to the next '<'. */
  private outside(i: number): number {
    const t = this.t;
    const n = this.n;
    for (; i < n; i++) {
      const c = t.charCodeAt(i);
      if (c === LT) return i;
      if (!isWs(c)) {
        if (charLen(t, i, c) === 0) return this.badChar(i);
        let e = i;
        while (e < n && t.charCodeAt(e) !== LT && !isWs(t.charCodeAt(e))) e++;
        const root = this.out.rootStart;
        return this.fail(
          i,
          e,
          root === undefined
            ? 'Text is not allowed before the root element: an XML file starts with a tag (or <?xml ...?>)'
            : `Text is not allowed after the end of the root element </${this.nameAt(root + 1)}>`,
        );
      }
    }
    return n;
  }

  /**
   * The reference at '&' (offset i). Returns the offset after its ';', n if the text ends inside
   * it (the caller reports the truncation), or -1 after an error.
   */
  private reference(i: number, where: number): number {
    const t = this.t;
    const n = this.n;
    let j = i + 1;
    if (j >= n) return n;
    if (t.charCodeAt(j) === HASH) {
      const hex = t.charCodeAt(j + 1) === 0x78;
      j += hex ? 2 : 1;
      const digits = j;
      let v = 0;
      for (; j < n; j++) {
        const c = t.charCodeAt(j);
        const d = hex ? hexDigit(c) : c >= 0x30 && c <= 0x39 ? c - 0x30 : -1;
        if (d < 0) break;
        // Past U+10FFFF it is illegal anyway; stop growing before the number loses precision.
        if (v <= 0x10ffff) v = v * (hex ? 16 : 10) + d;
      }
      if (j >= n) return n;
      if (j === digits || t.charCodeAt(j) !== SEMI) {
        const end = t.charCodeAt(j) === SEMI ? j + 1 : j;
        return this.fail(
          i,
          Math.max(end, i + 2),
          `Malformed character reference ${this.show(i, end)}: write &#NNN; (decimal) or &#xHHHH; (hexadecimal)`,
        );
      }
      j++;
      if (!isChar(v)) {
        const what = v > 0x10ffff ? 'is beyond U+10FFFF, the last Unicode character' : `denotes ${u(v)}, which is not allowed in XML`;
        return this.fail(i, j, `Character reference ${this.show(i, j)} ${what}`);
      }
      this.refValue = v;
      return j;
    }
    this.refValue = -1;
    if (nameCharLen(t, j, 1) === 0) return this.fail(i, i + 1, "A bare '&' is not allowed: write &amp; for a literal '&'");
    const e = nameEnd(t, j);
    if (e >= n) return n;
    if (t.charCodeAt(e) !== SEMI) {
      return this.fail(i, e, `The reference ${this.show(i, e)} must end with ';' (write &amp; for a literal '&')`);
    }
    if (where === IN_ENTITY_VALUE || isPredefined(t, j, e - j)) return e + 1;
    const kind = this.entities.get(t.slice(j, e));
    let why: string;
    if (kind === undefined) {
      if (this.lenient) return e + 1;
      why = 'Undefined entity %: XML knows only &amp; &lt; &gt; &quot; &apos; and entities declared in the DOCTYPE';
    } else if (kind === UNPARSED) {
      why = '% is an unparsed (NDATA) entity, which cannot be referenced in the document';
    } else if (where === IN_ATTRIBUTE && kind === EXTERNAL) {
      why = '% is an external entity, which is not allowed in an attribute value';
    } else if (where === IN_ATTRIBUTE && kind === INTERNAL_LT) {
      why = "% contains '<', which is not allowed in an attribute value";
    } else {
      return e + 1;
    }
    return this.fail(i, e + 1, why.replace('%', this.show(i, e + 1)));
  }

  // ---- markup ----

  /** Markup at '<' (offset i < n). `first` is where the XML declaration may be. */
  private markup(i: number, first: number): number {
    const t = this.t;
    const n = this.n;
    const c = t.charCodeAt(i + 1);
    if (c === SLASH) return this.endTag(i);
    if (c === QM) return this.pi(i, i === first);
    if (c === BANG) {
      if (t.startsWith('<!--', i)) return this.comment(i);
      if (t.startsWith('<![CDATA[', i)) return this.cdata(i);
      if (t.startsWith('<!DOCTYPE', i)) return this.doctype(i);
      if (n - i < 9) {
        const rest = t.slice(i);
        if ('<!--'.startsWith(rest) || '<![CDATA['.startsWith(rest) || '<!DOCTYPE'.startsWith(rest)) return this.cut(i, 'a tag');
      }
      return this.fail(i, i + 2, "'<!' must start a comment <!-- -->, a CDATA section <![CDATA[ ]]> or the <!DOCTYPE>");
    }
    if (nameCharLen(t, i + 1, 1) > 0) return this.startTag(i);
    if (i + 1 >= n) return this.cut(i, 'a tag');
    return this.fail(i, i + 1, "'<' must start a tag: write &lt; for a literal '<'");
  }

  /** Records that a complete piece of markup spans [start, end). */
  private done(start: number, end: number): number {
    this.lastStart = start;
    this.lastEnd = end;
    return end;
  }

  private startTag(lt: number): number {
    const t = this.t;
    const n = this.n;
    const ne = nameEnd(t, lt + 1);
    if (this.out.rootStart === undefined) {
      this.out.rootStart = lt;
    } else if (this.depth === 0) {
      const root = this.out.rootStart;
      return this.fail(
        lt,
        ne,
        `Only one root element is allowed: <${this.show(lt + 1, ne)}> comes after the end of <${this.nameAt(root + 1)}>`,
      );
    }
    this.attrCount = 0;
    this.attrSet = undefined;
    let j = ne;
    for (;;) {
      const ws = j;
      j = this.skipWs(j);
      if (j >= n) return this.cut(lt, 'a tag');
      const c = t.charCodeAt(j);
      if (c === GT) {
        this.openAt[this.depth] = lt;
        this.openLen[this.depth] = ne - lt - 1;
        this.depth++;
        return this.done(lt, j + 1);
      }
      if (c === SLASH) {
        if (j + 1 >= n) return this.cut(lt, 'a tag');
        if (t.charCodeAt(j + 1) !== GT) return this.unexpected(j + 1, `after '/' in the tag <${this.show(lt + 1, ne)}>: expected '/>'`);
        return this.done(lt, j + 2);
      }
      if (nameCharLen(t, j, 1) === 0) {
        if (c === LT) return this.fail(j, j + 1, `The tag <${this.show(lt + 1, ne)}> is not closed: expected '>' before this '<'`);
        return this.unexpected(j, `in the tag <${this.show(lt + 1, ne)}>: expected an attribute name, '>' or '/>'`);
      }
      if (j === ws) return this.fail(j, nameEnd(t, j), `Attributes must be separated by whitespace: put a space before ${this.nameAt(j)}`);
      j = this.attribute(j);
      if (j < 0) return -1;
      if (j >= n) return this.cut(lt, 'a tag');
    }
  }

  /** The attribute whose name starts at `at`: returns the offset after its value, n at the end of the text, or -1. */
  private attribute(at: number): number {
    const t = this.t;
    const n = this.n;
    const ne = nameEnd(t, at);
    if (ne >= n) return n;
    if (this.repeated(at, ne))
      return this.fail(at, ne, `Attribute ${this.show(at, ne)} appears twice in this tag: each attribute may appear only once`);
    let j = this.skipWs(ne);
    if (j >= n) return n;
    if (t.charCodeAt(j) !== EQ) return this.fail(at, ne, `Attribute ${this.show(at, ne)} has no value: write ${this.show(at, ne)}="..."`);
    j = this.skipWs(j + 1);
    if (j >= n) return n;
    const q = t.charCodeAt(j);
    if (q !== QUOT && q !== APOS) {
      if (charLen(t, j, q) === 0) return this.badChar(j);
      return this.fail(j, j + 1, `The value of attribute ${this.show(at, ne)} must be in quotes: ${this.show(at, ne)}="..."`);
    }
    for (j++; j < n;) {
      const c = t.charCodeAt(j);
      if (c >= 0x20 && c < 0xd800 && c !== q && c !== LT && c !== AMP) {
        j++;
      } else if (c === q) {
        return j + 1;
      } else if (c === LT) {
        return this.fail(j, j + 1, "'<' is not allowed in an attribute value: write &lt;");
      } else if (c === AMP) {
        j = this.reference(j, IN_ATTRIBUTE);
        if (j < 0) return -1;
      } else {
        const k = charLen(t, j, c);
        if (k === 0) return this.badChar(j);
        j += k;
      }
    }
    return n;
  }

  /** Notes the attribute name [at, ne) of the current tag; true if the tag already has it. */
  private repeated(at: number, ne: number): boolean {
    const t = this.t;
    const len = ne - at;
    if (this.attrSet) {
      const s = t.slice(at, ne);
      if (this.attrSet.has(s)) return true;
      this.attrSet.add(s);
      return false;
    }
    for (let a = 0; a < this.attrCount; a++) if (this.attrLen[a] === len && sameText(t, this.attrAt[a], at, len)) return true;
    if (this.attrCount === FEW_ATTRIBUTES) {
      this.attrSet = new Set();
      for (let a = 0; a < this.attrCount; a++) this.attrSet.add(t.slice(this.attrAt[a], this.attrAt[a] + this.attrLen[a]));
      this.attrSet.add(t.slice(at, ne));
      return false;
    }
    this.attrAt[this.attrCount] = at;
    this.attrLen[this.attrCount] = len;
    this.attrCount++;
    return false;
  }

  private endTag(lt: number): number {
    const t = this.t;
    const n = this.n;
    const at = lt + 2;
    if (at >= n) return this.cut(lt, 'a tag');
    if (nameCharLen(t, at, 1) === 0) return this.unexpected(at, "after '</': expected the name of the element to close");
    const ne = nameEnd(t, at);
    const j = this.skipWs(ne);
    // Cut off inside the end tag: the name may be incomplete, so a mismatch cannot be told.
    if (j >= n) return this.cut(lt, 'a tag');
    const span = t.charCodeAt(j) === GT ? j + 1 : ne;
    const d = this.depth;
    if (d === 0) {
      const root = this.out.rootStart;
      const why = root === undefined ? 'there is no open element' : `the root element <${this.nameAt(root + 1)}> is already closed`;
      return this.fail(lt, span, `The end tag </${this.show(at, ne)}> has no start tag: ${why}`);
    }
    const so = this.openAt[d - 1];
    const len = this.openLen[d - 1];
    if (len !== ne - at || !sameText(t, so + 1, at, len)) {
      return this.fail(
        lt,
        span,
        `The end tag </${this.show(at, ne)}> does not match the start tag <${this.show(so + 1, so + 1 + len)}> on line ${this.lineOf(so)}`,
      );
    }
    if (span === ne) return this.unexpected(j, `in the end tag </${this.show(at, ne)}>: expected '>'`);
    this.depth--;
    return this.done(lt, span);
  }

  private comment(lt: number): number {
    const t = this.t;
    const n = this.n;
    for (let j = lt + 4; j < n;) {
      const c = t.charCodeAt(j);
      if (c === DASH) {
        if (t.charCodeAt(j + 1) === DASH) {
          if (j + 2 >= n) break;
          if (t.charCodeAt(j + 2) !== GT)
            return this.fail(
              j,
              j + 2,
              "'--' is not allowed inside a comment (a comment ends at the first '--', which must be followed by '>')",
            );
          return this.done(lt, j + 3);
        }
        j++;
      } else if (c >= 0x20 && c < 0xd800) {
        j++;
      } else {
        const k = charLen(t, j, c);
        if (k === 0) return this.badChar(j);
        j += k;
      }
    }
    return this.cut(lt, 'a comment');
  }

  private cdata(lt: number): number {
    const t = this.t;
    const n = this.n;
    if (this.depth === 0) return this.fail(lt, lt + 9, 'A CDATA section is allowed only inside the root element');
    for (let j = lt + 9; j < n;) {
      const c = t.charCodeAt(j);
      if (c === RSQB && t.charCodeAt(j + 1) === RSQB && t.charCodeAt(j + 2) === GT) return this.done(lt, j + 3);
      if (c >= 0x20 && c < 0xd800) {
        j++;
      } else {
        const k = charLen(t, j, c);
        if (k === 0) return this.badChar(j);
        j += k;
      }
    }
    return this.cut(lt, 'a CDATA section');
  }

  /** A processing instruction, or at the very start (`atStart`) the XML declaration. */
  private pi(lt: number, atStart: boolean): number {
    const t = this.t;
    const n = this.n;
    const at = lt + 2;
    if (at >= n) return this.cut(lt, 'a processing instruction');
    if (nameCharLen(t, at, 1) === 0) return this.unexpected(at, "after '<?': expected the processing instruction's name");
    const ne = nameEnd(t, at);
    if (ne >= n) return this.cut(lt, 'a processing instruction');
    if (
      ne - at === 3 &&
      (t.charCodeAt(at) | 0x20) === 0x78 &&
      (t.charCodeAt(at + 1) | 0x20) === 0x6d &&
      (t.charCodeAt(at + 2) | 0x20) === 0x6c
    ) {
      const lower = t.startsWith('xml', at);
      if (atStart && lower) return this.xmlDeclaration(lt, ne);
      return this.fail(
        lt,
        ne,
        lower
          ? 'The XML declaration <?xml ...?> must be the very first thing in the file (not even a blank line before it)'
          : `<?${t.slice(at, ne)} is reserved: the XML declaration is written <?xml ...?>, in lower case, at the very start`,
      );
    }
    let j = ne;
    if (!isWs(t.charCodeAt(j)) && !(t.charCodeAt(j) === QM && t.charCodeAt(j + 1) === GT)) {
      if (t.charCodeAt(j) === QM && j + 1 >= n) return this.cut(lt, 'a processing instruction');
      return this.unexpected(j, `after <?${this.show(at, ne)}: expected a space or '?>'`);
    }
    while (j < n) {
      const c = t.charCodeAt(j);
      if (c === QM && t.charCodeAt(j + 1) === GT) return this.done(lt, j + 2);
      if (c >= 0x20 && c < 0xd800) {
        j++;
      } else {
        const k = charLen(t, j, c);
        if (k === 0) return this.badChar(j);
        j += k;
      }
    }
    return this.cut(lt, 'a processing instruction');
  }

  /** `<?xml version="1.x" encoding="..." standalone="yes|no"?>`, in that order; only version is required. */
  private xmlDeclaration(lt: number, ne: number): number {
    const t = this.t;
    const n = this.n;
    const order = ['version', 'encoding', 'standalone'];
    let seen = 0;
    for (let j = ne; ;) {
      const ws = j;
      j = this.skipWs(j);
      if (j + 1 >= n) return this.noRoot();
      if (t.charCodeAt(j) === QM && t.charCodeAt(j + 1) === GT) {
        if (seen === 0) return this.fail(lt, j + 2, 'The XML declaration needs a version: <?xml version="1.0"?>');
        return this.done(lt, j + 2);
      }
      if (j === ws || nameCharLen(t, j, 1) === 0)
        return this.unexpected(j, "in the XML declaration: expected version, encoding, standalone or '?>'");
      const an = nameEnd(t, j);
      const name = this.show(j, an);
      const which = order.indexOf(name) + 1;
      if (which <= seen || (seen === 0 && which !== 1)) {
        return this.fail(
          j,
          an,
          `'${name}' is not allowed here: the XML declaration has version, then optionally encoding and standalone, in that order`,
        );
      }
      seen = which;
      j = this.skipWs(an);
      if (j >= n) return this.noRoot();
      if (t.charCodeAt(j) !== EQ) return this.unexpected(j, `after ${name} in the XML declaration: expected '='`);
      j = this.skipWs(j + 1);
      if (j >= n) return this.noRoot();
      const q = t.charCodeAt(j);
      if (q !== QUOT && q !== APOS) return this.unexpected(j, `after ${name}= in the XML declaration: expected a quoted value`);
      const vs = j + 1;
      j = vs;
      while (j < n && isDeclValueChar(t.charCodeAt(j))) j++;
      if (j >= n) return this.noRoot();
      if (t.charCodeAt(j) !== q) return this.unexpected(j, `in the ${name} of the XML declaration`);
      const value = this.show(vs, j);
      j++;
      if (which === 1 && !isVersion(t, vs, j - 1)) return this.fail(vs, j - 1, `The XML version must be 1.0 (or 1.x), not "${value}"`);
      // An encoding name starts with a letter; the loop above checked the rest.
      const letter = t.charCodeAt(vs) | 0x20;
      if (which === 2 && !(letter >= 0x61 && letter <= 0x7a)) return this.fail(vs, j - 1, `"${value}" is not an encoding name`);
      if (which === 3) {
        if (value !== 'yes' && value !== 'no') return this.fail(vs, j - 1, `standalone must be "yes" or "no", not "${value}"`);
        this.standalone = value === 'yes';
      }
    }
  }

  // ---- DOCTYPE ----
  // It always precedes the root, so the text ending anywhere inside it means "No root element.".

  private doctype(lt: number): number {
    const t = this.t;
    const n = this.n;
    if (this.out.rootStart !== undefined) return this.fail(lt, lt + 9, 'The <!DOCTYPE> must come before the root element');
    if (this.out.doctype) return this.fail(lt, lt + 9, 'Only one <!DOCTYPE> is allowed');
    let j = lt + 9;
    if (j >= n) return this.noRoot();
    if (!isWs(t.charCodeAt(j))) return this.unexpected(j, "after <!DOCTYPE: expected a space and the root element's name");
    j = this.skipWs(j);
    if (j >= n) return this.noRoot();
    if (nameCharLen(t, j, 1) === 0) return this.unexpected(j, "after <!DOCTYPE: expected the root element's name");
    const ne = nameEnd(t, j);
    j = this.skipWs(ne);
    if (j > ne && (t.startsWith('SYSTEM', j) || t.startsWith('PUBLIC', j))) {
      this.lenient = !this.standalone;
      j = this.externalId(j);
      if (j < 0) return -1;
      j = this.skipWs(j);
    }
    if (j < n && t.charCodeAt(j) === LSQB) {
      j = this.internalSubset(j + 1);
      if (j < 0) return -1;
      j = this.skipWs(j);
    }
    if (j >= n) return this.noRoot();
    if (t.charCodeAt(j) !== GT) return this.unexpected(j, "in the <!DOCTYPE>: expected '>'");
    this.out.doctype = { start: lt, end: j + 1 };
    return this.done(lt, j + 1);
  }

  /** `SYSTEM "uri"` or `PUBLIC "pubid" "uri"` at j: returns the offset after it, or -1. */
  private externalId(j: number): number {
    if (this.t.startsWith('PUBLIC', j)) {
      j = this.literal(j + 6, true);
      if (j < 0) return -1;
      return this.literal(j, false);
    }
    return this.literal(j + 6, false);
  }

  /** Whitespace, then a quoted system literal (or public id): returns the offset after it, or -1. */
  private literal(j: number, pubid: boolean): number {
    const t = this.t;
    const n = this.n;
    const ws = j;
    j = this.skipWs(j);
    if (j >= n) return this.noRoot();
    const what = pubid ? 'public identifier' : 'system identifier (URI)';
    if (j === ws) return this.unexpected(j, `before the ${what}: expected a space`);
    const q = t.charCodeAt(j);
    if (q !== QUOT && q !== APOS) return this.unexpected(j, `where the quoted ${what} should be`);
    for (j++; j < n;) {
      const c = t.charCodeAt(j);
      if (c === q) return j + 1;
      const k = charLen(t, j, c);
      if (k === 0) return this.badChar(j);
      if (pubid && !isPubidChar(c)) return this.fail(j, j + k, `'${t.slice(j, j + k)}' is not allowed in a public identifier`);
      j += k;
    }
    return this.noRoot();
  }

  /** The internal subset after '[': returns the offset after its ']', or -1. */
  private internalSubset(j: number): number {
    const t = this.t;
    const n = this.n;
    for (;;) {
      j = this.skipWs(j);
      if (j >= n) return this.noRoot();
      const c = t.charCodeAt(j);
      if (c === RSQB) return j + 1;
      if (c === PCT) {
        if (j + 1 >= n) return this.noRoot();
        if (nameCharLen(t, j + 1, 1) === 0) return this.unexpected(j, 'in the DOCTYPE: a parameter entity reference is written %name;');
        const ne = nameEnd(t, j + 1);
        if (ne >= n) return this.noRoot();
        if (t.charCodeAt(ne) !== SEMI) return this.fail(j, ne, `The parameter entity reference ${this.show(j, ne)} must end with ';'`);
        // Its declarations are not read (no expansion), so any entity may be declared there.
        this.lenient = !this.standalone;
        this.afterPeReference = true;
        j = ne + 1;
      } else if (c !== LT) {
        return this.unexpected(j, "in the DOCTYPE: expected a declaration <!...>, a comment, a processing instruction or ']'");
      } else if (t.startsWith('<!--', j)) {
        j = this.comment(j);
      } else if (t.startsWith('<?', j)) {
        j = this.pi(j, false);
      } else if (t.startsWith('<!ENTITY', j)) {
        j = this.entityDeclaration(j);
      } else if (t.startsWith('<!ELEMENT', j) || t.startsWith('<!ATTLIST', j) || t.startsWith('<!NOTATION', j)) {
        j = this.declaration(j);
      } else if (n - j < 10 && ['<!--', '<!ENTITY', '<!ELEMENT', '<!ATTLIST', '<!NOTATION'].some((k) => k.startsWith(t.slice(j)))) {
        return this.noRoot();
      } else {
        return this.fail(
          j,
          j + 2,
          'Expected <!ELEMENT, <!ATTLIST, <!ENTITY, <!NOTATION, a comment or a processing instruction in the DOCTYPE',
        );
      }
      if (j < 0) return -1;
    }
  }

  /** Whitespace required at j: returns the offset after it, or -1. */
  private space(j: number, context: string): number {
    const e = this.skipWs(j);
    if (e >= this.n) return this.noRoot();
    return e > j ? e : this.unexpected(j, context);
  }

  /** `<!ENTITY [% ]name "value" | ExternalID [NDATA name]>`: general entities are recorded by kind. */
  private entityDeclaration(lt: number): number {
    const t = this.t;
    const n = this.n;
    let j = this.space(lt + 8, 'after <!ENTITY: expected a space');
    if (j < 0) return -1;
    const parameter = t.charCodeAt(j) === PCT;
    if (parameter) {
      j = this.space(j + 1, "after '%' in <!ENTITY: expected a space");
      if (j < 0) return -1;
    }
    if (nameCharLen(t, j, 1) === 0) return this.unexpected(j, 'in <!ENTITY: expected the entity name');
    const ne = nameEnd(t, j);
    const name = t.slice(j, ne);
    const shown = this.show(j, ne);
    j = this.space(ne, `after <!ENTITY ${shown}: expected a space`);
    if (j < 0) return -1;
    let kind: number;
    const q = t.charCodeAt(j);
    if (q === QUOT || q === APOS) {
      j = this.quoted(j, ENTITY_VALUE);
      if (j < 0) return -1;
      kind = this.literalHasLt ? INTERNAL_LT : INTERNAL;
      j = this.skipWs(j);
    } else if (t.startsWith('SYSTEM', j) || t.startsWith('PUBLIC', j)) {
      j = this.externalId(j);
      if (j < 0) return -1;
      kind = EXTERNAL;
      const ws = j;
      j = this.skipWs(j);
      if (j > ws && !parameter && t.startsWith('NDATA', j)) {
        j = this.space(j + 5, 'after NDATA: expected a space');
        if (j < 0) return -1;
        if (nameCharLen(t, j, 1) === 0) return this.unexpected(j, 'after NDATA: expected the notation name');
        j = this.skipWs(nameEnd(t, j));
        kind = UNPARSED;
      }
    } else {
      return this.unexpected(j, `in <!ENTITY ${shown}: expected a quoted value, SYSTEM or PUBLIC`);
    }
    if (j >= n) return this.noRoot();
    if (t.charCodeAt(j) !== GT) return this.unexpected(j, "in <!ENTITY: expected '>'");
    // The first declaration binds; later ones are ignored (XML 1.0 §4.2).
    if (!parameter && !this.afterPeReference && !this.entities.has(name)) this.entities.set(name, kind);
    return j + 1;
  }

  /**
   * A quoted literal in a declaration at j: returns the offset after it, or -1. For an entity
   * value, literalHasLt tells whether it has a '<' (written or as a character reference).
   */
  private quoted(j: number, kind: number): number {
    const t = this.t;
    const n = this.n;
    const q = t.charCodeAt(j);
    this.literalHasLt = false;
    for (j++; j < n;) {
      const c = t.charCodeAt(j);
      if (c === q) return j + 1;
      if (c === AMP && kind !== SYSTEM_LITERAL) {
        j = this.reference(j, kind === ENTITY_VALUE ? IN_ENTITY_VALUE : IN_ATTRIBUTE);
        if (j < 0) return -1;
        if (this.refValue === LT) this.literalHasLt = true;
      } else if (c === PCT && kind === ENTITY_VALUE) {
        return this.fail(j, j + 1, 'A parameter entity reference (%name;) is not allowed inside a declaration in the internal DTD subset');
      } else if (c === LT && kind === ATTRIBUTE_DEFAULT) {
        return this.fail(j, j + 1, "'<' is not allowed in an attribute default value: write &lt;");
      } else {
        if (c === LT) this.literalHasLt = true;
        const k = charLen(t, j, c);
        if (k === 0) return this.badChar(j);
        j += k;
      }
    }
    return this.noRoot();
  }

  /**
   * `<!ELEMENT ...>`, `<!ATTLIST ...>` or `<!NOTATION ...>`: only the characters, the quoted
   * literals and the closing '>' are checked, not the declaration's grammar (this scanner does
   * not validate, so a content model or attribute type changes nothing it reports).
   */
  private declaration(lt: number): number {
    const t = this.t;
    const n = this.n;
    const literal = t.startsWith('<!ATTLIST', lt) ? ATTRIBUTE_DEFAULT : SYSTEM_LITERAL;
    const keyword = t.startsWith('<!NOTATION', lt) ? 'NOTATION' : t.slice(lt + 2, lt + 9);
    let j = this.space(lt + 2 + keyword.length, `after <!${keyword}: expected a space`);
    while (j >= 0 && j < n) {
      const c = t.charCodeAt(j);
      if (c === GT) return j + 1;
      if (c === QUOT || c === APOS) {
        j = this.quoted(j, literal);
      } else if (c === PCT && nameCharLen(t, j + 1, 1) > 0) {
        return this.fail(
          j,
          nameEnd(t, j + 1),
          'A parameter entity reference (%name;) is not allowed inside a declaration in the internal DTD subset',
        );
      } else if (isWs(c) || c === 0x28 || c === 0x29 || c === 0x7c || c === 0x2c || c === QM || c === 0x2a || c === 0x2b || c === HASH) {
        j++;
      } else {
        const k = nameCharLen(t, j, 2);
        if (k === 0) return this.unexpected(j, `in <!${keyword}: expected a name, a quoted value or '>'`);
        j += k;
      }
    }
    return j < 0 ? -1 : this.noRoot();
  }
}

function sameText(t: string, a: number, b: number, len: number): boolean {
  for (let k = 0; k < len; k++) if (t.charCodeAt(a + k) !== t.charCodeAt(b + k)) return false;
  return true;
}

function isPredefined(t: string, at: number, len: number): boolean {
  if (len === 2) return (t.charCodeAt(at) === 0x6c || t.charCodeAt(at) === 0x67) && t.charCodeAt(at + 1) === 0x74;
  if (len === 3) return t.startsWith('amp', at);
  return len === 4 && (t.startsWith('quot', at) || t.startsWith('apos', at));
}

/** "1." then one or more digits, in t[s, e). */
function isVersion(t: string, s: number, e: number): boolean {
  if (e - s < 3 || t.charCodeAt(s) !== 0x31 || t.charCodeAt(s + 1) !== 0x2e) return false;
  for (let i = s + 2; i < e; i++) if (t.charCodeAt(i) < 0x30 || t.charCodeAt(i) > 0x39) return false;
  return true;
}
