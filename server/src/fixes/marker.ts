import { normFqdn } from '../model/fqdn';

/**
 * The comment Option 1 leaves exactly where it removed a trusted application pool (the
 * Cluster element, or the first cmdlet of a script), so the tool can remember the blog's
 * caveat (KST003) and put the pool back byte for byte. The readable part is for people;
 * `data=` holds the removed text and where each other removed piece goes back.
 */
export interface RemovedPool {
  v: 2;
  fqdn: string;
  apps: { id: string; port?: string }[];
  reason: string;
  /** The text the comment stands in for, verbatim. */
  text: string;
  /** XML: the local name of the element that text goes back into. */
  parent?: string;
  /** The other pieces removed with it (services, dependencies, statements). */
  pieces: RemovedPiece[];
}

/**
 * A removed piece and where it goes back. Positions are taken in the file with the marker
 * cut out, so they do not depend on the marker's own length: `at` counts from the marker's
 * place (negative: before it); `before` and `after` are the text around the place, checked
 * before anything is put back, and searched for when the file has changed in between.
 */
export interface RemovedPiece {
  text: string;
  at: number;
  before: string;
  after: string;
  /** XML: the local name of the element the piece goes into. */
  parent?: string;
}

export type MarkerSyntax = 'xml' | 'line' | 'block';

export const MARKER = 'lync-kst removed-pool';

const OPEN: Record<MarkerSyntax, string> = { xml: '<!-- ', line: '# ', block: '<# ' };
const CLOSE: Record<MarkerSyntax, string> = { xml: ' -->', line: '', block: ' #>' };

/** The whole comment, ready to stand where the removed text was. */
export function formatMarker(p: RemovedPool, syntax: MarkerSyntax): string {
  const apps = p.apps.length ? p.apps.map((a) => `${a.id}${a.port ? ` on port ${a.port}` : ''}`).join(', ') : 'no applications';
  // JSON.stringify escapes line breaks; what could end the comment early is escaped as the same text.
  let data = JSON.stringify(p);
  if (syntax === 'xml') data = data.replace(/-(?=-)/g, '\\u002d');
  if (syntax === 'block') data = data.replace(/#>/g, '#\\u003e');
  return (
    `${OPEN[syntax]}${MARKER} ${p.fqdn} (${apps}). Why: ${p.reason} Put the pool back if ${p.fqdn} stops hosting a SipName UM dial ` +
    `plan. data=${data}${CLOSE[syntax]}`
  );
}

export interface FoundMarker {
  pool: RemovedPool;
  /** The FQDN as it stands in the comment. */
  fqdnStart: number;
  fqdnEnd: number;
  /** The whole comment: what a restore replaces. */
  start: number;
  end: number;
}

export interface DamagedMarker {
  /** The marker text `lync-kst removed-pool`. */
  start: number;
  end: number;
  why: string;
}

/** Every marker in a file's text; a damaged one is returned as such, never guessed. */
export function findMarkers(text: string, kind: 'xml' | 'script'): { markers: FoundMarker[]; damaged: DamagedMarker[] } {
  const markers: FoundMarker[] = [];
  const damaged: DamagedMarker[] = [];
  for (let at = text.indexOf(MARKER); at >= 0; at = text.indexOf(MARKER, at + MARKER.length)) {
    const syntax = kind === 'xml' ? 'xml' : text.startsWith('<# ', at - 3) ? 'block' : 'line';
    const open = OPEN[syntax];
    // Only a marker that opens its own comment is ours: a script may well print the words.
    if (!text.startsWith(open, at - open.length)) continue;
    const damage = (why: string) => damaged.push({ start: at, end: at + MARKER.length, why });
    const dataAt = text.indexOf(' data=', at);
    const objectEnd = dataAt < 0 ? -1 : jsonObjectEnd(text, dataAt + ' data='.length);
    if (objectEnd < 0) {
      damage('its data= part is missing or cut off');
      continue;
    }
    let pool: unknown;
    try {
      pool = JSON.parse(text.slice(dataAt + ' data='.length, objectEnd));
    } catch {
      damage('its data= part is not valid JSON');
      continue;
    }
    const problem = shapeProblem(pool);
    if (problem) {
      damage(problem);
      continue;
    }
    const p = pool as RemovedPool;
    const close = CLOSE[syntax];
    if (!text.startsWith(close, objectEnd)) {
      damage(`the comment does not end right after data=`);
      continue;
    }
    const fqdnStart = at + MARKER.length + 1;
    if (normFqdn(text.slice(fqdnStart, fqdnStart + p.fqdn.length)) !== normFqdn(p.fqdn)) {
      damage(`the server name before "(" does not match data= (${p.fqdn})`);
      continue;
    }
    markers.push({ pool: p, fqdnStart, fqdnEnd: fqdnStart + p.fqdn.length, start: at - open.length, end: objectEnd + close.length });
  }
  return { markers, damaged };
}

/** Why a parsed data= object is not a marker this version can restore from, or undefined. */
function shapeProblem(p: unknown): string | undefined {
  if (!p || typeof p !== 'object' || Array.isArray(p)) return 'its data= part is not an object';
  const o = p as Record<string, unknown>;
  if (o.v !== 2)
    return o.xml !== undefined || o.statements !== undefined
      ? 'it was written by an earlier lync-kst that recorded no positions'
      : 'its data= part has no version 2';
  if (typeof o.fqdn !== 'string' || o.fqdn === '') return 'its data= part has no server name';
  if (typeof o.text !== 'string' || typeof o.reason !== 'string' || (o.parent !== undefined && typeof o.parent !== 'string'))
    return 'its data= part has no removed text';
  if (!Array.isArray(o.apps) || !o.apps.every((a) => a && typeof a === 'object' && typeof (a as { id?: unknown }).id === 'string'))
    return 'its data= "apps" is not a list of applications';
  if (!Array.isArray(o.pieces)) return 'its data= "pieces" is not a list';
  for (const piece of o.pieces as unknown[]) {
    const x = piece as Record<string, unknown> | null;
    if (
      !x ||
      typeof x.text !== 'string' ||
      !Number.isInteger(x.at) ||
      typeof x.before !== 'string' ||
      typeof x.after !== 'string' ||
      (x.parent !== undefined && typeof x.parent !== 'string')
    ) {
      return 'one of its data= "pieces" is damaged';
    }
  }
  return undefined;
}

/** Offset after the JSON object starting at `from` (strings respected), or -1 when it does not close on its line. */
function jsonObjectEnd(text: string, from: number): number {
  if (text.charCodeAt(from) !== 123) return -1;
  let depth = 0;
  let inString = false;
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return -1;
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123) depth++;
    else if (c === 125 && --depth === 0) return i + 1;
  }
  return -1;
}
