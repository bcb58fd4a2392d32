/**
 * Event-log exports written from the documented formats (the Windows event XML schema, CLIXML of
 * EventLogRecord, Export-Csv, Event Viewer's CSV and "Copy details as text"), for tests. The
 * message wording is ours: no text of the KST events is public (docs/domain.md#events).
 */
export interface Ev {
  id: number;
  source?: string;
  /** ISO 8601, UTC, whole seconds. */
  time: string;
  computer: string;
  /** The message (text layouts) or the data items (XML, CLIXML `Properties`). */
  texts: string[];
}

export const PROTOCOL_STACK = 'LS Protocol Stack';
export const UM_ROUTING = 'LS Exchange Unified Messaging Routing';

export function ev(id: number, time: string, computer: string, ...texts: string[]): Ev {
  return { id, source: id >= 44000 ? UM_ROUTING : PROTOCOL_STACK, time, computer, texts };
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function eventXml(e: Ev): string {
  return (
    `<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System><Provider Name="${esc(e.source ?? '')}"/>` +
    `<EventID Qualifiers="50158">${e.id}</EventID><Level>4</Level><Task>1001</Task><Keywords>0x80000000000000</Keywords>` +
    `<TimeCreated SystemTime="${e.time.replace('Z', '.1234567Z')}"/><EventRecordID>1</EventRecordID><Channel>Lync Server</Channel>` +
    `<Computer>${esc(e.computer)}</Computer><Security/></System><EventData>${e.texts.map((t) => `<Data>${esc(t)}</Data>`).join('')}` +
    `</EventData></Event>`
  );
}

/** `wevtutil qe "Lync Server" /f:xml`: events one after the other, no root. */
export function wevtutil(events: Ev[], eol = '\r\n'): string {
  return events.map(eventXml).join(eol) + eol;
}

/** Event Viewer's "Save As XML": an `<Events>` root. */
export function savedXml(events: Ev[], eol = '\r\n'): string {
  const declaration = '<?xml version="1.0" encoding="utf-8" standalone="yes"?>';
  return `${declaration}${eol}<Events>${eol}${events.map(eventXml).join(eol)}${eol}</Events>${eol}`;
}

/** `Get-WinEvent -LogName 'Lync Server' | Export-Clixml`. */
export function eventClixml(events: Ev[]): string {
  const objs = events.map((e, i) => {
    const types =
      i === 0
        ? '<TN RefId="0"><T>System.Diagnostics.Eventing.Reader.EventLogRecord</T><T>System.Diagnostics.Eventing.Reader.EventRecord</T>' +
          '<T>System.Object</T></TN>'
        : '<TNRef RefId="0" />';
    const props = e.texts.map(
      (t) =>
        `<Obj><TN RefId="p"><T>System.Diagnostics.Eventing.Reader.EventProperty</T></TN><Props><S N="Value">${esc(t)}</S></Props></Obj>`,
    );
    return (
      `  <Obj RefId="${i}">\n    ${types}\n    <ToString>System.Diagnostics.Eventing.Reader.EventLogRecord</ToString>\n    <Props>\n` +
      `      <S N="Message">${esc(e.texts.join(' '))}</S>\n      <I32 N="Id">${e.id}</I32>\n` +
      `      <S N="ProviderName">${esc(e.source ?? '')}</S>\n      <S N="LogName">Lync Server</S>\n` +
      `      <S N="MachineName">${esc(e.computer)}</S>\n      <DT N="TimeCreated">${e.time.replace('Z', '.1234567+00:00')}</DT>\n` +
      `      <S N="LevelDisplayName">Information</S>\n      <Obj N="Properties"><LST>${props.join('')}</LST></Obj>\n    </Props>\n  </Obj>`
    );
  });
  return `<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">\n${objs.join('\n')}\n</Objs>\n`;
}

/** "11/30/2026 6:00:04 AM", as en-US Windows writes a time. */
export function usTime(iso: string): string {
  const d = new Date(iso);
  const h = d.getUTCHours();
  const pad = (n: number) => String(n).padStart(2, '0');
  const date = `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()}`;
  return `${date} ${h % 12 || 12}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'}`;
}

const q = (s: string) => `"${s.replace(/"/g, '""')}"`;

/** `Get-WinEvent … | Export-Csv` (Windows PowerShell 5.1: a #TYPE line, every field quoted). */
export function exportCsv(events: Ev[]): string {
  const header = [
    'Message',
    'Id',
    'Version',
    'Level',
    'ProviderName',
    'LogName',
    'MachineName',
    'TimeCreated',
    'LevelDisplayName',
    'Properties',
  ];
  const rows = events.map((e) =>
    [
      e.texts.join(' '),
      String(e.id),
      '0',
      '4',
      e.source ?? '',
      'Lync Server',
      e.computer,
      usTime(e.time),
      'Information',
      'System.Collections.Generic.List`1[System.Diagnostics.Eventing.Reader.EventProperty]',
    ]
      .map(q)
      .join(','),
  );
  return ['#TYPE System.Diagnostics.Eventing.Reader.EventLogRecord', header.map(q).join(','), ...rows].join('\r\n') + '\r\n';
}

/** Event Viewer's "Save As CSV": newest first, no computer column, the description in a sixth column without a header. */
export function viewerCsv(events: Ev[]): string {
  const rows = [...events]
    .reverse()
    .map((e) => ['Information', usTime(e.time), e.source ?? '', String(e.id), '(1001)', q(e.texts.join('\r\n'))].join(','));
  return ['Level,Date and Time,Source,Event ID,Task Category', ...rows].join('\r\n') + '\r\n';
}

/** Event Viewer's "Copy details as text", records pasted one after the other. */
export function viewerText(events: Ev[], withXml = false): string {
  return events
    .map((e) =>
      [
        'Log Name:      Lync Server',
        `Source:        ${e.source ?? ''}`,
        `Date:          ${usTime(e.time)}`,
        `Event ID:      ${e.id}`,
        'Task Category: (1001)',
        'Level:         Information',
        'Keywords:      Classic',
        'User:          N/A',
        `Computer:      ${e.computer}`,
        'Description:',
        ...e.texts,
        ...(withXml ? ['Event Xml:', eventXml(e)] : []),
      ].join('\r\n'),
    )
    .join('\r\n\r\n')
    .concat('\r\n');
}

export const FORMATS = { wevtutil, savedXml, eventClixml, exportCsv, viewerText } as const;

/** UTF-16LE with a BOM, as Windows PowerShell and Event Viewer write. */
export function utf16(text: string): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
}
