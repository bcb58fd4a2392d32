import { KstEntry } from '../kst/simulate';
import { activeApps, activeDefinitions, argument, PoolDefinition, TrustedPool } from '../pools/trusted';
import { normFqdn } from '../kst/fqdn';
import { Script, ScriptCommand } from '../scripts/model';
import { lineBreakOf } from '../text/lines';
import { SourceFile } from '../text/source';
import { isTrustedPoolService } from '../topology/model';
import { formatMarker, RemovedPool } from './marker';
import { FileEdit, Fix, TextEdit } from './model';
import { wholeLines } from './edits';

/**
 * Option 1 of the blog post: remove the Trusted Application Pool and its applications
 * everywhere the workspace defines them (topology Cluster + ExternalServer Service + the
 * references to it, or the creating cmdlets in a script), leaving a marker comment that
 * remembers the caveat. Undefined when removing the pool would not end the conflict.
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
  const commands = scriptCommands(pool, scripts);
  for (const [file, cmds] of commands) changes.push(removeFromScript(file, cmds, pool, reason));

  const apps = activeApps(pool).length;
  const files = changes.map((c) => c.file.path).join(', ');
  return {
    id: `KST001:option1:${pool.fqdn}`,
    code: 'KST001',
    title: `Option 1: remove Trusted Application Pool ${pool.fqdn} and its applications (add it back if ${pool.fqdn} stops hosting a SipName dial plan)`,
    preferred: true,
    changes,
    summary: `removed Trusted Application Pool ${pool.fqdn} and ${apps} application(s) from ${files}, leaving a "lync-kst removed-pool" comment: put the pool back if ${pool.fqdn} stops hosting a SipName UM dial plan`,
  };
}

function removeFromTopology(d: PoolDefinition, pool: TrustedPool, reason: string): FileEdit | undefined {
  const { topology, cluster, services } = d.topology!;
  const text = topology.file.text;
  if (cluster.element.end === undefined || services.some((s) => s.element.end === undefined)) return undefined;
  const clusterLines = wholeLines(text, cluster.element.start, cluster.element.end);
  const serviceLines = services.map((s) => wholeLines(text, s.element.start, s.element.end!));
  const removedKeys = new Set(services.map((s) => s.key));
  const dependencyLines = topology.services
    .filter((s) => !services.includes(s))
    .flatMap((s) => s.dependencies)
    .filter((dep) => removedKeys.has(dep.key) && dep.element.end !== undefined)
    .map((dep) => wholeLines(text, dep.element.start, dep.element.end!));

  const removed: RemovedPool = {
    fqdn: cluster.fqdn?.value ?? pool.fqdn,
    apps: services.flatMap((s) => s.ports).filter((p) => p.owner?.value.toLowerCase().startsWith('urn:application:')).map((p) => ({ id: p.owner!.value, port: p.port?.value })),
    reason,
    xml: { cluster: text.slice(clusterLines.start, clusterLines.end), services: serviceLines.map((l) => text.slice(l.start, l.end)) },
  };
  const eol = clusterLines.end > cluster.element.end ? lineBreakOf(text) : '';
  const edits: TextEdit[] = [
    { start: clusterLines.start, end: clusterLines.end, newText: `${clusterLines.indent}<!-- ${formatMarker(removed)} -->${eol}` },
    ...[...serviceLines, ...dependencyLines].map((l) => ({ start: l.start, end: l.end, newText: '' })),
  ];
  return { file: topology.file, edits };
}

/** The cmdlets that create the pool, its computers and its applications, per script file. */
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
  const eol = lineBreakOf(text);
  const statements = cmds.map((c) => {
    const s = text.slice(c.statement.start, c.statement.end);
    return /[\r\n]$/.test(s) ? s : s + eol;
  });
  const removed: RemovedPool = {
    fqdn: pool.fqdn,
    apps: cmds.filter((c) => c.name === 'New-CsTrustedApplication').map((c) => ({ id: argument(c, 'applicationid')?.value ?? argument(c, 'identity')?.value ?? '?', port: argument(c, 'port')?.value })),
    reason,
    statements,
  };
  const first = cmds[0].statement;
  const lineStart = Math.max(text.lastIndexOf('\n', first.start - 1), text.lastIndexOf('\r', first.start - 1)) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
  const marker = `${indent}# ${formatMarker(removed)}${eol}`;
  const edits: TextEdit[] = cmds.map((c) => ({ start: c.statement.start, end: c.statement.end, newText: '' }));
  if (lineStart === first.start) edits[0].newText = marker;
  else edits.push({ start: lineStart, end: lineStart, newText: marker });
  return { file, edits };
}
