import { Node, parseTree, ParseError } from 'jsonc-parser';
import { depthBreak, MAX_JSON_DEPTH } from '../dialplans/json';
import { tokenize } from '../scripts/tokens';
import { XmlDocument } from '../xml/document';
import { XmlElement } from '../xml/element';

/**
 * A document reduced to what a fix must leave alone: its nodes in document order (elements,
 * script tokens, JSON values) with their depth and their own content, so two versions of a
 * file can be compared node by node. Built without recursion.
 */
export interface OutlineNode {
  depth: number;
  /** The node's own content as written: an element's start tag (and text, for a leaf), a token, a JSON scalar. */
  label: string;
  /** What the node is, for messages: `<Cluster>`, `New-CsTrustedApplicationPool`, `"ex1.contoso.com"`. */
  name: string;
  /** The whole node, children included. */
  start: number;
  end: number;
  /** The part that `label` holds. */
  ownStart: number;
  ownEnd: number;
  /** XML: the element's local name, and its parent's. */
  local?: string;
  parentLocal?: string;
}

export function xmlOutline(doc: XmlDocument): OutlineNode[] | undefined {
  if (doc.error || !doc.root) return undefined;
  const text = doc.file.text;
  const out: OutlineNode[] = [];
  const stack: [XmlElement, number][] = [[doc.root, 0]];
  while (stack.length > 0) {
    const [e, depth] = stack.pop()!;
    const leaf = e.children.length === 0 && !e.selfClosing;
    const ownEnd = leaf ? e.end! : e.startTagEnd;
    out.push({
      depth,
      label: text.slice(e.start, ownEnd),
      name: `<${e.name}>`,
      start: e.start,
      end: e.end!,
      ownStart: e.start,
      ownEnd,
      local: e.local,
      parentLocal: e.parent?.local,
    });
    for (let i = e.children.length - 1; i >= 0; i--) stack.push([e.children[i], depth + 1]);
  }
  return out;
}

/**
 * Tokens, each marked when a line break (not a backtick continuation) stands before it. Newline
 * tokens themselves are left out: the tokenizer folds consecutive ones into one, so removing a
 * statement changes how many there are without changing what the script does.
 */
export function scriptOutline(text: string): OutlineNode[] {
  const out: OutlineNode[] = [];
  let depth = 0;
  let prevEnd = 0;
  for (const t of tokenize(text)) {
    if (t.kind === 'newline') continue;
    if (t.kind === 'close' && depth > 0) depth--;
    const raw = text.slice(t.start, t.end);
    const newLine = breaksLine(text.slice(prevEnd, t.start));
    out.push({ depth, label: `${t.kind}${newLine ? '⏎' : ''}:${raw}`, name: `"${raw.length > 40 ? raw.slice(0, 39) + '…' : raw}"`, start: t.start, end: t.end, ownStart: t.start, ownEnd: t.end });
    if (t.kind === 'open') depth++;
    prevEnd = t.end;
  }
  return out;
}

function breaksLine(gap: string): boolean {
  return /[\r\n]/.test(gap.replace(/`[ \t]*(\r\n|\n|\r)/g, ''));
}

/** Undefined when the JSON does not parse cleanly (a fix never writes such a file). */
export function jsonOutline(text: string): OutlineNode[] | undefined {
  if (depthBreak(text, MAX_JSON_DEPTH) !== undefined) return undefined;
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  if (!root || errors.length > 0) return undefined;
  const out: OutlineNode[] = [];
  const stack: [Node, number][] = [[root, 0]];
  while (stack.length > 0) {
    const [n, depth] = stack.pop()!;
    const scalar = !n.children;
    const ownEnd = scalar ? n.offset + n.length : n.offset + 1;
    const raw = text.slice(n.offset, ownEnd);
    out.push({ depth, label: `${n.type}:${raw}`, name: scalar ? raw : n.type, start: n.offset, end: n.offset + n.length, ownStart: n.offset, ownEnd });
    const kids = n.children ?? [];
    for (let i = kids.length - 1; i >= 0; i--) stack.push([kids[i], depth + 1]);
  }
  return out;
}
