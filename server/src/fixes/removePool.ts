import { pushAt } from '../collections';
import { isClosed, XmlElement } from '../xml/element';
import { KstEntry } from '../simulate/kst';
import { activeApps, activeDefinitions, APP_PREFIX, TopologyDefinition, TrustedPool } from '../simulate/pools';
import { ScriptCommand } from '../readers/scripts/model';
import { isKnown, valueOf } from '../readers/scripts/values';
import { SourceFile } from '../text/source';
import { Dependency, isTrustedPoolService, Service, Topology } from '../readers/topology/model';
import { wholeLines } from './edits';
import { formatMarker, MarkerSyntax, RemovedPool } from './marker';
import { FileEdit, Fix, lazyChanges, TextEdit } from './model';
import { Range, recordPieces } from './pieces';

/**
 * Option 1 of the blog post: remove the Trusted Application Pool and its applications
 * everywhere the workspace defines them (topology Cluster + ExternalServer Service + the
 * dependencies on it, or every cmdlet in a script that acts on it). A marker comment takes the exact
 * place of the Cluster (or of the first cmdlet) and remembers the caveat and the removed text,
 * so KST003 can put everything back byte for byte, whatever the layout (one line, CRLF, tabs).
 * Undefined when removing the pool would not end the conflict.
 */
export function removePoolFix(pool: TrustedPool, entries: KstEntry[], reason: string): Fix | undefined {
  const definitions = activeDefinitions(pool);
  if (definitions.length === 0) return undefined;
  // Every Lync-side entry for the FQDN must belong to this pool, or the conflict stays.
  const lyncSide = entries.filter((e) => e.state !== 'removed' && e.origin.kind !== 'umDialPlan');
  if (
    !lyncSide.every(
      (e) => e.origin.kind !== 'umDialPlan' && e.origin.pool === pool.fqdn && (e.origin.kind === 'script' || e.origin.what !== 'pool'),
    )
  )
    return undefined;
  if (definitions.some((d) => d.origin === 'topology' && !d.cluster.services.every(isTrustedPoolService))) return undefined;
  // An export records the deployment as it is: the pool goes with Remove-CsTrustedApplicationPool (KST001 says so), not an edit.
  if (definitions.some((d) => d.origin === 'export')) return undefined;

  const topologies = definitions.filter((d): d is TopologyDefinition => d.origin === 'topology');
  if (!topologies.every(removable)) return undefined;
  const scripts = byFile(pool.commands);

  const apps = activeApps(pool).length;
  const files = [...topologies.map((d) => d.topology.file), ...scripts.keys()];
  // The edits (with the marker's recorded pieces) cost a pass over each file: made only when the fix is used.
  return lazyChanges(
    {
      id: `KST001:option1:${pool.fqdn}`,
      code: 'KST001',
      title:
        `Option 1: remove Trusted Application Pool ${pool.fqdn} and its applications (add it back if ${pool.fqdn} stops hosting a ` +
        `SipName dial plan)`,
      preferred: true,
      files,
      summary:
        `removed Trusted Application Pool ${pool.fqdn} and ${apps} application(s) from ${files.map((f) => f.path).join(', ')}, ` +
        `leaving a "lync-kst removed-pool" ` +
        `comment: put the pool back if ${pool.fqdn} stops hosting a SipName UM dial plan`,
      subject: pool.fqdn,
    },
    () => [
      ...topologies.map((d) => removeFromTopology(d, pool, reason)),
      ...[...scripts].map(([file, cmds]) => removeFromScript(file, cmds, pool, reason)),
    ],
  );
}

/** The pool's ExternalServer services and the dependencies on them elsewhere in the topology. */
function removedElements(d: TopologyDefinition): XmlElement[] {
  const dependents = dependentsIn(d.topology);
  const dependencies = d.services.flatMap((s) => (dependents.get(s.key) ?? []).filter((dep) => !d.services.includes(dep.owner)));
  return [...d.services.map((s) => s.element), ...dependencies.map((dep) => dep.dependency.element)];
}

/** Every dependency of a topology by the key it depends on, indexed once per topology (a scan per fix was quadratic). */
function dependentsIn(topology: Topology): Map<string, { owner: Service; dependency: Dependency }[]> {
  let index = dependents.get(topology);
  if (!index) {
    index = new Map();
    for (const owner of topology.services) {
      for (const dependency of owner.dependencies) pushAt(index, dependency.key, { owner, dependency });
    }
    dependents.set(topology, index);
  }
  return index;
}

