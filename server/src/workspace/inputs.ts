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
  | { kind: 'clixml'; file: SourceFile; doc: XmlDocument; plans: DialPlan[] }
  | { kind: 'dialplan-json'; file: SourceFile; plans: DialPlan[]; error?: XmlProblem }
  | { kind: 'script'; file: SourceFile; script: Script }
  | { kind: 'too-large'; file: SourceFile; size: number; limit: number };

const SCRIPT_EXT = /\.(ps1|psm1)$/i;
const XML_ROOTS = new Set(['Topology', 'TopologyBuilder', 'Objs']);

/**
 * Recognises a file by its content (users call everything `*.xml`): the root element for
 * topologies and CLIXML, the `format` marker for dial-plan JSON. Scripts go by extension,
 * since PowerShell has no marker. Returns undefined for anything else, cheaply.
 */
export function readInput(file: SourceFile): Input | undefined {
  if (file.tooLarge) return { kind: 'too-large', file, ...file.tooLarge };
  // A stray NUL does not make a file that starts like a topology someone else's: XML001 tells.
  const root = sniffRoot(file.text)?.replace(/^.*:/, '');
  const xml = root !== undefined && XML_ROOTS.has(root);
  if (file.binary && !xml) return undefined;
  if (SCRIPT_EXT.test(file.path)) return { kind: 'script', file, script: parseScript(file) };
  if (looksLikeDialPlanJson(file)) {
    const r = readDialPlanJson(file);
    return { kind: 'dialplan-json', file, plans: r.plans, error: r.error };
  }
  if (!xml) return undefined;
  const doc = parseXml(file);
  if (topologyDialect(doc.root)) {
    const topology = readTopology(doc);
    if (topology) return { kind: 'topology', file, doc, topology };
  }
  if (!doc.root && doc.error && root !== 'Objs') {
    // Starts like a topology but nothing of it could be read: still ours, so XML001 is shown.
    const dialect = root === 'TopologyBuilder' ? 'builder' : 'published';
    return { kind: 'topology', file, doc, topology: { file, dialect, clusters: [], services: [] } };
  }
  if (isClixml(doc.root)) {
    const plans = readDialPlanClixml(doc);
    // Other Export-Clixml output (users, policies) is not ours; a truncated dial-plan export still is.
    if (plans.length > 0 || file.text.includes('UMDialPlan')) return { kind: 'clixml', file, doc, plans };
  }
  return undefined;
}

/** Name of the first element, skipping the prolog, without parsing the document. */
export function sniffRoot(text: string): string | undefined {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const limit = Math.min(text.length, 65536);
  while (i < limit) {
    const lt = text.indexOf('<', i);
    if (lt < 0 || lt >= limit) return undefined;
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
