import { span, Token } from '../../text/source';
import { parseXml, XmlDocument } from '../../xml/document';
import { isClosed, XmlElement } from '../../xml/element';
import { xmlOutline } from '../../xml/outline';
import { ClixmlObject, hasType, isClixml, objects, prop, textToken, unreadObjects, valueToken } from '../clixml/objects';
import { Problem, Reader } from '../reader';
import { LoggedEvent } from './model';
import { toEvent } from './record';

const TYPE = 'EventLogRecord';

/** `Get-WinEvent -LogName 'Lync Server' | Export-Clixml`: EventLogRecord objects. */
export const eventClixmlReader: Reader = {
  kind: 'events-clixml',
  what: 'event-log export',
  accepts: (_file, root) => root === 'Objs',
  read(file) {
    const doc = parseXml(file);
    const mentions = file.text.slice(0, 65536).includes(TYPE);
    if (!isClixml(doc.root))
      return !doc.root && doc.error && mentions ? { doc, error: doc.error, problems: [], contributes: { eventLogs: [] } } : undefined;
    const all = objects(doc.root);
    const records = all.filter((o) => hasType(o, TYPE));
    if (records.length === 0 && !mentions) return undefined;
    const problems: Problem[] = [];
    const events: LoggedEvent[] = [];
    for (const o of records) {
      if (!isClosed(o.element)) continue;
      const member = (name: string): Token | undefined => valueToken(doc, memberOf(o, name));
      const event = toEvent(
        {
          anchor: span(file, o.element.start, o.element.startTagEnd),
          id: member('Id'),
          source: member('ProviderName'),
          time: member('TimeCreated'),
          computer: member('MachineName'),
          texts: [...[member('Message')].filter((t): t is Token => t !== undefined), ...propertyValues(doc, memberOf(o, 'Properties'))],
        },
        problems,
      );
      if (event) events.push(event);
    }
    problems.push(...unreadObjects(all, (o) => hasType(o, TYPE), 'event-log export'));
    return { doc, error: doc.error, problems, contributes: { eventLogs: [{ file, events }] } };
  },
  outline: (input) => (input.doc ? xmlOutline(input.doc) : undefined),
};

/** A member in `<Props>` or, for members PowerShell adds (`<MS>`), there. */
function memberOf(o: ClixmlObject, name: string): XmlElement | undefined {
  return prop(o.props, name) ?? prop(o.element.child('MS'), name);
}

/** The event's data: `Properties` is a list of EventProperty objects, each with its `Value`. */
function propertyValues(doc: XmlDocument, list: XmlElement | undefined): Token[] {
  const items = list?.child('LST')?.children ?? [];
  return items
    .map((item) => (item.local === 'Obj' ? valueToken(doc, prop(item.child('Props'), 'Value')) : textToken(doc, item)))
    .filter((t): t is Token => t !== undefined && t.value.trim() !== '');
}
