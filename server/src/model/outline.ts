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
