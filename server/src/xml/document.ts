import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { SourceFile } from '../text/source';
import { XmlElement } from './element';

export interface XmlProblem {
  start: number;
  end: number;
  message: string;
}

export interface XmlDocument {
  file: SourceFile;
  /** The document element, when the text got that far. */
  root?: XmlElement;
  /** The first well-formedness error; elements after it are not `complete`. */
  error?: XmlProblem;
  /** A `<!DOCTYPE`: never expanded, reported so entity tricks are visible. */
  doctype?: { start: number; end: number };
  /** The `encoding="..."` pseudo-attribute of the XML declaration. */
  declaredEncoding?: { value: string; start: number; end: number };
}

// The library types the symbol as `Symbol`; it is a plain `symbol` at run time.
const META = XMLParser.getMetaDataSymbol() as unknown as symbol;

// Structure and offsets only: attributes are read from the raw start tags on demand, and
// entities are never expanded (no entity-expansion attack can cost time or memory).
const parser = new XMLParser({
  ignoreAttributes: true,
  captureMetaData: true,
  preserveOrder: true,
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

interface FxpMeta { startIndex?: number; endIndex?: number }
type FxpNode = Record<string | symbol, any>;

export function parseXml(file: SourceFile): XmlDocument {
  const text = file.text;
  const doc: XmlDocument = { file };
  doc.declaredEncoding = readDeclaredEncoding(text);

  const verdict = XMLValidator.validate(text);
  let nodes = tryParse(text);
  let breakAt = text.length;
  if (verdict !== true) {
    const err = verdict.err;
    const unclosed = err.code === 'InvalidXml' && /^Invalid '\[/.test(err.msg);
    if (unclosed || nodes === undefined) {
      doc.error = truncation(text, nodes);
    } else {
      const at = file.lines.offsetAt({ line: Math.max(0, (err.line ?? 1) - 1), character: Math.max(0, (err.col ?? 1) - 1) });
      doc.error = { start: at, end: tokenEnd(text, at), message: cleanMessage(err.msg) };
    }
    breakAt = doc.error.start;
    // Parse what precedes the break; if even that trips the parser, back off to the last complete tag.
    if (nodes === undefined) nodes = tryParse(text.slice(0, breakAt)) ?? tryParse(text.slice(0, text.lastIndexOf('>', breakAt - 1) + 1));
  }
  const roots = toElements(text, nodes ?? [], undefined, breakAt);
  doc.root = roots[0];
  if (!doc.error && roots.length === 0) {
    doc.error = { start: 0, end: Math.min(text.length, 1), message: 'No root element.' };
  }
  const dt = text.lastIndexOf('<!DOCTYPE', doc.root ? doc.root.start : text.length);
  if (dt >= 0) doc.doctype = { start: dt, end: dt + '<!DOCTYPE'.length };
  return doc;
}

function tryParse(text: string): FxpNode[] | undefined {
  try {
    return parser.parse(text) as FxpNode[];
  } catch {
    return undefined;
  }
}

function toElements(text: string, nodes: FxpNode[], parent: XmlElement | undefined, breakAt: number): XmlElement[] {
  const out: XmlElement[] = [];
  for (const node of nodes) {
    const meta = node[META] as FxpMeta | undefined;
    if (!meta || meta.startIndex === undefined) continue; // text node
    let tag = '';
    for (const k in node) { tag = k; break; }
    if (tag === '' || tag[0] === '#' || tag[0] === '?') continue;
    const end = meta.endIndex;
    const el = new XmlElement(text, tag, meta.startIndex, end, parent, end !== undefined && end <= breakAt);
    const kids = node[tag] as FxpNode[];
    if (Array.isArray(kids) && kids.length > 0) el.children.push(...toElements(text, kids, el, breakAt));
    out.push(el);
  }
  return out;
}

/** The file stops before its open elements are closed: report at the break, not at 1:1. */
function truncation(text: string, nodes: FxpNode[] | undefined): XmlProblem {
  let end = text.length;
  while (end > 0 && /\s/.test(text[end - 1])) end--;
  const lt = text.lastIndexOf('<', end);
  const partialTag = lt >= 0 && text.indexOf('>', lt) < 0;
  const start = partialTag ? lt : Math.max(0, end - 1);
  const open = nodes ? openElements(nodes) : [];
  const list = open.length ? ` before ${open.reverse().map((n) => `</${n}>`).join(', ')}` : '';
  return {
    start,
    end: Math.max(end, start + 1),
    message: `The file ends${list}${partialTag ? ' in the middle of a tag' : ''}: it looks truncated. Only the elements that are complete are read.`,
  };
}

function openElements(nodes: FxpNode[]): string[] {
  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i];
    const meta = node[META] as FxpMeta | undefined;
    if (!meta || meta.startIndex === undefined) continue;
    let tag = '';
    for (const k in node) { tag = k; break; }
    if (meta.endIndex !== undefined) return [];
    return [tag, ...openElements((node[tag] as FxpNode[]) ?? [])];
  }
  return [];
}

function tokenEnd(text: string, at: number): number {
  let e = at;
  while (e < text.length && e - at < 64 && !/[\s<>]/.test(text[e])) e++;
  if (e === at && at < text.length) e = at + 1;
  return e;
}

function cleanMessage(msg: string): string {
  return msg.replace(/\s+/g, ' ').trim();
}

function readDeclaredEncoding(text: string): XmlDocument['declaredEncoding'] {
  const m = /^\s*<\?xml\b[^>]*?\bencoding\s*=\s*(["'])([^"']*)\1/.exec(text.slice(0, 512));
  if (!m) return undefined;
  const start = m.index + m[0].length - 1 - m[2].length;
  return { value: m[2], start, end: start + m[2].length };
}
