import { span, Token } from '../../text/source';
import { XmlDocument } from '../../xml/document';
import { isClosed, XmlElement } from '../../xml/element';
import { Problem } from '../reader';

/**
 * PowerShell CLIXML (`Export-Clixml`) as the readers of its exports need it. Root `<Objs>` in
 * the PowerShell namespace; each object an `<Obj>` with its type names in `<TN>` (or a `<TNRef>`
 * to an earlier list), its `<ToString>`, and typed members in `<Props>`: `<S N="Name">`,
 * `<I32>`, `<B>`, nested `<Obj N="...">` for enums (their ToString is the name) and lists (`<LST>`).
 */
const CLIXML_NS = 'http://schemas.microsoft.com/powershell/2004/04';

export function isClixml(root: XmlElement | undefined): root is XmlElement {
  return root?.local === 'Objs' && root.namespace() === CLIXML_NS;
}

export interface ClixmlObject {
  element: XmlElement;
  /** Type names, most derived first (`Deserialized.` prefixes kept). */
  types: string[];
  props?: XmlElement;
}

/** The top-level objects, each with its type names resolved (later objects re-use an earlier list by `<TNRef RefId>`). */
export function objects(root: XmlElement): ClixmlObject[] {
  const lists = new Map<string, string[]>();
  const out: ClixmlObject[] = [];
  for (const obj of root.childrenNamed('Obj')) {
    for (const o of [obj, ...obj.descendants('Obj')]) {
      const tn = o.child('TN');
      if (tn)
        lists.set(
          tn.attr('RefId')?.value ?? '',
          tn.childrenNamed('T').map((t) => t.textValue()),
        );
    }
    const tn = obj.child('TN');
    const types = lists.get((tn ?? obj.child('TNRef'))?.attr('RefId')?.value ?? '') ?? [];
    out.push({ element: obj, types, props: obj.child('Props') });
  }
  return out;
}

/** Whether one of the object's types is `name`, with or without a namespace and `Deserialized.`. */
export function hasType(o: ClixmlObject, name: string): boolean {
  return o.types.some((t) => t === name || t.endsWith(`.${name}`));
}

/** The member named `name` of an object's `<Props>` (or any element holding named members). */
export function prop(props: XmlElement | undefined, name: string): XmlElement | undefined {
  return props?.children.find((c) => c.attr('N')?.value === name);
}

/** A leaf's text as a token, positioned on the text; undefined for an element the file broke off in. */
export function textToken(doc: XmlDocument, el: XmlElement | undefined): Token | undefined {
  if (!el || !isClosed(el)) return undefined;
  const r = el.textRange();
  return { value: el.textValue(), span: span(doc.file, r.start, r.end) };
}

/** A member's value as text: a string member, or an enum (a nested Obj whose ToString is the name; the integer is ignored). */
export function valueToken(doc: XmlDocument, member: XmlElement | undefined): Token | undefined {
  return textToken(doc, member?.local === 'Obj' ? member.child('ToString') : member);
}

/** The string items of a list member (`<Obj N="..."><LST><S>..</S></LST></Obj>`), empty ones left out. */
export function listItems(doc: XmlDocument, member: XmlElement | undefined): Token[] {
  const items = member?.local === 'Obj' ? (member.child('LST')?.childrenNamed('S') ?? []) : [];
  return items.map((s) => textToken(doc, s)).filter((s): s is Token => s !== undefined && s.value !== '');
}

/**
 * FILE005 for each object a reader does not read: a file holds one export, but one made with
 * `Get-A; Get-B | Export-Clixml` holds two, and the second kind must not vanish unnoticed.
 */
export function unreadObjects(all: ClixmlObject[], reads: (o: ClixmlObject) => boolean, what: string): Problem[] {
  return all
    .filter((o) => !reads(o))
    .map((o) => ({
      code: 'FILE005' as const,
      start: o.element.start,
      end: o.element.startTagEnd,
      message:
        `This object (${o.types[0] ?? 'no type name'}) is not read: the file is read as a ${what}, which does not hold it. ` +
        `Export each kind of object to a file of its own.`,
    }));
}