const dependents = new WeakMap<Topology, Map<string, { owner: Service; dependency: Dependency }[]>>();

function removable(d: TopologyDefinition): boolean {
  return isClosed(d.cluster.element) && removedElements(d).every(isClosed);
}

function removeFromTopology(d: TopologyDefinition, pool: TrustedPool, reason: string): FileEdit {
  const { topology, cluster, services } = d;
  const text = topology.file.text;
  const element = cluster.element;
  const elements = removedElements(d);
  // removable() said so before the fix was offered.
  if (!isClosed(element) || !elements.every(isClosed)) throw new Error(`the pool's elements in ${topology.file.path} are not complete`);
  // An element alone on its lines goes with its lines; one sharing a line (a one-line export) goes alone.
  const removed = elements.map((e) => ({ ...lineOrSelf(text, e.start, e.end), parent: e.parent?.local }));
  const marker: Range = { start: element.start, end: element.end };
  const { pieces, guards } = recordPieces(text, marker, removed);
  const record: RemovedPool = {
    v: 2,
    fqdn: cluster.fqdn?.value ?? pool.fqdn,
    apps: services
      .flatMap((s) => s.ports)
      .flatMap((p) => (p.owner?.value.toLowerCase().startsWith(APP_PREFIX) ? [{ id: p.owner.value, port: p.port?.value }] : [])),
    reason,
    text: text.slice(marker.start, marker.end),
    ...(element.parent ? { parent: element.parent.local } : {}),
    pieces,
  };
  const edits: TextEdit[] = [
    { start: marker.start, end: marker.end, newText: formatMarker(record, 'xml') },
    ...removed.map((r) => ({ start: r.start, end: r.end, newText: '' })),
  ];
  return {
    file: topology.file,
    edits,
    intent: { removes: [marker, ...elements.map((e) => ({ start: e.start, end: e.end }))], inserts: [], changes: [] },
    guards,
  };
}

function lineOrSelf(text: string, start: number, end: number): Range {
  const lines = wholeLines(text, start, end);
  return { start: lines.start, end: lines.end };
}

/** The cmdlets that act on the pool as it stands (the collector keeps them), per script file, in file order. */
function byFile(commands: ScriptCommand[]): Map<SourceFile, ScriptCommand[]> {
  const out = new Map<SourceFile, ScriptCommand[]>();
  for (const cmd of commands) {
    const file = cmd.nameSpan.file;
    const list = out.get(file);
    if (list) list.push(cmd);
    else out.set(file, [cmd]);
  }
  for (const list of out.values()) list.sort((a, b) => a.statement.start - b.statement.start);
  return out;
}

function removeFromScript(file: SourceFile, cmds: ScriptCommand[], pool: TrustedPool, reason: string): FileEdit {
  const text = file.text;
  const [first, ...rest] = cmds;
  const marker: Range = { start: first.core.start, end: first.core.end };
  const removed = rest.map((c) => ({ start: c.statement.start, end: c.statement.end }));
  const { pieces, guards } = recordPieces(text, marker, removed);
  const record: RemovedPool = {
    v: 2,
    fqdn: pool.fqdn,
    apps: cmds
      .filter((c) => c.name === 'New-CsTrustedApplication')
      .map((c) => ({ id: known(c, 'ApplicationId') ?? known(c, 'Identity') ?? '?', port: known(c, 'Port') })),
    reason,
    text: text.slice(marker.start, marker.end),
    pieces,
  };
  const edits: TextEdit[] = [
    { start: marker.start, end: marker.end, newText: formatMarker(record, markerSyntax(text, marker.end)) },
    ...removed.map((r) => ({ start: r.start, end: r.end, newText: '' })),
  ];
  return { file, edits, intent: { removes: [marker, ...removed], inserts: [], changes: [] }, guards };
}

/** A line comment when nothing but a comment follows on the line; otherwise a block comment, so the rest of the line still runs. */
function markerSyntax(text: string, end: number): MarkerSyntax {
  let i = end;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  return i >= text.length || text[i] === '\n' || text[i] === '\r' || text[i] === '#' ? 'line' : 'block';
}

function known(cmd: ScriptCommand, name: string): string | undefined {
  const v = valueOf(cmd, name);
  return isKnown(v) ? v.value : undefined;
}
