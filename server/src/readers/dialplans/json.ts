import { Node, ParseError, parseTree, printParseErrorCode, findNodeAtLocation } from 'jsonc-parser';
import { OutlineNode } from '../../model/outline';
import { SourceFile, Token, span } from '../../text/source';
import { XmlProblem } from '../../xml/document';
import { Problem, Reader } from '../reader';
import { DialPlan } from './model';

/** The documented native format, `*.umdialplans.json` (see the README). */
const JSON_FORMAT = 'kst-umdialplans';

/** Deeper than any dial-plan file needs; the JSON parser recurses per level, so the input must not decide. */
const MAX_JSON_DEPTH = 64;

export interface DialPlanJson {
  plans: DialPlan[];
  /** The first syntax error, reported as XML001; plans after it are not read. */
  error?: XmlProblem;
  /** Values of the wrong type, or missing, at the value (UM005): what they belong to is not read. */
  problems: Problem[];
}

/** The documented native format, by its name or its `format` marker. */
export const jsonDialPlanReader: Reader = {
  kind: 'dialplans-json',
  what: 'dial-plan file',
  accepts: (file) => /\.umdialplans\.json$/i.test(file.path) || (/^\s*\{/.test(file.text) && file.text.includes(`"${JSON_FORMAT}"`)),
  read(file) {
    const r = readDialPlanJson(file);
    return { error: r.error, problems: r.problems, contributes: { plans: r.plans } };
  },
  outline: (input) => (input.error ? undefined : jsonOutline(input.file.text)),
};

function readDialPlanJson(file: SourceFile): DialPlanJson {
  const text = file.text;
  const result: DialPlanJson = { plans: [], problems: [] };
  const tooDeep = depthBreak(text, MAX_JSON_DEPTH);
  const errors: ParseError[] = [];
  const root = parseTree(tooDeep === undefined ? text : text.slice(0, tooDeep), errors, {
    allowTrailingComma: false,
    disallowComments: true,
  });
  const first = errors[0];
  if (tooDeep !== undefined) {
    result.error = {
      start: tooDeep,
      end: tooDeep + 1,
      message: `it is nested deeper than ${MAX_JSON_DEPTH} levels, which no dial-plan file needs.`,
    };
  } else if (first) {
    // An error at the end of the text (a file cut short) is reported on its last character.
    const start = Math.max(0, Math.min(first.offset, text.length - 1));
    result.error = {
      start,
      end: Math.min(text.length, Math.max(start + 1, first.offset + first.length)),
      message: `${describe(printParseErrorCode(first.error))}.`,
    };
  }
  if (!root || root.type !== 'object') {
    result.error ??= { start: 0, end: Math.min(1, text.length), message: 'it must be a JSON object with "format": "kst-umdialplans".' };
    return result;
  }
  const breakAt = tooDeep ?? (first ? first.offset : Infinity);
  const complete = (n: Node) => n.offset + n.length <= breakAt;
  const wrong = (n: Node, message: string) => {
    if (complete(n)) result.problems.push({ code: 'UM005', start: n.offset, end: n.offset + n.length, message });
  };

  const format = findNodeAtLocation(root, ['format']);
  if (format && (format.type !== 'string' || format.value !== JSON_FORMAT)) wrong(format, `"format" must be "${JSON_FORMAT}".`);
  const domain = findNodeAtLocation(root, ['defaultDomain']);
  if (domain && domain.type !== 'string')
    wrong(domain, '"defaultDomain" must be a domain name in quotes, like "contoso.com"; short server names are resolved without it.');
  const defaultDomain = domain?.type === 'string' ? (domain.value as string) : undefined;
  const plans = findNodeAtLocation(root, ['dialPlans']);
  if (!plans) {
    if (complete(root))
      result.problems.push({
        code: 'UM005',
        start: root.offset,
        end: root.offset + 1,
        message: 'This dial-plan file has no "dialPlans" list, so it adds no Exchange servers.',
      });
    return result;
  }
  if (plans.type !== 'array') {
    wrong(plans, '"dialPlans" must be a list of dial plans: [ { "name": ..., "uriType": ..., "servers": [...] } ]. None of it is read.');
    return result;
  }
  for (const p of plans.children ?? []) {
    if (!complete(p)) continue;
    if (p.type !== 'object') {
      wrong(p, 'Each entry of "dialPlans" must be an object with "name", "uriType" and "servers"; this one is not read.');
      continue;
    }
    const nameNode = findNodeAtLocation(p, ['name']);
    const name = stringToken(file, nameNode);
    if (!name || name.value === '') {
      if (nameNode) wrong(nameNode, '"name" must be the dial plan\'s name in quotes; this dial plan is not read.');
      else
        result.problems.push({
          code: 'UM005',
          start: p.offset,
          end: p.offset + 1,
          message: 'This dial plan has no "name", so it is not read.',
        });
      continue;
    }
    const serversNode = findNodeAtLocation(p, ['servers']);
    const servers: Token[] = [];
    if (serversNode?.type === 'array') {
      for (const s of serversNode.children ?? []) {
        const t = stringToken(file, s);
        if (t) servers.push(t);
        else wrong(s, `Each server of dial plan ${name.value} must be a name in quotes; this one is not read.`);
      }
    } else if (serversNode) {
      wrong(serversNode, `"servers" of dial plan ${name.value} must be a list, like ["ex1.contoso.com"]; none of its servers is read.`);
    }
    const version = findNodeAtLocation(p, ['exchangeVersion']);
    if (version && version.type !== 'number' && version.type !== 'string')
      wrong(version, '"exchangeVersion" must be a year such as 2013 or 2019.');
    result.plans.push({
      file,
      name,
      // A uriType that is not a string is still a uriType: UM004 says it is not one lync-kst knows.
      uriType: valueToken(file, findNodeAtLocation(p, ['uriType'])),
      servers,
      exchangeVersion: version?.type === 'number' || version?.type === 'string' ? valueToken(file, version) : undefined,
      defaultDomain,
    });
  }
  return result;
}

/** Offset of the bracket that opens level `limit + 1`, strings skipped; undefined when the text stays shallower. */
function depthBreak(text: string, limit: number): number | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      for (i++; i < text.length && text.charCodeAt(i) !== 34; i++) if (text.charCodeAt(i) === 92) i++;
    } else if (c === 123 || c === 91) {
      if (++depth > limit) return i;
    } else if (c === 125 || c === 93) {
      depth--;
    }
  }
  return undefined;
}

