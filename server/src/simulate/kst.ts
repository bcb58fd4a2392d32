import { pushAt } from '../collections';
import { DialPlanServer } from './servers';
import { uriTypeOf } from '../readers/dialplans/model';
import { Computer, PoolDefinition, Pools } from './pools';
import { Token } from '../text/source';
import { clusterVersion, speaksSip, Topology } from '../readers/topology/model';
import { Fqdn, normFqdn } from '../model/fqdn';

export type Origin =
  | { kind: 'topology'; what: 'pool' | 'machine' | 'trustedPool'; pool: string; roles: string[] }
  /** `computersUnknown`: the cmdlet's computer could not be known (e.g. `$first`), so none is simulated. */
  | { kind: 'script'; what: 'trustedPool' | 'computer'; pool: string; cmdlet: string; computersUnknown?: string }
  /** `computersNotExported`: no exported computer names the pool, so only its own FQDN is an entry. */
  | { kind: 'export'; what: 'trustedPool' | 'computer'; pool: string; computersNotExported?: boolean }
  | { kind: 'umDialPlan'; dialPlan: string };

export interface KstEntry {
  fqdn: Fqdn;
  /** Where it is written. */
  token: Token;
  version: number;
  /** The files do not say; the configured default version was used. */
  versionAssumed: boolean;
  /** Why the version is assumed. */
  versionWhy?: string;
  origin: Origin;
  /** known: in the table; dropped: removed by RTCSRV with event 14563; removed: a script removes it first. */
  state: 'known' | 'dropped' | 'removed';
  removedBy?: Token;
}

export interface Conflict {
  fqdn: Fqdn;
  /** The entries RTCSRV drops, all versions. */
  entries: KstEntry[];
  versions: number[];
}

export interface Kst {
  entries: KstEntry[];
  byFqdn: Map<Fqdn, KstEntry[]>;
  conflicts: Conflict[];
}

export interface KstInputs {
  topologies: Topology[];
  pools: Pools;
  servers: DialPlanServer[];
  assumedVersion: number;
}

/**
 * The Known Servers Table RTCSRV would hold once the workspace's scripts have run:
 * topology pools and machines, trusted application pools (topology and scripts) and the
 * Exchange servers that Exchange UM Routing adds from SipName dial plans with version 0.
 */
