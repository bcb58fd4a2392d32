import { XMLParser } from 'fast-xml-parser';
import { SourceFile } from '../text/source';
import { tagNameAt, XmlElement } from './element';
import { scanXml } from './wellformed';

export interface XmlProblem {
  start: number;
  end: number;
  message: string;
}

export interface XmlDocument {
  file: SourceFile;
  /** The document element, when the text got that far. */
  root?: XmlElement;
  /** The first well-formedness error; elements from it on are not `complete`. */
  error?: XmlProblem;
  /** The `<!DOCTYPE` keyword: the declaration is never expanded, and reported so entity tricks are visible. */
  doctype?: { start: number; end: number };
  /** The `encoding="..."` pseudo-attribute of the XML declaration. */
  declaredEncoding?: { value: string; start: number; end: number };
}

// The library types the symbol as `Symbol`; it is a plain `symbol` at run time.
const META = XMLParser.getMetaDataSymbol() as unknown as symbol;

/*
 * fast-xml-parser builds the tree; well-formedness is the strict scanner's job (the parser is
 * lenient by design). Configured for what XML allows rather than for JavaScript objects:
 * - structure and offsets only: attributes are read from the raw start tags on demand, text
 *   nodes are dropped (leaf text is read from the source when asked), entities never expanded;
 * - no depth limit (the default 100 rejected real documents) and no jPath strings, which cost
 *   O(depth) per element;
 * - every tag gets one neutral key: names are read from the source text, so `constructor`,
 *   `__proto__` or `prototype` (which the parser refuses as object keys) are ordinary names.
 */
const parser = new XMLParser({
  ignoreAttributes: true,
  captureMetaData: true,
  preserveOrder: true,
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  tagValueProcessor: () => '',
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  maxNestedTags: Number.MAX_SAFE_INTEGER,
  jPath: false,
  // The parser tells `<x/>` from `<x>` by the name's trailing '/', so that much of the name is kept.
  transformTagName: (name: string) => (name.endsWith('/') ? 'e/' : 'e'),
});

interface FxpMeta {
  startIndex?: number;
  endIndex?: number;
}
type FxpNode = Record<string | symbol, unknown>;

/** The file's document; parsed once per text, however many readers look at it. */
export function parseXml(file: SourceFile): XmlDocument {
  let doc = parsed.get(file);
  if (!doc) parsed.set(file, (doc = parse(file)));
  return doc;
}

const parsed = new WeakMap<SourceFile, XmlDocument>();

function parse(file: SourceFile): XmlDocument {
  const text = file.text;
  const doc: XmlDocument = { file, declaredEncoding: readDeclaredEncoding(text) };
  const scan = scanXml(text);
  if (scan.doctype) doc.doctype = { start: scan.doctype.start, end: scan.doctype.start + '<!DOCTYPE'.length };
  if (scan.error) doc.error = { start: scan.error.start, end: scan.error.end, message: scan.error.message };

  // The parser reads only the sound prefix, and never sees the DTD (blanked to keep offsets).
  const cut = scan.error ? scan.error.cut : text.length;
  let input = cut < text.length ? text.slice(0, cut) : text;
  const dt = scan.doctype;
  if (dt && dt.start < cut)
    input = input.slice(0, dt.start) + ' '.repeat(Math.min(dt.end, cut) - dt.start) + input.slice(Math.min(dt.end, cut));
  let nodes: FxpNode[];
  try {
    nodes = parser.parse(input) as FxpNode[];
  } catch (e) {
    // The scanner found this prefix sound; a parser failure on it is ours, and must not pass silently.
    doc.error ??= {
      start: 0,
      end: Math.min(1, text.length),
      message: `lync-kst could not read this document (${e instanceof Error ? e.message : String(e)}).`,
    };
    return doc;
  }
  doc.root = toTree(text, nodes);
  return doc;
}

/** The document element and its descendants, built without recursion (documents may nest a million deep). */
function toTree(text: string, nodes: FxpNode[]): XmlElement | undefined {
  const rootNode = nodes.find((n) => startOf(n) !== undefined);
  const root = rootNode && element(text, rootNode, undefined);
  if (!rootNode || !root) return undefined;
  const stack: [FxpNode[], number, XmlElement][] = [[kids(rootNode), 0, root]];
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const [list, i, parent] = top;
    if (i >= list.length) {
      stack.pop();
      continue;
    }
    top[1] = i + 1;
    const node = list[i];
    const el = element(text, node, parent);
    if (!el) continue;
    parent.children.push(el);
    const children = kids(node);
    if (children.length > 0) stack.push([children, 0, el]);
  }
  return root;
}

/** Offset of the element's `<`; text and comment nodes have none. */
function startOf(node: FxpNode): number | undefined {
  return (node[META] as FxpMeta | undefined)?.startIndex;
}

function kids(node: FxpNode): FxpNode[] {
  const k = node.e;
  return Array.isArray(k) ? (k as FxpNode[]) : [];
}

/** The element a parser node stands for, or undefined for text and comments. */
function element(text: string, node: FxpNode, parent: XmlElement | undefined): XmlElement | undefined {
  const start = startOf(node);
  if (start === undefined) return undefined;
  return new XmlElement(text, tagNameAt(text, start), start, (node[META] as FxpMeta).endIndex, parent);
}

function readDeclaredEncoding(text: string): XmlDocument['declaredEncoding'] {
  const m = /^\s*<\?xml\b[^>]*?\bencoding\s*=\s*(["'])([^"']*)\1/.exec(text.slice(0, 512));
  if (!m) return undefined;
  const start = m.index + m[0].length - 1 - m[2].length;
  return { value: m[2], start, end: start + m[2].length };
}
