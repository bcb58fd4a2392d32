import { isClosed } from '../../xml/element';
import { parseXml, XmlDocument } from '../../xml/document';
import { xmlOutline } from '../../xml/outline';
import { ClixmlObject, hasType, isClixml, listItems, objects, prop, textToken, unreadObjects, valueToken } from '../clixml/objects';
import { Problem, Reader } from '../reader';
import { DialPlan } from './model';

/** `Get-UMDialPlan | Export-Clixml`, recognised by its root and its objects' type, whatever the file is called. */
export const clixmlDialPlanReader: Reader = {
  kind: 'dialplans-clixml',
  what: 'dial-plan export',
  accepts: (_file, root) => root === 'Objs',
  read(file) {
    const doc = parseXml(file);
    // Other Export-Clixml output (users, policies) is not ours; a truncated dial-plan export still is.
    const mentions = file.text.includes('UMDialPlan');
    if (!isClixml(doc.root))
      return !doc.root && doc.error && mentions ? { doc, error: doc.error, problems: [], contributes: { plans: [] } } : undefined;
    const all = objects(doc.root);
    const { plans, problems } = readDialPlanClixml(doc, all);
    if (plans.length === 0 && problems.length === 0 && !mentions) return undefined;
    problems.push(...unreadObjects(all, isDialPlan, 'dial-plan export'));
    return { doc, error: doc.error, problems, contributes: { plans } };
  },
  outline: (input) => (input.doc ? xmlOutline(input.doc) : undefined),
};

/** `Get-UMDialPlan | Export-Clixml`: the UMDialPlan objects, with their URIType and UMServers. */
function readDialPlanClixml(doc: XmlDocument, all: ClixmlObject[]): { plans: DialPlan[]; problems: Problem[] } {
  const plans: DialPlan[] = [];
  const problems: Problem[] = [];
  for (const o of all) {
    if (!isClosed(o.element) || !isDialPlan(o)) continue;
    const name = o.props && (textToken(doc, prop(o.props, 'Name')) ?? textToken(doc, o.element.child('ToString')));
    if (!o.props || !name || name.value === '') {
      // Never dropped silently: a dial plan lync-kst cannot name is one it cannot simulate.
      problems.push({
        code: 'UM005',
        start: o.element.start,
        end: o.element.startTagEnd,
        message: `This UMDialPlan object has no ${o.props ? 'Name' : 'Props'}, so its servers are not read.`,
      });
      continue;
    }
    plans.push({
      file: doc.file,
      name,
      uriType: valueToken(doc, prop(o.props, 'URIType')),
      servers: listItems(doc, prop(o.props, 'UMServers')),
    });
  }
  return { plans, problems };
}

function isDialPlan(o: ClixmlObject): boolean {
  return hasType(o, 'UMDialPlan');
}