export function simulateKst(inputs: KstInputs): Kst {
  const entries: KstEntry[] = [];
  const add = (token: Token, version: { version: number; assumed: boolean; why?: string }, origin: Origin, removedBy?: Token): void => {
    entries.push({
      fqdn: normFqdn(token.value),
      token,
      version: version.version,
      versionAssumed: version.assumed,
      ...(version.assumed && version.why ? { versionWhy: version.why } : {}),
      origin,
      state: removedBy ? 'removed' : 'known',
      removedBy,
    });
  };

  const definitionOf = new Map<unknown, PoolDefinition>();
  for (const pool of inputs.pools.all) {
    for (const d of pool.definitions) if (d.origin === 'topology') definitionOf.set(d.cluster, d);
  }

  for (const topology of inputs.topologies) {
    for (const cluster of topology.clusters) {
      if (!cluster.fqdn || !cluster.services.some(speaksSip)) continue;
      const version = clusterVersion(cluster, inputs.assumedVersion);
      const definition = definitionOf.get(cluster);
      const roles = [...new Set(cluster.services.map((s) => s.roleName?.value).filter((r): r is string => !!r))];
      const pool = normFqdn(cluster.fqdn.value);
      add(cluster.fqdn, version, { kind: 'topology', what: definition ? 'trustedPool' : 'pool', pool, roles }, definition?.removedBy);
      // A trusted pool's computers may be removed by a later script step; other pools' machines stay.
      const machines = definition
        ? definition.computers.map((c) => ({ fqdn: c.token, removedBy: c.removedBy }))
        : cluster.machines.map((m) => ({ fqdn: m.fqdn, removedBy: undefined }));
      for (const m of machines) {
        // A one-computer pool whose computer has the pool's FQDN is one KST entry, not two.
        if (m.fqdn && normFqdn(m.fqdn.value) !== pool) {
          add(m.fqdn, version, { kind: 'topology', what: 'machine', pool, roles }, definition?.removedBy ?? m.removedBy);
        }
      }
    }
  }

  for (const pool of inputs.pools.all) {
    for (const d of pool.definitions) {
      // A computer with the pool's own FQDN is the pool's entry, not a second one.
      const computers = d.computers.filter((c) => normFqdn(c.token.value) !== pool.fqdn);
      const exported = (c: Computer): void =>
        add(c.token, d.version, { kind: 'export', what: 'computer', pool: pool.fqdn }, d.removedBy ?? c.removedBy);
      if (d.origin === 'export') {
        const notExported = d.computersNotExported ? { computersNotExported: true } : {};
        add(d.fqdn, d.version, { kind: 'export', what: 'trustedPool', pool: pool.fqdn, ...notExported }, d.removedBy);
        computers.forEach(exported);
        continue;
      }
      const cmdlet = 'New-CsTrustedApplicationPool';
      const unknown = d.computersUnknown ? { computersUnknown: d.computersUnknown.unknown } : {};
      if (d.origin === 'script')
        add(d.fqdn, d.version, { kind: 'script', what: 'trustedPool', pool: pool.fqdn, cmdlet, ...unknown }, d.removedBy);
      // A topology pool's own machines are entries above; computers scripts add to it are script entries.
      for (const c of computers) {
        if (c.exported) {
          exported(c);
          continue;
        }
        if (d.origin === 'topology' && c.token.span.file === d.topology.file) continue;
        const via = d.origin === 'script' && c.token.span.file === d.fqdn.span.file ? cmdlet : 'New-CsTrustedApplicationComputer';
        add(c.token, d.version, { kind: 'script', what: 'computer', pool: pool.fqdn, cmdlet: via }, d.removedBy ?? c.removedBy);
      }
    }
  }
  for (const s of inputs.servers) {
    if (s.fqdn && uriTypeOf(s.plan) === 'SipName') {
      entries.push({
        fqdn: s.fqdn,
        token: s.token,
        version: 0,
        versionAssumed: false,
        origin: { kind: 'umDialPlan', dialPlan: s.plan.name.value },
        state: 'known',
      });
    }
  }

  const byFqdn = new Map<Fqdn, KstEntry[]>();
  for (const e of entries) pushAt(byFqdn, e.fqdn, e);
  const conflicts: Conflict[] = [];
  for (const [fqdn, list] of byFqdn) {
    const live = list.filter((e) => e.state !== 'removed');
    const versions = [...new Set(live.map((e) => e.version))].sort((a, b) => b - a);
    if (versions.length < 2) continue;
    for (const e of live) e.state = 'dropped';
    conflicts.push({ fqdn, entries: live, versions });
  }
  return { entries, byFqdn, conflicts };
}

/** Human wording of where an entry comes from, for messages and hovers. */
export function describeOrigin(e: KstEntry): string {
  const o = e.origin;
  switch (o.kind) {
    case 'topology':
      if (o.what === 'trustedPool') return `Trusted Application Pool ${o.pool} in the topology`;
      if (o.what === 'machine') return `computer of pool ${o.pool} (${o.roles.join(', ')}) in the topology`;
      return `pool ${o.pool} (${o.roles.join(', ')}) in the topology`;
    case 'script':
      return o.what === 'trustedPool'
        ? `Trusted Application Pool created by ${o.cmdlet} in a ` +
            `script${o.computersUnknown ? ` (its computers are not known: ${o.computersUnknown})` : ''}`
        : `computer of Trusted Application Pool ${o.pool} added by ${o.cmdlet} in a script`;
    case 'export':
      return o.what === 'trustedPool'
        ? `Trusted Application Pool ${o.pool} in a Get-CsTrustedApplicationPool ` +
            `export${o.computersNotExported ? ' (no Get-CsTrustedApplicationComputer export lists its computers)' : ''}`
        : `computer of Trusted Application Pool ${o.pool} in a Get-CsTrustedApplicationComputer export`;
    case 'umDialPlan':
      return `Exchange UM Routing (SipName dial plan ${o.dialPlan})`;
  }
}
