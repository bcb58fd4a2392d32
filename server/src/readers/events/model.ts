import { Fqdn } from '../../model/fqdn';
import { SourceFile, Span, Token } from '../../text/source';

/** The events lync-kst reads (docs/domain.md#events); any other ID is not about the KST and is skipped. */
export const KST_EVENT_IDS = [14492, 14493, 14495, 14563, 44024, 44030] as const;
export type KstEventId = (typeof KST_EVENT_IDS)[number];

/** A server an event names, with the versions written next to it (none when the text gives none: never guessed). */
export interface LoggedServer {
  fqdn: Fqdn;
  token: Token;
  versions: number[];
}

/** One event of a Front End's "Lync Server" log, as exported. */
export interface LoggedEvent {
  id: KstEventId;
  /** The record: where findings about the event as a whole are reported. */
  anchor: Span;
  source: string;
  /** The Front End that logged it (the event's computer), as written. */
  computer?: Token;
  /** When it was logged, as written, and as a number that orders the events of one Front End. */
  time: { text: string; ms: number };
  servers: LoggedServer[];
}

/** An exported event log. */
export interface EventLog {
  file: SourceFile;
  events: LoggedEvent[];
}
