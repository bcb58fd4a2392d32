import { SourceFile, span, Token } from '../../text/source';
import { parseXml, XmlDocument } from '../../xml/document';
import { isClosed } from '../../xml/element';
import { xmlOutline } from '../../xml/outline';
import { textToken } from '../clixml/objects';
import { Problem, Read, Reader } from '../reader';
import { LoggedEvent } from './model';
import { RawRecord, toEvent } from './record';

const EVENT_NS = 'http://schemas.microsoft.com/win/2004/08/events/event';
const WRAP_START = '<Events>';

/**
 * Windows event XML: Event Viewer's "Save As XML" (`<Events>` root) and `wevtutil qe /f:xml`,
 * which writes the `<Event>` elements one after the other with no root. Such a sequence is a
 * well-formed fragment, not a document: it is read inside a root of our own, its offsets moved back.
 */
export const eventXmlReader: Reader = {
  kind: 'events-xml',
  what: 'event-log export',
  accepts: (_file, root) => root === 'Events' || root === 'Event',
  read(file) {
    const doc = parseXml(file);
    if (doc.root?.local === 'Event' && !(doc.error && isOnlyMoreEvents(file, doc))) return readEvents(file, doc, 0);
    if (doc.root?.local === 'Event') return readEvents(file, parseXml(wrapped(file)), WRAP_START.length);
    return readEvents(file, doc, 0);
  },
  outline: (input) => (input.doc ? xmlOutline(input.doc) : undefined),
};

/** The first error is a second `<Event>` after the first: a wevtutil sequence. */
function isOnlyMoreEvents(file: SourceFile, doc: XmlDocument): boolean {
  const end = doc.root?.end;
  return end !== undefined && /^\s*<Event[\s>]/.test(file.text.slice(end, end + 64));
}

/** The text inside a root of our own; the BOM and XML declaration (allowed only first) blanked to keep every offset. */
function wrapped(file: SourceFile): SourceFile {
  const text = file.text.replace(/^\ufeff/, ' ').replace(/^\s*<\?xml[^?]*\?>/, (d) => ' '.repeat(d.length));
  return new SourceFile(file.path, `${WRAP_START}${text}</Events>`);
}

function readEvents(file: SourceFile, doc: XmlDocument, shift: number): Read | undefined {
  const root = doc.root;
  const elements = root?.local === 'Event' ? [root] : (root?.childrenNamed('Event') ?? []);
  const ours = elements.some((e) => e.namespace() === EVENT_NS) || file.text.slice(0, 4096).includes(EVENT_NS);
  if (!ours) return undefined;
  const at = (t: Token | undefined): Token | undefined =>
    t && { value: t.value, span: span(file, t.span.start - shift, t.span.end - shift) };
  const problems: Problem[] = [];
  const events: LoggedEvent[] = [];
  for (const e of elements) {
    // An event the export broke off in is not read; XML001 is at the break.
    if (!isClosed(e)) continue;
    const system = e.child('System');
    const provider = system?.child('Provider')?.attr('Name');
    const time = system?.child('TimeCreated')?.attr('SystemTime');
    const texts = [
      ...(e.child('EventData')?.childrenNamed('Data') ?? []),
      ...(e.child('UserData')?.descendants('Data') ?? []),
      ...(e.child('RenderingInfo')?.childrenNamed('Message') ?? []),
    ];
    const raw: RawRecord = {
      anchor: span(file, e.start - shift, e.startTagEnd - shift),
      id: at(textToken(doc, system?.child('EventID'))),
      source: at(provider && attrToken(doc, provider)),
      time: at(time && attrToken(doc, time)),
      computer: at(textToken(doc, system?.child('Computer'))),
      texts: texts.map((d) => at(textToken(doc, d))).filter((t): t is Token => t !== undefined),
    };
    const event = toEvent(raw, problems);
    if (event) events.push(event);
  }
  const back = (offset: number): number => Math.min(file.text.length, Math.max(0, offset - shift));
  const error = doc.error && { ...doc.error, start: back(doc.error.start), end: back(doc.error.end) };
  return { ...(shift === 0 ? { doc } : {}), ...(error ? { error } : {}), problems, contributes: { eventLogs: [{ file, events }] } };
}

function attrToken(doc: XmlDocument, a: { value: string; valueStart: number; valueEnd: number }): Token {
  return { value: a.value, span: span(doc.file, a.valueStart, a.valueEnd) };
}
