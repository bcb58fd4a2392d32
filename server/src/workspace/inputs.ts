import { DialPlan } from '../dialplans/model';
import { isClixml, readDialPlanClixml } from '../dialplans/clixml';
import { looksLikeDialPlanJson, readDialPlanJson } from '../dialplans/json';
import { parseScript } from '../scripts/parse';
import { Script } from '../scripts/model';
import { SourceFile } from '../text/source';
import { Topology } from '../topology/model';
import { readTopology, topologyDialect } from '../topology/read';
import { parseXml, XmlDocument, XmlProblem } from '../xml/document';

/** What one recognised file contributes. */
export type Input =
  | { kind: 'topology'; file: SourceFile; doc: XmlDocument; topology: Topology }
  | { kind: 'clixml'; file: SourceFile; doc: XmlDocument; plans: DialPlan[]; problems: XmlProblem[] }
  | { kind: 'dialplan-json'; file: SourceFile; plans: DialPlan[]; error?: XmlProblem; problems: XmlProblem[] }
  | { kind: 'script'; file: SourceFile; script: Script }
  | { kind: 'too-large'; file: SourceFile; size: number; limit: number }
  | { kind: 'unreadable'; file: SourceFile; why: string }
  /** Read, but not an input: `what` says what it looked like instead. */
  | { kind: 'other'; file: SourceFile; what: string }
  /** A reader threw on it (a bug): reported as INT001, never dropped. */
  | { kind: 'failed'; file: SourceFile; error: string };

/** The kinds that contribute to the simulated deployment. */
export function isInput(i: Input): boolean {
  return i.kind === 'topology' || i.kind === 'clixml' || i.kind === 'dialplan-json' || i.kind === 'script';
}

const SCRIPT_EXT = /\.(ps1|psm1)$/i;
const XML_ROOTS = new Set(['Topology', 'TopologyBuilder', 'Objs']);

/**
 * Recognises a file by its content (users call everything `*.xml`): the root element for
 * topologies and CLIXML, the `format` marker for dial-plan JSON. Scripts go by extension,
 * since PowerShell has no marker. Anything else is `other`, found cheaply, with what it is.
 */
export function readInput(file: SourceFile): Input {
  // A file's text never changes (edits make new SourceFiles), so it is read once: a fix's check
  // and the analysis after it share the parse of the fixed text.
  let input = read.get(file);
  if (!input) {
    try {
      input = recognise(file);
    } catch (e) {
      input = { kind: 'failed', file, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
    }
    read.set(file, input);
  }
  return input;
}

const read = new WeakMap<SourceFile, Input>();

function recognise(file: SourceFile): Input {
  if (file.tooLarge) return { kind: 'too-large', file, ...file.tooLarge };
  if (file.unreadable !== undefined) return { kind: 'unreadable', file, why: file.unreadable };
  // A stray NUL does not make a file that starts like a topology someone else's: XML001 tells.
  const qualified = sniffRoot(file.text);
  const root = qualified?.replace(/^.*:/, '');
  const xml = root !== undefined && XML_ROOTS.has(root);
  if (file.binary && !xml) return other(file, 'binary data');
  if (SCRIPT_EXT.test(file.path)) return { kind: 'script', file, script: parseScript(file) };
  if (looksLikeDialPlanJson(file)) {
    const r = readDialPlanJson(file);
    return { kind: 'dialplan-json', file, plans: r.plans, error: r.error, problems: r.problems };
  }
  if (!xml) return other(file, qualified !== undefined ? `XML with the root element <${qualified}>` : file.text.trim() === '' ? 'an empty file' : /^\s*[[{]/.test(file.text) ? 'JSON without "format": "kst-umdialplans"' : 'text that is not XML, JSON or a .ps1 script');
  const doc = parseXml(file);
  if (topologyDialect(doc.root)) {
    const topology = readTopology(doc);
    if (topology) return { kind: 'topology', file, doc, topology };
  }
  if (!doc.root && doc.error) {
    // Starts like one of ours but nothing of it could be read: still ours, so XML001 is shown.
    if (root === 'Objs') return file.text.includes('UMDialPlan') ? { kind: 'clixml', file, doc, plans: [], problems: [] } : other(file, 'PowerShell CLIXML that could not be read');
    const dialect = root === 'TopologyBuilder' ? 'builder' : 'published';
    return { kind: 'topology', file, doc, topology: { file, dialect, clusters: [], services: [] } };
  }
  if (isClixml(doc.root)) {
    const { plans, problems } = readDialPlanClixml(doc);
    // Other Export-Clixml output (users, policies) is not ours; a truncated dial-plan export still is.
    if (plans.length > 0 || problems.length > 0 || file.text.includes('UMDialPlan')) return { kind: 'clixml', file, doc, plans, problems };
    return other(file, 'PowerShell CLIXML (Export-Clixml) holding no UMDialPlan objects');
  }
  return other(file, `XML with the root element <${doc.root?.name ?? qualified}> in namespace ${doc.root?.namespace() ?? '(none)'}, not a topology`);
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
