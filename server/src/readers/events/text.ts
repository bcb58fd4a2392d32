import { SourceFile, span, Token } from '../../text/source';
import { Problem, Reader } from '../reader';
import { LoggedEvent } from './model';
import { RawRecord, toEvent } from './record';

const FIELD = /^([A-Za-z][A-Za-z ]*?):[ \t]*(.*)$/;

/**
 * Event Viewer's "Copy details as text": `Log Name:`, `Source:`, `Date:`, `Event ID:`, `Level:`,
 * `Computer:` … lines, then `Description:` and the message up to the next record (or the
 * `Event Xml:` part the copy may end with). Records pasted one after the other are each read.
 */
export const eventTextReader: Reader = {
  kind: 'events-text',
  what: 'event-log export',
  accepts: (file, root) => root === undefined && /^\ufeff?\s*Log Name:/.test(file.text.slice(0, 4096)),
  read(file) {
    const problems: Problem[] = [];
    const events: LoggedEvent[] = [];
    // A last line without its line break may be cut mid-word: not read, and said so.
    const complete = file.text.endsWith('\n') ? file.text.length : file.text.lastIndexOf('\n') + 1;
    const rest = file.text.slice(complete);
    if (rest.trim() !== '')
      problems.push({
        code: 'EVT001',
        start: complete,
        end: file.text.length,
        message: `The export ends without a line break, so its last line may be cut off; it is not read: "${rest.trim().slice(0, 160)}".`,
      });
    for (const raw of records(file, complete)) {
      const event = toEvent(raw, problems);
      if (event) events.push(event);
    }
    return { problems, contributes: { eventLogs: [{ file, events }] } };
  },
  outline: () => undefined,
};

function* records(file: SourceFile, length: number): Generator<RawRecord> {
  const text = file.text.slice(0, length);
  let record: { raw: RawRecord; fields: Map<string, Token>; message?: { start: number; end: number } } | undefined;
  let section: 'fields' | 'description' | 'xml' = 'fields';
  const finish = (): RawRecord | undefined => {
    if (!record) return undefined;
    const { raw, fields, message } = record;
    const value = message ? text.slice(message.start, message.end).trim() : '';
    const at = message ? text.indexOf(value, message.start) : -1;
    return {
      ...raw,
      id: fields.get('event id'),
      source: fields.get('source'),
      time: fields.get('date'),
      computer: fields.get('computer'),
      texts: value && at >= 0 ? [{ value, span: span(file, at, at + value.length) }] : [],
    };
  };
  for (let start = 0, end = 0; start < text.length; start = end + 1) {
    const n = text.indexOf('\n', start);
    end = n < 0 ? text.length : n;
    const line = text
      .slice(start, end)
      .replace(/\r$/, '')
      .replace(/^\ufeff/, '');
    const field = FIELD.exec(line.trimEnd());
    const name = field?.[1].toLowerCase();
    if (name === 'log name') {
      const done = finish();
      if (done) yield done;
      record = { raw: { anchor: span(file, start, start + line.length), texts: [] }, fields: new Map() };
      section = 'fields';
    } else if (!record || section === 'xml') {
      continue;
    } else if (name === 'event xml') {
      section = 'xml';
    } else if (section === 'description') {
      if (record.message) record.message.end = end;
    } else if (field && name) {
      if (name === 'description') {
        section = 'description';
        const valueStart = start + line.indexOf(':') + 1;
        record.message = { start: valueStart, end };
      } else {
        const raw = field[2].trim();
        const valueStart = raw ? start + line.indexOf(raw, field[1].length + 1) : start + line.length;
        record.fields.set(name, { value: raw, span: span(file, valueStart, valueStart + raw.length) });
      }
    }
  }
  const done = finish();
  if (done) yield done;
}
