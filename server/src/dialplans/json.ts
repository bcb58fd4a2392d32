import { Node, ParseError, parseTree, printParseErrorCode, findNodeAtLocation } from 'jsonc-parser';
import { SourceFile, Token, span } from '../text/source';
import { XmlProblem } from '../xml/document';
import { DialPlan } from './model';

/** The documented native format, `*.umdialplans.json` (REFERENCE §6.2). */
export const JSON_FORMAT = 'kst-umdialplans';

export interface DialPlanJson {
  plans: DialPlan[];
  /** The first syntax error, reported as XML001; plans after it are not read. */
  error?: XmlProblem;
}

export function looksLikeDialPlanJson(file: SourceFile): boolean {
  return /\.umdialplans\.json$/i.test(file.path) || (/^\s*\{/.test(file.text) && file.text.includes(`"${JSON_FORMAT}"`));
}

export function readDialPlanJson(file: SourceFile): DialPlanJson {
  const errors: ParseError[] = [];
  const root = parseTree(file.text, errors, { allowTrailingComma: false, disallowComments: true });
  const result: DialPlanJson = { plans: [] };
  const first = errors[0];
  if (first) {
    result.error = {
      start: first.offset,
      end: first.offset + Math.max(1, first.length),
      message: `JSON syntax error: ${describe(printParseErrorCode(first.error))}. Dial plans after this point are not read.`,
    };
  }
  if (!root || root.type !== 'object') {
    result.error ??= { start: 0, end: Math.min(1, file.text.length), message: 'Expected a JSON object with "format": "kst-umdialplans".' };
    return result;
  }
  const breakAt = first ? first.offset : Infinity;
  const defaultDomain = stringAt(root, ['defaultDomain']);
  const plans = findNodeAtLocation(root, ['dialPlans']);
  for (const p of plans?.type === 'array' ? plans.children ?? [] : []) {
    if (p.type !== 'object' || p.offset + p.length > breakAt) continue;
    const name = stringToken(file, findNodeAtLocation(p, ['name']));
    if (!name) continue;
    const servers = findNodeAtLocation(p, ['servers']);
    result.plans.push({
      file,
      name,
      uriType: stringToken(file, findNodeAtLocation(p, ['uriType'])),
      servers: (servers?.type === 'array' ? servers.children ?? [] : [])
        .map((s) => stringToken(file, s))
        .filter((s): s is Token => s !== undefined),
      exchangeVersion: valueToken(file, findNodeAtLocation(p, ['exchangeVersion'])),
      defaultDomain,
    });
  }
  return result;
}

function stringAt(root: Node, path: string[]): string | undefined {
  const n = findNodeAtLocation(root, path);
  return n?.type === 'string' ? (n.value as string) : undefined;
}

/** The range is the string's content, without the quotes. */
function stringToken(file: SourceFile, n: Node | undefined): Token | undefined {
  if (n?.type !== 'string') return undefined;
  return { value: n.value as string, span: span(file, n.offset + 1, n.offset + n.length - 1) };
}

function valueToken(file: SourceFile, n: Node | undefined): Token | undefined {
  if (!n || (n.type !== 'number' && n.type !== 'string')) return undefined;
  if (n.type === 'string') return stringToken(file, n);
  return { value: String(n.value), span: span(file, n.offset, n.offset + n.length) };
}

function describe(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}
