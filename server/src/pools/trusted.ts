import { normFqdn } from '../kst/fqdn';
import { clusterVersion, VersionInfo } from '../kst/versions';
import { ScriptCommand, Script, ScriptValue } from '../scripts/model';
import { Span, Token } from '../text/source';
import { Cluster, isTrustedPoolService, Service, Topology } from '../topology/model';

/** One place that defines a trusted application pool: a topology cluster or a script cmdlet. */
export interface PoolDefinition {
  fqdn: Token;
  origin: 'topology' | 'script';
  version: VersionInfo;
  /** Where pool-level findings go: the ExternalServer RoleName value, or the cmdlet name. */
  anchor: Span;
  registrar?: Token;
  computers: Token[];
  /** RequiresReplication as given; the cmdlet's default is True. */
  requiresReplication: { value: boolean; token?: Token };
  topology?: { topology: Topology; cluster: Cluster; services: Service[] };
  command?: ScriptCommand;
  /** The Remove-CsTrustedApplicationPool argument that removes it in a later script step. */
  removedBy?: Token;
}

export interface TrustedApp {
  pool: string;
  /** As written: `urn:application:outlookwebapp` in a topology, `OutlookWebApp` in a script. */
  id: Token;
  port?: Token;
  origin: 'topology' | 'script';
  command?: ScriptCommand;
  removedBy?: Token;
}

export interface TrustedPool {
  /** Normalised FQDN. */
  fqdn: string;
  definitions: PoolDefinition[];
  apps: TrustedApp[];
}

export const APP_PREFIX = 'urn:application:';

/** ApplicationIds compare case-insensitively, with or without the stored `urn:application:` prefix. */
export function normAppId(id: string): string {
  const t = id.trim().toLowerCase();
  return t.startsWith(APP_PREFIX) ? t.slice(APP_PREFIX.length) : t;
}

export function activeDefinitions(pool: TrustedPool): PoolDefinition[] {
  return pool.definitions.filter((d) => !d.removedBy);
}

export function activeApps(pool: TrustedPool): TrustedApp[] {
  return pool.apps.filter((a) => !a.removedBy);
}

/** A script argument as a token, when its value is statically known. */
export function argument(cmd: ScriptCommand, name: string): Token | undefined {
  const v: ScriptValue | undefined = cmd.parameters.get(name)?.value;
  return v?.value === undefined ? undefined : { value: v.value, span: v.span };
}

/**
 * Collects trusted application pools from the topologies, then replays the scripts on top
 * (in the order given) the way the cmdlets would change the topology.
 */
