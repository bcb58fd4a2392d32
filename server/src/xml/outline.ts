import { OutlineNode } from '../model/outline';
import { XmlDocument } from './document';
import { isClosed, XmlElement } from './element';

/** Elements in document order, each with its start tag (and text, for a leaf) as its own content. */
export function xmlOutline(doc: XmlDocument): OutlineNode[] | undefined {
  if (doc.error || !doc.root) return undefined;
  const text = doc.file.text;
  const out: OutlineNode[] = [];
  const stack: [XmlElement, number][] = [[doc.root, 0]];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const [e, depth] = top;
    // Every element of a well-formed document is closed; one that is not has no outline to check.
    if (!isClosed(e)) return undefined;
    const leaf = e.children.length === 0 && !e.selfClosing;
    const ownEnd = leaf ? e.end : e.startTagEnd;
    out.push({
      depth,
      label: text.slice(e.start, ownEnd),
      name: `<${e.name}>`,
      start: e.start,
      end: e.end,
      ownStart: e.start,
      ownEnd,
      local: e.local,
      parentLocal: e.parent?.local,
    });
    for (let i = e.children.length - 1; i >= 0; i--) stack.push([e.children[i], depth + 1]);
  }
  return out;
}
