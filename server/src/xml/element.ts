import { decodeXmlText } from './entities';

export interface XmlAttribute {
  /** Qualified name as written (`xmlns:t`, `Fqdn`). */
  name: string;
  /** Name without a namespace prefix. */
  local: string;
  /** Value with predefined entities decoded. */
  value: string;
  nameStart: number;
  /** Offsets of the raw value between the quotes. */
  valueStart: number;
  valueEnd: number;
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
    readonly name: string,
    /** Offset of `<`. */
    readonly start: number,
    /** Offset just after the element's last character; undefined when it was never closed. */
    readonly end: number | undefined,
    readonly parent: XmlElement | undefined,
    /** Closed before the first well-formedness error, so its content can be trusted. */
    readonly complete: boolean,
  ) {}

  get local(): string {
    const colon = this.name.indexOf(':');
    return colon < 0 ? this.name : this.name.slice(colon + 1);
  }

  /** Offset just after the start tag's `>`. */
  get startTagEnd(): number {
    if (this.tagEnd < 0) this.scan();
    return this.tagEnd;
  }

  get selfClosing(): boolean {
    return this.text.charCodeAt(this.startTagEnd - 2) === 47; // '/'
  }

  attributes(): XmlAttribute[] {
    if (!this.attrs) this.scan();
    return this.attrs!;
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

  /** Descendants with this local name, depth first, in document order. */
  *descendants(local: string): Generator<XmlElement> {
    for (const c of this.children) {
      if (c.local === local) yield c;
      yield* c.descendants(local);
    }
  }

  /** Trimmed raw text between the tags, for leaf elements such as CLIXML `<S>`. */
  textRange(): { start: number; end: number } {
    let s = this.startTagEnd;
    if (this.selfClosing || this.end === undefined) return { start: s, end: s };
    let e = this.text.lastIndexOf('</', this.end);
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
    for (let e: XmlElement | undefined = this; e; e = e.parent) {
      const decl = e.attributes().find((a) => a.name === key);
      if (decl) return decl.value;
    }
    return undefined;
  }

  private scan(): void {
    const t = this.text;
    const attrs: XmlAttribute[] = [];
    let i = this.start + 1 + this.name.length;
    const n = t.length;
    for (;;) {
      while (i < n && isSpace(t.charCodeAt(i))) i++;
      if (i >= n) break;
      const c = t.charCodeAt(i);
      if (c === 62) { i++; break; } // '>'
      if (c === 47 && t.charCodeAt(i + 1) === 62) { i += 2; break; } // '/>'
      const nameStart = i;
      while (i < n && !isSpace(t.charCodeAt(i)) && t.charCodeAt(i) !== 61 && t.charCodeAt(i) !== 62 && t.charCodeAt(i) !== 47) i++;
      const name = t.slice(nameStart, i);
      while (i < n && isSpace(t.charCodeAt(i))) i++;
      if (t.charCodeAt(i) !== 61 || name === '') { i++; continue; } // tolerate junk; the validator reports it
      i++;
      while (i < n && isSpace(t.charCodeAt(i))) i++;
      const quote = t.charCodeAt(i);
      if (quote !== 34 && quote !== 39) continue;
      const valueStart = i + 1;
      const close = t.indexOf(quote === 34 ? '"' : "'", valueStart);
      if (close < 0) { i = n; break; }
      const colon = name.indexOf(':');
      attrs.push({
        name,
        local: colon < 0 ? name : name.slice(colon + 1),
        value: decodeXmlText(t.slice(valueStart, close)),
        nameStart,
        valueStart,
        valueEnd: close,
      });
      i = close + 1;
    }
    this.attrs = attrs;
    this.tagEnd = Math.min(i, n);
  }
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}
