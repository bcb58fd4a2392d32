import { SourceFile, span, Token } from '../../text/source';
import { Problem, Reader } from '../reader';
import { LoggedEvent } from './model';
import { toEvent } from './record';

/**
 * CSV event exports: `Get-WinEvent … | Export-Csv` (a `#TYPE` line, then Id, ProviderName,
 * TimeCreated, MachineName, Message …) and Event Viewer's "Save As CSV" (Level, Date and Time,
 * Source, Event ID, Task Category, and the description in a sixth column without a header).
 */
export const eventCsvReader: Reader = {
  kind: 'events-csv',
  what: 'event-log export',
  accepts: (file, root) => root === undefined && (/\.csv$/i.test(file.path) || columnsOf(headerLine(file.text)) !== undefined),
  read(file) {
    const header = headerLine(file.text);
    const columns = columnsOf(header);
    if (!columns) return undefined;
    const problems: Problem[] = [];
    const events: LoggedEvent[] = [];
    const { rows, cut } = csvRows(file, header.end, header.delimiter);
    for (const row of rows) {
      const cell = (i: number | undefined): Token | undefined => (i === undefined ? undefined : row[i]);
      const event = toEvent(
        {
          anchor: span(file, row[0]?.span.start ?? 0, row.at(-1)?.span.end ?? 0),
          id: cell(columns.id),
          source: cell(columns.source),
          time: cell(columns.time),
          computer: cell(columns.computer),
          texts: [cell(columns.message)].filter((t): t is Token => t !== undefined),
        },
        problems,
      );
      if (event) events.push(event);
    }
    if (cut !== undefined)
      problems.push({
        code: 'EVT002',
        start: cut,
        end: Math.min(file.text.length, cut + 1),
        message: 'The export ends inside a quoted field: it was cut off, and its last record is not read.',
      });
    return { problems, contributes: { eventLogs: [{ file, events }] } };
  },
  outline: () => undefined,
};

interface Columns {
  id: number;
  source: number;
  time: number;
  computer?: number;
  message?: number;
}

interface Header {
  names: string[];
  /** Offset after the header line's break. */
  end: number;
  delimiter: string;
}

/** The header: the first line, or the second after Export-Csv's `#TYPE` line. */
function headerLine(text: string): Header {
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (let skipped = 0; skipped < 2; skipped++) {
    const end = lineEnd(text, start);
    const line = text.slice(start, end);
    if (!line.startsWith('#')) {
      const delimiter = !line.includes(',') && line.includes(';') ? ';' : ',';
      return { names: line.split(delimiter).map((n) => n.trim().replace(/^"|"$/g, '')), end: afterBreak(text, end), delimiter };
    }
    start = afterBreak(text, end);
  }
  return { names: [], end: start, delimiter: ',' };
}

function columnsOf(h: Header): Columns | undefined {
  const at = (...names: string[]): number | undefined => {
    const i = h.names.findIndex((n) => names.some((x) => x.toLowerCase() === n.toLowerCase()));
    return i < 0 ? undefined : i;
  };
  const id = at('Id', 'Event ID', 'EventID');
  const source = at('ProviderName', 'Source');
  const time = at('TimeCreated', 'Date and Time');
  if (id === undefined || source === undefined || time === undefined) return undefined;
  // Event Viewer writes the description after the named columns, without a name of its own.
  const message = at('Message', 'Description') ?? (at('Task Category') !== undefined ? h.names.length : undefined);
  return { id, source, time, computer: at('MachineName', 'Computer'), message };
}

/** RFC 4180 records from `start`, each field a token at its place (inside the quotes); `cut` where an unclosed quote began. */
function csvRows(file: SourceFile, start: number, delimiter: string): { rows: Token[][]; cut?: number } {
  const text = file.text;
  const rows: Token[][] = [];
  let row: Token[] = [];
  let i = start;
  while (i < text.length) {
    let value: string;
    let from: number;
    let to: number;
    if (text[i] === '"') {
      from = i + 1;
      let j = from;
      let unescaped = '';
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0) return { rows, cut: i };
        unescaped += text.slice(j, q);
        if (text[q + 1] === '"') {
          unescaped += '"';
          j = q + 2;
          continue;
        }
        to = q;
        i = q + 1;
        break;
      }
      value = unescaped;
    } else {
      from = i;
      while (i < text.length && text[i] !== delimiter && text[i] !== '\n' && text[i] !== '\r') i++;
      to = i;
      value = text.slice(from, to);
    }
    row.push({ value, span: span(file, from, to) });
    if (text[i] === delimiter) {
      i++;
      continue;
    }
    // Anything after a closing quote up to the delimiter or the break is not CSV; it is skipped.
    while (i < text.length && text[i] !== delimiter && text[i] !== '\n' && text[i] !== '\r') i++;
    if (text[i] === delimiter) {
      i++;
      continue;
    }
    if (row.some((t) => t.value !== '')) rows.push(row);
    row = [];
    i = afterBreak(text, i);
  }
  if (row.some((t) => t.value !== '')) rows.push(row);
  return { rows };
}

function lineEnd(text: string, from: number): number {
  const n = text.indexOf('\n', from);
  const end = n < 0 ? text.length : n;
  return end > from && text[end - 1] === '\r' ? end - 1 : end;
}

function afterBreak(text: string, at: number): number {
  if (text[at] === '\r') at++;
  if (text[at] === '\n') at++;
  return at;
}