/** The range is the string's content, without the quotes. */
function stringToken(file: SourceFile, n: Node | undefined): Token | undefined {
  if (n?.type !== 'string') return undefined;
  return { value: n.value as string, span: span(file, n.offset + 1, n.offset + n.length - 1) };
}

function valueToken(file: SourceFile, n: Node | undefined): Token | undefined {
  if (!n) return undefined;
  if (n.type === 'string') return stringToken(file, n);
  return { value: file.text.slice(n.offset, n.offset + n.length), span: span(file, n.offset, n.offset + n.length) };
}

function describe(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

/** JSON values in document order; undefined when the JSON does not parse cleanly (a fix never writes such a file). */
export function jsonOutline(text: string): OutlineNode[] | undefined {
  if (depthBreak(text, MAX_JSON_DEPTH) !== undefined) return undefined;
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  if (!root || errors.length > 0) return undefined;
  const out: OutlineNode[] = [];
  const stack: [Node, number][] = [[root, 0]];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const [n, depth] = top;
    const scalar = !n.children;
    const ownEnd = scalar ? n.offset + n.length : n.offset + 1;
    const raw = text.slice(n.offset, ownEnd);
    out.push({
      depth,
      label: `${n.type}:${raw}`,
      name: scalar ? raw : n.type,
      start: n.offset,
      end: n.offset + n.length,
      ownStart: n.offset,
      ownEnd,
    });
    const kids = n.children ?? [];
    for (let i = kids.length - 1; i >= 0; i--) stack.push([kids[i], depth + 1]);
  }
  return out;
}