export function collectTrustedPools(topologies: Topology[], scripts: Script[], assumedVersion: number): Map<string, TrustedPool> {
  const pools = new Map<string, TrustedPool>();
  const poolFor = (fqdn: string): TrustedPool => {
    const key = normFqdn(fqdn);
    let p = pools.get(key);
    if (!p) pools.set(key, (p = { fqdn: key, definitions: [], apps: [] }));
    return p;
  };
  const versionOfPool = new Map<string, VersionInfo>();

  for (const topology of topologies) {
    const servicesByKey = new Map(topology.services.map((s) => [s.key, s]));
    // Looked up once per trusted pool: a scan per pool made 20 MB topologies quadratic.
    const clustersByKey = new Map(topology.clusters.map((c) => [c.key, c]));
    for (const cluster of topology.clusters) {
      if (cluster.fqdn) versionOfPool.set(normFqdn(cluster.fqdn.value), clusterVersion(cluster, assumedVersion));
      const external = cluster.services.filter(isTrustedPoolService);
      if (!cluster.fqdn || external.length === 0) continue;
      const pool = poolFor(cluster.fqdn.value);
      const registrar = external
        .flatMap((s) => s.dependencies)
        .map((d) => servicesByKey.get(d.key))
        .find((s) => s?.roleName?.value.toLowerCase() === 'registrar');
      const registrarCluster = registrar?.installedOn === undefined ? undefined : clustersByKey.get(registrar.installedOn);
      const rr = cluster.requiresReplication;
      pool.definitions.push({
        fqdn: cluster.fqdn,
        origin: 'topology',
        version: clusterVersion(cluster, assumedVersion),
        anchor: (external[0].roleName ?? cluster.fqdn).span,
        registrar: registrar ? registrarCluster?.fqdn ?? registrar.roleName : undefined,
        computers: cluster.machines.map((m) => m.fqdn ?? cluster.fqdn!),
        requiresReplication: { value: rr ? rr.value.toLowerCase() !== 'false' : true, token: rr },
        topology: { topology, cluster, services: external },
      });
      for (const port of external.flatMap((s) => s.ports)) {
        if (port.owner && port.owner.value.toLowerCase().startsWith(APP_PREFIX)) {
          pool.apps.push({ pool: pool.fqdn, id: port.owner, port: port.port, origin: 'topology' });
        }
      }
    }
  }

  const newestVersion = [...versionOfPool.values()].filter((v) => !v.assumed).sort((a, b) => b.version - a.version)[0];
  for (const script of scripts) {
    for (const cmd of script.commands) {
      switch (cmd.name) {
        case 'New-CsTrustedApplicationPool': {
          const identity = argument(cmd, 'identity');
          if (!identity) break;
          const registrar = argument(cmd, 'registrar');
          const registrarFqdn = registrar && normFqdn(registrar.value.replace(/^registrar:/i, ''));
          // The pool is made by the Lync version that runs the Registrar it is homed on.
          const version = (registrarFqdn && versionOfPool.get(registrarFqdn)) || newestVersion || { version: assumedVersion, assumed: true };
          const computer = argument(cmd, 'computerfqdn');
          const rr = cmd.parameters.get('requiresreplication')?.value;
          poolFor(identity.value).definitions.push({
            fqdn: identity,
            origin: 'script',
            version: { version: version.version, assumed: version.assumed },
            anchor: cmd.nameSpan,
            registrar,
            computers: [computer ?? identity],
            requiresReplication: {
              value: rr?.value === undefined ? true : !/^\$?false$/i.test(rr.value),
              token: rr?.value === undefined ? undefined : { value: rr.value, span: rr.span },
            },
            command: cmd,
          });
          versionOfPool.set(normFqdn(identity.value), version);
          break;
        }
        case 'New-CsTrustedApplicationComputer': {
          const computer = argument(cmd, 'identity');
          const pool = argument(cmd, 'pool');
          if (computer && pool) activeDefinitions(poolFor(pool.value)).at(-1)?.computers.push(computer);
          break;
        }
        case 'New-CsTrustedApplication': {
          const identity = argument(cmd, 'identity');
          const poolName = argument(cmd, 'trustedapplicationpoolfqdn')?.value ?? identity?.value.split('/')[0];
          const id = argument(cmd, 'applicationid') ?? (identity && appPart(identity));
          if (!poolName || !id) break;
          const pool = poolFor(poolName);
          const port = argument(cmd, 'port');
          // A script next to the topology it already changed describes the same app, not a second one.
          const present = activeApps(pool).some((a) => normAppId(a.id.value) === normAppId(id.value) && a.port?.value === port?.value);
          if (!present) pool.apps.push({ pool: pool.fqdn, id, port, origin: 'script', command: cmd });
          break;
        }
        case 'Remove-CsTrustedApplicationPool': {
          const identity = argument(cmd, 'identity');
          if (!identity) break;
          const pool = poolFor(identity.value.replace(/^TrustedApplicationPool:/i, ''));
          for (const d of pool.definitions) d.removedBy ??= identity;
          for (const a of pool.apps) a.removedBy ??= identity;
          break;
        }
        case 'Remove-CsTrustedApplication': {
          const identity = argument(cmd, 'identity');
          const [poolName, app] = identity ? identity.value.split('/') : [];
          if (!identity || !app) break;
          for (const a of poolFor(poolName).apps) {
            if (normAppId(a.id.value) === normAppId(app)) a.removedBy ??= identity;
          }
          break;
        }
      }
    }
  }
  for (const [key, pool] of pools) if (pool.definitions.length === 0 && pool.apps.length === 0) pools.delete(key);
  return pools;
}

/** `pool.fqdn/appid` → a token for the app id part, positioned inside the argument. */
function appPart(identity: Token): Token | undefined {
  const slash = identity.value.indexOf('/');
  if (slash < 0) return undefined;
  const value = identity.value.slice(slash + 1);
  const written = identity.span.end - identity.span.start === identity.value.length;
  const span = written ? { ...identity.span, start: identity.span.start + slash + 1 } : identity.span;
  return { value, span };
}
