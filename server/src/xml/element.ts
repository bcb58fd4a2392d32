import { decodeXmlText } from './entities';

/** An attribute as written; its value is decoded only when asked for (a 10 MB value costs nothing until read). */
export class XmlAttribute {
  private decoded?: string;

  constructor(
    private readonly text: string,
    /** Qualified name as written (`xmlns:t`, `Fqdn`). */
    readonly name: string,
    readonly nameStart: number,
    /** Offsets of the raw value between the quotes. */
    readonly valueStart: number,
    readonly valueEnd: number,
  ) {}

  /** Name without a namespace prefix. */
  get local(): string {
    const colon = this.name.indexOf(':');
    return colon < 0 ? this.name : this.name.slice(colon + 1);
  }

  /** Value with predefined entities and character references decoded. */
  get value(): string {
    return (this.decoded ??= decodeXmlText(this.text.slice(this.valueStart, this.valueEnd)));
  }
}

/** An element closed before the first well-formedness error, so its content can be trusted. */
export type ClosedElement = XmlElement & { readonly end: number };

export function isClosed(e: XmlElement): e is ClosedElement {
  return e.end !== undefined;
}

/**
 * An element with its exact offsets in the source text. Attributes are read from the raw
 * start tag only when asked for: most elements of a large topology are never inspected.
 */
export class XmlElement {
  readonly children: XmlElement[] = [];
  private attrs?: XmlAttribute[];
  private tagEnd = -1;

  constructor(
    private readonly text: string,
    /** Qualified name as written. */
    readonly name: string,
    /** Offset of `<`. */
    readonly start: number,
    /** Offset just after the element's last character; undefined when it was never closed. */
    readonly end: number | undefined,
    readonly parent: XmlElement | undefined,
  ) {}

  get local(): string {
    const colon = this.name.indexOf(':');
    return colon < 0 ? this.name : this.name.slice(colon + 1);
  }

  /** Offset just after the start tag's `>`. */
  get startTagEnd(): number {
    this.attributes();
    return this.tagEnd;
  }

  get selfClosing(): boolean {
    return this.text.charCodeAt(this.startTagEnd - 2) === 47; // '/'
  }

  attributes(): XmlAttribute[] {
    return (this.attrs ??= this.scan());
  }

  attr(local: string): XmlAttribute | undefined {
    for (const a of this.attributes()) if (a.local === local && !a.name.startsWith('xmlns')) return a;
    return undefined;
  }

  child(local: string): XmlElement | undefined {
    for (const c of this.children) if (c.local === local) return c;
    return undefined;
  }

  childrenNamed(local: string): XmlElement[] {
    return this.children.filter((c) => c.local === local);
  }

  /** Descendants with this local name (`*`: all) in document order; iterative, so nesting depth costs no stack. */
  *descendants(local: string): Generator<XmlElement> {
    const stack: XmlElement[] = [];
    for (let i = this.children.length - 1; i >= 0; i--) stack.push(this.children[i]);
    while (stack.length > 0) {
      const e = stack.pop();
      if (!e) break;
      if (local === '*' || e.local === local) yield e;
      for (let i = e.children.length - 1; i >= 0; i--) stack.push(e.children[i]);
    }
  }

  /** Trimmed raw text between the tags, for leaf elements such as CLIXML `<S>`. */
  textRange(): { start: number; end: number } {
    let s = this.startTagEnd;
    if (this.selfClosing || this.end === undefined) return { start: s, end: s };
    // From the last character on: `</` of a parent's end tag may start right at `end`.
    let e = this.text.lastIndexOf('</', this.end - 1);
    if (e < s) e = s;
    while (s < e && isSpace(this.text.charCodeAt(s))) s++;
    while (e > s && isSpace(this.text.charCodeAt(e - 1))) e--;
    return { start: s, end: e };
  }

  textValue(): string {
    const r = this.textRange();
    return decodeXmlText(this.text.slice(r.start, r.end));
  }

  /** Namespace URI bound to this element's prefix (or the default namespace). */
  namespace(): string | undefined {
    const colon = this.name.indexOf(':');
    const key = colon < 0 ? 'xmlns' : 'xmlns:' + this.name.slice(0, colon);
    for (const e of this.lineage()) {
      const decl = e.attributes().find((a) => a.name === key);
      if (decl) return decl.value;
    }
    return undefined;
  }

  /** This element, then its parent, up to the root. */
  *lineage(): Generator<XmlElement> {
    yield this;
    for (let e = this.parent; e; e = e.parent) yield e;
  }

  private scan(): XmlAttribute[] {
    const t = this.text;
    const attrs: XmlAttribute[] = [];
    let i = this.start + 1 + this.name.length;
    const n = t.length;
    for (;;) {
      while (i < n && isSpace(t.charCodeAt(i))) i++;
      if (i >= n) break;
      const c = t.charCodeAt(i);
      // '>' or '/>' ends the start tag.
      if (c === 62) {
        i++;
        break;
      }
      if (c === 47 && t.charCodeAt(i + 1) === 62) {
        i += 2;
        break;
      }
      const nameStart = i;
      while (i < n && !isSpace(t.charCodeAt(i)) && t.charCodeAt(i) !== 61 && t.charCodeAt(i) !== 62 && t.charCodeAt(i) !== 47) i++;
      const name = t.slice(nameStart, i);
      while (i < n && isSpace(t.charCodeAt(i))) i++;
      // Junk is tolerated here; the well-formedness scanner reports it.
      if (t.charCodeAt(i) !== 61 || name === '') {
        i++;
        continue;
      }
      i++;
      while (i < n && isSpace(t.charCodeAt(i))) i++;
      const quote = t.charCodeAt(i);
      if (quote !== 34 && quote !== 39) continue;
      const valueStart = i + 1;
      const close = t.indexOf(quote === 34 ? '"' : "'", valueStart);
      if (close < 0) {
        i = n;
        break;
      }
      attrs.push(new XmlAttribute(t, name, nameStart, valueStart, close));
      i = close + 1;
    }
    this.tagEnd = Math.min(i, n);
    return attrs;
  }
}

/** The qualified name of the tag starting with `<` at `start`, read from the text itself. */
export function tagNameAt(text: string, start: number): string {
  let e = start + 1;
  while (e < text.length) {
    const c = text.charCodeAt(e);
    if (isSpace(c) || c === 47 || c === 62) break;
    e++;
  }
  return text.slice(start + 1, e);
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}
