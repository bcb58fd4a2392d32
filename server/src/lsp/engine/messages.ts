import { Config } from '../../workspace/config';
import { PositionEncoding } from '../positions';
import { DiffAgainst, DiffResult } from '../protocol';
import { NavQuery } from './navigate';
import { ResolvedFix, Snapshot } from '../snapshot';

/**
 * What the language server's main thread and its analysis thread say to each other. Every message
 * that changes what is analysed carries `seq`, numbered by the main thread; a snapshot says up to
 * which `seq` it is current, and the main thread publishes the same number in `cancel[0]`, so an
 * analysis that is no longer current stops without waiting for its messages.
 */
export type ToEngine =
  | {
      t: 'init';
      folders: string[];
      config: Config;
      encoding: PositionEncoding;
      relatedInformation: boolean;
      debounceMs: number;
      /** The client cannot watch files: the analysis thread watches the folders itself. */
      watch: boolean;
      cancel: SharedArrayBuffer;
    }
  | { t: 'config'; seq: number; config: Config }
  | { t: 'folders'; seq: number; folders: string[] }
  | { t: 'open'; seq: number; uri: string; version: number; text: string }
  | { t: 'open-too-large'; seq: number; uri: string; version: number; size: number }
  | { t: 'change'; seq: number; uri: string; version: number; edits: { start: number; end: number; text: string }[] }
  | { t: 'close'; seq: number; uri: string }
  | { t: 'disk'; seq: number; changes: { uri: string; deleted: boolean }[] }
  /** Files a fix the client applied has written: read them again whatever the client reports. */
  | { t: 'reload'; seq: number; uris: string[] }
  | { t: 'resolve'; id: number; fix: string; documentChanges: boolean }
  | { t: 'diff'; id: number; uri: string; against: DiffAgainst }
  | { t: 'query'; id: number; query: NavQuery; showTable: string; documentChanges: boolean };

export type FromEngine =
  | { t: 'snapshot'; snapshot: Snapshot }
  | { t: 'resolved'; id: number; result: ResolvedFix | { problem: string } }
  | { t: 'diffed'; id: number; result: DiffResult | { problem: string } }
  /** The answer as JSON text (a large outline crosses threads faster so). */
  | { t: 'answered'; id: number; result: string }
  | { t: 'log'; error: boolean; message: string }
  /** The first scan of the workspace folders started (`begin`) or its first validation was published (`end`). */
  | { t: 'indexing'; state: 'begin' | 'end'; files?: number };
