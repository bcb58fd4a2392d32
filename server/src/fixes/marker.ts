import { normFqdn } from '../kst/fqdn';

/**
 * The one-line comment Option 1 leaves where it removed a trusted application pool, so the
 * tool can remember the blog's caveat (KST003) and put the pool back. The readable part is
 * for people; `data=` holds the exact removed text for the restore fix.
 */
export interface RemovedPool {
  fqdn: string;
  apps: { id: string; port?: string }[];
  reason: string;
  /** Topology: the removed Cluster lines and Service lines, verbatim. */
  xml?: { cluster: string; services: string[] };
  /** Script: the removed statements, verbatim. */
  statements?: string[];
}

export const MARKER = 'lync-kst removed-pool';

export function formatMarker(p: RemovedPool): string {
  const apps = p.apps.length ? p.apps.map((a) => `${a.id}${a.port ? ` on port ${a.port}` : ''}`).join(', ') : 'no applications';
  // `--` cannot appear in an XML comment; outside strings JSON never has it, inside a string \u002d is the same text.
  const data = JSON.stringify(p).replace(/-(?=-)/g, '\\u002d');
  return `${MARKER} ${p.fqdn} (${apps}). Why: ${p.reason} Put the pool back if ${p.fqdn} stops hosting a SipName UM dial plan. data=${data}`;
}

export interface FoundMarker {
  pool: RemovedPool;
  /** The FQDN as it stands in the comment. */
  fqdnStart: number;
  fqdnEnd: number;
  /** The whole line, line break included. */
  lineStart: number;
  lineEnd: number;
}

/** Every marker in a file's text; a damaged marker is skipped, never guessed. */
export function findMarkers(text: string): FoundMarker[] {
  const found: FoundMarker[] = [];
  for (let at = text.indexOf(MARKER); at >= 0; at = text.indexOf(MARKER, at + MARKER.length)) {
    let lineStart = at;
    while (lineStart > 0 && text[lineStart - 1] !== '\n' && text[lineStart - 1] !== '\r') lineStart--;
    let lineEnd = at;
    while (lineEnd < text.length && text[lineEnd] !== '\n' && text[lineEnd] !== '\r') lineEnd++;
    const line = text.slice(at, lineEnd);
    const data = /data=(\{.*\})/.exec(line);
    if (!data) continue;
    let pool: RemovedPool;
    try {
      pool = JSON.parse(data[1]) as RemovedPool;
    } catch {
      continue;
    }
    if (typeof pool.fqdn !== 'string' || !Array.isArray(pool.apps)) continue;
    if (text[lineEnd] === '\r') lineEnd++;
    if (text[lineEnd] === '\n') lineEnd++;
    const fqdnStart = at + MARKER.length + 1;
    const written = text.slice(fqdnStart, fqdnStart + pool.fqdn.length);
    if (normFqdn(written) !== normFqdn(pool.fqdn)) continue;
    found.push({ pool, fqdnStart, fqdnEnd: fqdnStart + pool.fqdn.length, lineStart, lineEnd });
  }
  return found;
}
