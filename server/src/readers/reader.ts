import { OutlineNode } from '../model/outline';
import { SourceFile } from '../text/source';
import { XmlDocument, XmlProblem } from '../xml/document';
import { DialPlan } from './dialplans/model';
import { EventLog } from './events/model';
import { ExchangeExport } from './exchange/model';
import { Script } from './scripts/model';
import { Topology } from './topology/model';
import { TrustedExport } from './trusted/model';

/**
 * What one input kind is to lync-kst: how it is recognised, how it is read, how a fix's
 * result is compared with it. The registry lists the readers; nothing else names them.
 */
export interface Reader {
  /** Stable name of the kind, e.g. `topology`. */
  kind: string;
  /** What such a file is, in messages: "topology", "dial-plan export". */
  what: string;
  /** A cheap first look: the file name and the document element's name (without prefix), if any. */
  accepts(file: SourceFile, root: string | undefined): boolean;
  /** Reads the file; undefined when, read, it turns out not to be of this kind after all. */
  read(file: SourceFile): Read | undefined;
  /** The file's nodes, for checking a fix by structure; undefined when it cannot be read completely. */
  outline(input: ReadInput): OutlineNode[] | undefined;
  /** How comments look in it, for Option 1's marker; absent when no fix writes to this kind. */
  comments?: 'xml' | 'script';
}

/**
 * Codes a reader reports itself: a value of the wrong type or missing (UM005), an exported object
 * lync-kst cannot place (TAP008), an object of a kind the file's reader does not read (FILE005), an
 * event whose servers cannot be read (EVT001) or that cannot be placed in time (EVT002).
 */
export type ProblemCode = 'UM005' | 'TAP008' | 'FILE005' | 'EVT001' | 'EVT002';

/** Something read that cannot be simulated, at the value, with the code that reports it. */
export interface Problem extends XmlProblem {
  code: ProblemCode;
}

/** What a file adds to the deployment lync-kst simulates. */
export interface Contribution {
  topologies?: Topology[];
  plans?: DialPlan[];
  scripts?: Script[];
  trustedExports?: TrustedExport[];
  eventLogs?: EventLog[];
  exchange?: ExchangeExport[];
}

/** The uniform result of reading a file. */
export interface Read {
  /** The XML document, for readers of XML (XML002, ENC001 and fix checks read it). */
  doc?: XmlDocument;
  /** The first error that stops the reading (XML001), at the break: what comes before it still counts. */
  error?: XmlProblem;
  problems: Problem[];
  contributes: Contribution;
}

export interface ReadInput extends Read {
  kind: string;
  file: SourceFile;
  reader: Reader;
}
