import { SourceFile } from '../text/source';
import { clixmlDialPlanReader } from './dialplans/clixml';
import { eventClixmlReader } from './events/clixml';
import { eventCsvReader } from './events/csv';
import { eventTextReader } from './events/text';
import { eventXmlReader } from './events/xml';
import { exchangeClixmlReader } from './exchange/clixml';
import { webConfigReader } from './exchange/webconfig';
import { jsonDialPlanReader } from './dialplans/json';
import { Reader, ReadInput } from './reader';
import { scriptReader } from './scripts/reader';
import { topologyReader } from './topology/reader';
import { trustedExportReader } from './trusted/reader';

/** Every input kind lync-kst reads, in the order they are tried. */
export const READERS: readonly Reader[] = [
  scriptReader,
  jsonDialPlanReader,
  topologyReader,
  clixmlDialPlanReader,
  trustedExportReader,
  eventClixmlReader,
  exchangeClixmlReader,
  webConfigReader,
  eventXmlReader,
  eventCsvReader,
  eventTextReader,
];

/** One file as the analysis sees it: an input, or why it is not one. */
export type Input =
  | ReadInput
  | { kind: 'too-large'; file: SourceFile; size: number; limit: number }
  | { kind: 'unreadable'; file: SourceFile; why: string }
  /** Read, but not an input: `what` says what it looked like instead. */
  | { kind: 'other'; file: SourceFile; what: string }
  /** A reader threw on it (a bug): reported as INT001, never dropped. */
  | { kind: 'failed'; file: SourceFile; error: string };

/** The inputs that contribute to the simulated deployment. */
export function isInput(i: Input): i is ReadInput {
  return 'reader' in i;
}

/**
 * Recognises a file by its content (users call everything `*.xml`), through the readers: each
 * looks at the name and the document element, the first that reads the file wins. Anything
 * else is `other`, found cheaply, with what it is.
 */
export function readInput(file: SourceFile): Input {
  // A file's text never changes (edits make new SourceFiles), so it is read once: a fix's check
  // and the analysis after it share the parse of the fixed text.
  let input = cache.get(file);
  if (!input) {
    try {
      input = recognise(file);
    } catch (e) {
      input = { kind: 'failed', file, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
    }
    cache.set(file, input);
  }
  return input;
}

const cache = new WeakMap<SourceFile, Input>();

function recognise(file: SourceFile): Input {
  if (file.tooLarge) return { kind: 'too-large', file, ...file.tooLarge };
  if (file.unreadable !== undefined) return { kind: 'unreadable', file, why: file.unreadable };
  const qualified = sniffRoot(file.text);
  const root = qualified?.replace(/^.*:/, '');
  // A stray NUL does not make a file that starts like one of ours someone else's: XML001 tells.
  if (file.binary && root === undefined)
    return other(
      file,
      /\.evtx$/i.test(file.path)
        ? 'a binary .evtx event log, which lync-kst cannot read: export it as XML (wevtutil qe <file>.evtx /lf:true /f:xml > events.xml)'
        : 'binary data',
    );
  for (const reader of READERS.filter((r) => r.accepts(file, root))) {
    const read = reader.read(file);
    if (read) return { kind: reader.kind, file, reader, ...read };
  }
  if (qualified !== undefined) return other(file, `XML with the root element <${qualified}>, not a topology or an export lync-kst reads`);
  if (file.text.trim() === '') return other(file, 'an empty file');
  return other(
    file,
    /^\s*[[{]/.test(file.text) ? 'JSON without "format": "kst-umdialplans"' : 'text that is not XML, JSON or a .ps1 script',
  );
}

function other(file: SourceFile, what: string): Input {
  return { kind: 'other', file, what };
}

/** Name of the first element, skipping the prolog, without parsing the document. */
export function sniffRoot(text: string): string | undefined {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  // No limit on the prolog's length: long comments or an internal DTD before the root are real.
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    if (lt < 0) return undefined;
    if (text.slice(i, lt).trim() !== '') return undefined; // text before the root: not XML
    const next = text[lt + 1];
    if (next === '?') i = skipPast(text, lt, '?>');
    else if (text.startsWith('<!--', lt)) i = skipPast(text, lt, '-->');
    else if (next === '!') i = skipDeclaration(text, lt);
    else return /^<([A-Za-z_][\w.:-]*)/.exec(text.slice(lt, lt + 256))?.[1];
  }
  return undefined;
}

/** A DOCTYPE may carry an internal subset in brackets, with `>` inside it. */
function skipDeclaration(text: string, from: number): number {
  const gt = text.indexOf('>', from);
  const bracket = text.indexOf('[', from);
  if (bracket < 0 || (gt >= 0 && gt < bracket)) return gt < 0 ? text.length : gt + 1;
  return skipPast(text, text.indexOf(']', bracket) < 0 ? text.length : text.indexOf(']', bracket), '>');
}

function skipPast(text: string, from: number, end: string): number {
  const e = text.indexOf(end, from);
  return e < 0 ? text.length : e + end.length;
}
