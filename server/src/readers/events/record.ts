import { normFqdn } from '../../model/fqdn';
import { partOf, Span, Token } from '../../text/source';
import { Problem } from '../reader';
import { KST_EVENT_IDS, KstEventId, LoggedEvent, LoggedServer } from './model';

/** One event as a format reader finds it, every field as written; the formats differ only in where the fields are. */
export interface RawRecord {
  anchor: Span;
  id?: Token;
  source?: Token;
  time?: Token;
  computer?: Token;
  /** The message and the event's data items, in order: where the servers are named. */
  texts: Token[];
}

/** Events the Known Servers Table is rebuilt from need the servers they name; 44030 is read for its time alone. */
const NAMES_SERVERS: ReadonlySet<number> = new Set([14492, 14493, 14495, 14563, 44024]);

/**
 * The event a record is, or undefined for one that is not about the KST (another ID or source:
 * skipped silently). No message text of these events is public (docs/domain.md#events), so the
 * servers are the FQDN-shaped words and the versions the numbers written next to them; what is
 * not understood is reported (EVT001, EVT002) and never guessed.
 */
export function toEvent(raw: RawRecord, problems: Problem[]): LoggedEvent | undefined {
  const id = raw.id ? Number(raw.id.value.trim()) : NaN;
  if (!isKstEvent(id)) return undefined;
  if (raw.source && !isKstSource(raw.source.value)) return undefined;
  const problem = (code: Problem['code'], at: Span, message: string): void => {
    problems.push({ code, start: at.start, end: at.end, message });
  };
  const ms = raw.time ? parseTime(raw.time.value) : undefined;
  if (!raw.time || ms === undefined) {
    problem(
      'EVT002',
      raw.time?.span ?? raw.anchor,
      raw.time
        ? `The time of this ${id} event (${quote(raw.time.value)}) is not understood, so it cannot be placed in its Front End's ` +
            `timeline and is left out of the live table.`
        : `This ${id} event has no time, so it cannot be placed in its Front End's timeline and is left out of the live table.`,
    );
    return undefined;
  }
  const servers = serversIn(raw.texts);
  if (servers.length === 0 && NAMES_SERVERS.has(id)) {
    const text = raw.texts.find((t) => t.value.trim() !== '');
    problem(
      'EVT001',
      text?.span ?? raw.anchor,
      text
        ? `No server name could be read from this ${id} event: ${quote(text.value)}. It is kept in the timeline without servers.`
        : `This ${id} event has no message or data, so which server it is about is not known.`,
    );
  }
  return {
    id,
    anchor: raw.anchor,
    source: raw.source?.value.trim() ?? '',
    ...(raw.computer && raw.computer.value.trim() !== '' ? { computer: raw.computer } : {}),
    time: { text: raw.time.value.trim(), ms },
    servers,
  };
}

function isKstEvent(id: number): id is KstEventId {
  return (KST_EVENT_IDS as readonly number[]).includes(id);
}

/** "LS Protocol Stack" and "LS Exchange Unified Messaging Routing", tolerant of how an export abbreviates them. */
function isKstSource(source: string): boolean {
  return /protocol stack|unified messaging routing|um routing/i.test(source);
}

// host.domain.tld at least (a file name like RTCSRV.exe is not a server), the last label not a number (versions, addresses).
const FQDN = /(?<![\w.@-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.){2,}[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?(?![\w@-]|\.\w)/gi;
const VERSIONS =
  /\bversions?\s*[:=]?\s*(\d{1,2}(?:\s*(?:,|and|&|\/)\s*\d{1,2})*)\b|^\s*\(\s*(?:v|version\s*)?(\d{1,2})\s*\)|\bv(\d{1,2})\b/i;

/** The servers named in an event's texts, with the versions written after each (up to the next server). */
function serversIn(texts: Token[]): LoggedServer[] {
  const out: LoggedServer[] = [];
  const byFqdn = new Map<string, LoggedServer>();
  for (const text of texts) {
    const value = text.value;
    // A data item that is only a number is the version of the server named in the item before it.
    if (/^\s*\d{1,2}\s*$/.test(value)) {
      const last = out.at(-1);
      if (last && !last.versions.includes(Number(value))) last.versions.push(Number(value));
      continue;
    }
    const found = [...value.matchAll(FQDN)];
    found.forEach((m, i) => {
      const start = m.index ?? 0;
      const end = start + m[0].length;
      const upTo = i + 1 < found.length ? (found[i + 1].index ?? value.length) : value.length;
      const versions = versionsIn(value.slice(end, Math.min(upTo, end + 80)));
      const fqdn = normFqdn(m[0]);
      // Named twice (the message and the data of one CLIXML record): one server, the versions of both.
      const earlier = byFqdn.get(fqdn);
      if (earlier) earlier.versions = [...new Set([...earlier.versions, ...versions])];
      else {
        const server = { fqdn, token: partOf(text, start, end), versions };
        byFqdn.set(fqdn, server);
        out.push(server);
      }
    });
  }
  return out;
}

function versionsIn(after: string): number[] {
  const m = VERSIONS.exec(after);
  const list = m?.[1] ?? m?.[2] ?? m?.[3];
  return list ? [...new Set(list.split(/\s*(?:,|and|&|\/)\s*/i).map(Number))] : [];
}

const MONTHS_FIRST = /^(\d{1,2})\/(\d{1,2})\/(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AP]M)$/i;
const DAY_FIRST_DOTS = /^(\d{1,2})\.(\d{1,2})\.(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?$/;

/**
 * Milliseconds for the time formats Windows writes: ISO 8601 (event XML, CLIXML), "11/30/2026
 * 10:02:03 AM" (en-US CSV and text: with AM/PM the month is first) and "30.11.2026 10:02:03"
 * (cultures with dots put the day first). Any other form, "03/04/2026 10:02" among them, could be
 * read two ways and is not read. Times without a zone compare as written, within one Front End.
 */
export function parseTime(text: string): number | undefined {
  const t = text.trim().replace(/^\u200e|\u200e/g, '');
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(t)) {
    // Sub-millisecond digits (SystemTime has nine) are more than Date reads.
    const ms = Date.parse(t.replace(' ', 'T').replace(/(\.\d{3})\d+/, '$1'));
    return Number.isNaN(ms) ? undefined : ms;
  }
  const us = MONTHS_FIRST.exec(t);
  if (us) {
    const hour = (Number(us[4]) % 12) + (us[7].toUpperCase() === 'PM' ? 12 : 0);
    return clock(Number(us[3]), Number(us[1]), Number(us[2]), hour, Number(us[5]), Number(us[6] ?? 0));
  }
  const dots = DAY_FIRST_DOTS.exec(t);
  if (dots) return clock(Number(dots[3]), Number(dots[2]), Number(dots[1]), Number(dots[4]), Number(dots[5]), Number(dots[6] ?? 0));
  return undefined;
}

function clock(year: number, month: number, day: number, hour: number, minute: number, second: number): number | undefined {
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  const d = new Date(ms);
  // 31/02 and 25:00 are not dates.
  return d.getUTCMonth() === month - 1 && d.getUTCDate() === day && hour < 24 && minute < 60 && second < 60 ? ms : undefined;
}

function quote(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return `"${flat.length > 160 ? `${flat.slice(0, 159)}…` : flat}"`;
}
