import { KstEntry } from '../kst/simulate';
import { activeApps, activeDefinitions, argument, PoolDefinition, TrustedPool } from '../pools/trusted';
import { normFqdn } from '../kst/fqdn';
import { Script, ScriptCommand } from '../scripts/model';
import { SourceFile } from '../text/source';
import { isTrustedPoolService } from '../topology/model';
import { wholeLines } from './edits';
import { formatMarker, MarkerSyntax, RemovedPool } from './marker';
import { FileEdit, Fix, TextEdit } from './model';
import { Range, recordPieces } from './pieces';

/**
 * Option 1 of the blog post: remove the Trusted Application Pool and its applications
 * everywhere the workspace defines them (topology Cluster + ExternalServer Service + the
 * dependencies on it, or the creating cmdlets in a script). A marker comment takes the exact
 * place of the Cluster (or of the first cmdlet) and remembers the caveat and the removed text,
 * so KST003 can put everything back byte for byte, whatever the layout (one line, CRLF, tabs).
 * Undefined when removing the pool would not end the conflict.
 */
export function removePoolFix(pool: TrustedPool, entries: KstEntry[], scripts: Script[], reason: string): Fix | undefined {
  const definitions = activeDefinitions(pool);
  if (definitions.length === 0) return undefined;
  // Every Lync-side entry for the FQDN must belong to this pool, or the conflict stays.
  const lyncSide = entries.filter((e) => e.state !== 'removed' && e.origin.kind !== 'umDialPlan');
  if (!lyncSide.every((e) => e.origin.kind !== 'umDialPlan' && e.origin.pool === pool.fqdn && (e.origin.kind === 'script' || e.origin.what !== 'pool'))) return undefined;
  if (definitions.some((d) => d.topology && !d.topology.cluster.services.every(isTrustedPoolService))) return undefined;

  const changes: FileEdit[] = [];
  for (const d of definitions) {
    if (!d.topology) continue;
    const change = removeFromTopology(d, pool, reason);
    if (!change) return undefined;
    changes.push(change);
  }
  for (const [file, cmds] of scriptCommands(pool, scripts)) changes.push(removeFromScript(file, cmds, pool, reason));

  const apps = activeApps(pool).length;
  const files = changes.map((c) => c.file.path).join(', ');
  return {
    id: `KST001:option1:${pool.fqdn}`,
    code: 'KST001',
    title: `Option 1: remove Trusted Application Pool ${pool.fqdn} and its applications (add it back if ${pool.fqdn} stops hosting a SipName dial plan)`,
    preferred: true,
    changes,
    summary: `removed Trusted Application Pool ${pool.fqdn} and ${apps} application(s) from ${files}, leaving a "lync-kst removed-pool" comment: put the pool back if ${pool.fqdn} stops hosting a SipName UM dial plan`,
    subject: pool.fqdn,
    exclusive: true,
  };
}

function removeFromTopology(d: PoolDefinition, pool: TrustedPool, reason: string): FileEdit | undefined {
  const { topology, cluster, services } = d.topology!;
  const text = topology.file.text;
  const element = cluster.element;
  if (element.end === undefined || services.some((s) => s.element.end === undefined)) return undefined;
  const removedKeys = new Set(services.map((s) => s.key));
  const dependencies = topology.services
    .filter((s) => !services.includes(s))
    .flatMap((s) => s.dependencies)
    .filter((dep) => removedKeys.has(dep.key) && dep.element.end !== undefined);
  const elements = [...services.map((s) => s.element), ...dependencies.map((dep) => dep.element)];
  // An element alone on its lines goes with its lines; one sharing a line (a one-line export) goes alone.
  const removed = elements.map((e) => ({ ...lineOrSelf(text, e.start, e.end!), parent: e.parent?.local }));
  const marker: Range = { start: element.start, end: element.end };
  const record: RemovedPool = {
    v: 2,
    fqdn: cluster.fqdn?.value ?? pool.fqdn,
    apps: services.flatMap((s) => s.ports).filter((p) => p.owner?.value.toLowerCase().startsWith('urn:application:')).map((p) => ({ id: p.owner!.value, port: p.port?.value })),
    reason,
    text: text.slice(marker.start, marker.end),
    ...(element.parent ? { parent: element.parent.local } : {}),
    pieces: recordPieces(text, marker, removed),
  };
  const edits: TextEdit[] = [
    { start: marker.start, end: marker.end, newText: formatMarker(record, 'xml') },
    ...removed.map((r) => ({ start: r.start, end: r.end, newText: '' })),
  ];
  return {
    file: topology.file,
    edits,
    intent: { removes: [marker, ...elements.map((e) => ({ start: e.start, end: e.end! }))], inserts: [], changes: [] },
  };
}

function lineOrSelf(text: string, start: number, end: number): Range {
  const lines = wholeLines(text, start, end);
  return { start: lines.start, end: lines.end };
}

/** The cmdlets that create the pool, its computers and its applications, per script file, in file order. */
function scriptCommands(pool: TrustedPool, scripts: Script[]): Map<SourceFile, ScriptCommand[]> {
  const byFile = new Map<SourceFile, ScriptCommand[]>();
  for (const script of scripts) {
    const cmds = script.commands.filter((cmd) => {
      const target =
        cmd.name === 'New-CsTrustedApplicationPool' ? argument(cmd, 'identity')?.value
        : cmd.name === 'New-CsTrustedApplicationComputer' ? argument(cmd, 'pool')?.value
        : cmd.name === 'New-CsTrustedApplication' ? argument(cmd, 'trustedapplicationpoolfqdn')?.value ?? argument(cmd, 'identity')?.value.split('/')[0]
        : undefined;
      return target !== undefined && normFqdn(target) === pool.fqdn;
    });
    // A pool removed earlier in the script and created again later: only the live one goes.
    const live = cmds.filter((cmd) => !pool.definitions.some((d) => d.command === cmd && d.removedBy) && !pool.apps.some((a) => a.command === cmd && a.removedBy));
    if (live.length) byFile.set(script.file, live);
  }
  return byFile;
}

function removeFromScript(file: SourceFile, cmds: ScriptCommand[], pool: TrustedPool, reason: string): FileEdit {
  const text = file.text;
  const [first, ...rest] = cmds;
  const marker: Range = { start: first.core.start, end: first.core.end };
  const removed = rest.map((c) => ({ start: c.statement.start, end: c.statement.end }));
  const record: RemovedPool = {
    v: 2,
    fqdn: pool.fqdn,
    apps: cmds.filter((c) => c.name === 'New-CsTrustedApplication').map((c) => ({ id: argument(c, 'applicationid')?.value ?? argument(c, 'identity')?.value ?? '?', port: argument(c, 'port')?.value })),
    reason,
    text: text.slice(marker.start, marker.end),
    pieces: recordPieces(text, marker, removed),
  };
  const edits: TextEdit[] = [
    { start: marker.start, end: marker.end, newText: formatMarker(record, markerSyntax(text, marker.end)) },
    ...removed.map((r) => ({ start: r.start, end: r.end, newText: '' })),
  ];
  return { file, edits, intent: { removes: [marker, ...removed], inserts: [], changes: [] } };
}

/** A line comment when nothing but a comment follows on the line; otherwise a block comment, so the rest of the line still runs. */
function markerSyntax(text: string, end: number): MarkerSyntax {
  let i = end;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  return i >= text.length || text[i] === '\n' || text[i] === '\r' || text[i] === '#' ? 'line' : 'block';
}
