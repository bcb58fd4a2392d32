import { Token, span } from '../text/source';
import { XmlDocument, XmlProblem } from '../xml/document';
import { XmlElement } from '../xml/element';
import { DialPlan } from './model';

export const CLIXML_NS = 'http://schemas.microsoft.com/powershell/2004/04';

/** `Get-UMDialPlan | Export-Clixml`: recognised by its root, whatever the file is called. */
export function isClixml(root: XmlElement | undefined): boolean {
  return root?.local === 'Objs' && root.namespace() === CLIXML_NS;
}

export function readDialPlanClixml(doc: XmlDocument): { plans: DialPlan[]; problems: XmlProblem[] } {
  const root = doc.root;
  const problems: XmlProblem[] = [];
  if (!isClixml(root) || !root) return { plans: [], problems };
  // Later objects re-use an earlier type list by <TNRef RefId>.
  const typeLists = new Map<string, string[]>();
  const plans: DialPlan[] = [];
  for (const obj of root.childrenNamed('Obj')) {
    const types = typeNames(obj, typeLists);
    if (!obj.complete || !types.some((t) => /(^|\.)UMDialPlan$/.test(t))) continue;
    const props = obj.child('Props');
    const name = props && (textToken(doc, prop(props, 'Name')) ?? textToken(doc, obj.child('ToString')));
    if (!props || !name || name.value === '') {
      // Never dropped silently: a dial plan lync-kst cannot name is one it cannot simulate.
      problems.push({ start: obj.start, end: obj.startTagEnd, message: `This UMDialPlan object has no ${props ? 'Name' : 'Props'}, so its servers are not read.` });
      continue;
    }
    const uriProp = prop(props, 'URIType');
    // Enums are serialised as a nested Obj whose ToString is the name; the integer is ignored.
    const uriType = textToken(doc, uriProp?.local === 'Obj' ? uriProp.child('ToString') : uriProp);
    const serverList = prop(props, 'UMServers');
    const servers = (serverList?.local === 'Obj' ? serverList.child('LST')?.childrenNamed('S') ?? [] : [])
      .map((s) => textToken(doc, s))
      .filter((s): s is Token => s !== undefined && s.value !== '');
    plans.push({ file: doc.file, name, uriType, servers });
  }
  return { plans, problems };
}

function typeNames(obj: XmlElement, lists: Map<string, string[]>): string[] {
  for (const o of [obj, ...obj.descendants('Obj')]) {
    const tn = o.child('TN');
    if (tn) lists.set(tn.attr('RefId')?.value ?? '', tn.childrenNamed('T').map((t) => t.textValue()));
  }
  const tn = obj.child('TN');
  if (tn) return lists.get(tn.attr('RefId')?.value ?? '') ?? [];
  return lists.get(obj.child('TNRef')?.attr('RefId')?.value ?? '') ?? [];
}

function prop(props: XmlElement, name: string): XmlElement | undefined {
  return props.children.find((c) => c.attr('N')?.value === name);
}

function textToken(doc: XmlDocument, el: XmlElement | undefined): Token | undefined {
  if (!el || !el.complete) return undefined;
  const r = el.textRange();
  return { value: el.textValue(), span: span(doc.file, r.start, r.end) };
}
