import { at, pushAt } from '../collections';
import { Fqdn, normFqdn } from '../model/fqdn';
import { VersionInfo } from '../model/versions';
import { ScriptCommand, Script } from '../readers/scripts/model';
import { isKnown, Unknown, Value, valueOf } from '../readers/scripts/values';
import { Span, Token } from '../text/source';
import { Cluster, clusterVersion, isTrustedPoolService, Service, Topology } from '../readers/topology/model';
import { ExportedApp, ExportedPool, TrustedExport } from '../readers/trusted/model';

/** A computer of a trusted pool: a topology Machine, a script's computer FQDN or an exported computer. */
export interface Computer {
  token: Token;
  /** Listed by a `Get-CsTrustedApplicationComputer` export. */
  exported?: true;
  /** The Remove-CsTrustedApplicationComputer argument that removes it in a later script step. */
  removedBy?: Token;
}

interface DefinitionBase {
  fqdn: Token;
  version: VersionInfo;
  /** Where pool-level findings go: the ExternalServer RoleName value, or the cmdlet name. */
  anchor: Span;
  /** Undefined when none is given; Unknown when one is given that lync-kst cannot know. */
  registrar?: Value;
  computers: Computer[];
  /** Set when a computer is given that lync-kst cannot know: the pool is simulated without it. */
  computersUnknown?: Unknown;
  /** RequiresReplication as given (the cmdlet's default is True), or Unknown. */
  requiresReplication: { value: boolean; token?: Token } | Unknown;
  /** The Remove-CsTrustedApplicationPool argument that removes it in a later script step. */
  removedBy?: Token;
}

export interface TopologyDefinition extends DefinitionBase {
  origin: 'topology';
  topology: Topology;
  cluster: Cluster;
  /** Its ExternalServer services. */
  services: Service[];
}

export interface ScriptDefinition extends DefinitionBase {
  origin: 'script';
  command: ScriptCommand;
}

export interface ExportDefinition extends DefinitionBase {
  origin: 'export';
  export: TrustedExport;
  pool: ExportedPool;
  /** No exported computer names this pool: its computers are not known (its own FQDN is still an entry). */
  computersNotExported?: true;
}

/** One place that defines a trusted application pool: a topology cluster, a script cmdlet or an export of the deployment. */
export type PoolDefinition = TopologyDefinition | ScriptDefinition | ExportDefinition;

interface AppBase {
  /** As written: `urn:application:outlookwebapp` in a topology, `OutlookWebApp` in a script. */
  id: Value;
  port?: Value;
  removedBy?: Token;
}

export interface TopologyApp extends AppBase {
  origin: 'topology';
  id: Token;
  port?: Token;
}

export interface ScriptApp extends AppBase {
  origin: 'script';
  command: ScriptCommand;
  /** The Set-CsTrustedApplication that gave it its current port, if one did. */
  portSetBy?: ScriptCommand;
}

export interface ExportApp extends AppBase {
  origin: 'export';
  id: Token;
  port?: Token;
  app: ExportedApp;
}

export type TrustedApp = TopologyApp | ScriptApp | ExportApp;

export interface TrustedPool {
  fqdn: Fqdn;
  definitions: PoolDefinition[];
  apps: TrustedApp[];
  /** The script cmdlets that act on the pool as it stands now (since its last removal): Option 1 removes them. */
  commands: ScriptCommand[];
}

/** What a script cmdlet's unknown argument does to the simulation; PS001 says it in these terms. */
export type Effect =
  'left out' | 'without computers' | 'version assumed' | 'port not checked' | 'id not checked' | 'replication not checked';

export interface UnknownUse {
  command: ScriptCommand;
  value: Unknown;
  effect: Effect;
}

export interface Pools {
  all: TrustedPool[];
  /** By normalised FQDN; more than one when clusters of several sites share an FQDN (TOP001). */
  byFqdn: Map<Fqdn, TrustedPool[]>;
  unknowns: UnknownUse[];
  /** Exported computers of a pool no file of the workspace defines: not simulated (TAP008). */
  unplaced: Token[];
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

export function liveComputers(d: PoolDefinition): Computer[] {
  return d.computers.filter((c) => !c.removedBy);
}

export interface PoolSources {
  topologies: Topology[];
  /** Exports of the deployment (`Get-CsTrustedApplication… | Export-Clixml`). */
  trustedExports: TrustedExport[];
  scripts: Script[];
}

/**
 * Collects trusted application pools from the topologies and the exports of the deployment, then
 * replays the scripts on top (in the order given) the way the cmdlets would change it. A pool is
 * its cluster, not its FQDN: two sites' clusters with one FQDN are two pools (and TOP001). An
 * export of a pool a topology also holds describes the same pool.
 */
export function collectTrustedPools(sources: PoolSources, assumedVersion: number): Pools {
  return new Collector(assumedVersion).run(sources);
}

class Collector {
  private readonly pools: Pools = { all: [], byFqdn: new Map(), unknowns: [], unplaced: [] };
  /** Each cluster's KST version by FQDN: a script's pool takes its Registrar's. */
  private readonly versionOfPool = new Map<Fqdn, VersionInfo>();
  /** The apps of each pool by normalised id, so replaying thousands of cmdlets stays linear. */
  private readonly appsById = new Map<TrustedPool, Map<string, TrustedApp[]>>();

  constructor(private readonly assumedVersion: number) {}

  run({ topologies, trustedExports, scripts }: PoolSources): Pools {
    for (const t of topologies) this.topology(t);
    // Pools first, across every export: an application or computer export may come before its pool's.
    for (const e of trustedExports) for (const p of e.pools) this.exportedPool(e, p);
    for (const e of trustedExports) for (const a of e.apps) this.exportedApp(a);
    for (const e of trustedExports) for (const c of e.computers) this.exportedComputer(c.pool, { token: c.fqdn, exported: true });
    for (const pool of this.pools.all) {
      for (const d of pool.definitions) if (d.origin === 'export' && d.computers.length === 0) d.computersNotExported = true;
    }
    for (const script of scripts) {
      for (const cmd of script.commands) if (!cmd.skipped && !cmd.spec.query) this.replay(cmd);
    }
    return this.pools;
  }

  private topology(topology: Topology): void {
    const servicesByKey = new Map(topology.services.map((s) => [s.key, s]));
    // Looked up once per trusted pool: a scan per pool made 20 MB topologies quadratic.
    const clustersByKey = new Map(topology.clusters.map((c) => [c.key, c]));
    for (const cluster of topology.clusters) {
      if (cluster.fqdn) this.versionOfPool.set(normFqdn(cluster.fqdn.value), clusterVersion(cluster, this.assumedVersion));
    }
    for (const cluster of topology.clusters) {
      const external = cluster.services.filter(isTrustedPoolService);
      const fqdn = cluster.fqdn;
      if (!fqdn || external.length === 0) continue;
      const registrar = external
        .flatMap((s) => s.dependencies)
        .map((d) => servicesByKey.get(d.key))
        .find((s) => s?.roleName?.value.toLowerCase() === 'registrar');
      const registrarCluster = registrar?.installedOn === undefined ? undefined : clustersByKey.get(registrar.installedOn);
      const rr = cluster.requiresReplication;
      const pool = this.newPool(fqdn.value);
      pool.definitions.push({
        origin: 'topology',
        fqdn,
        version: clusterVersion(cluster, this.assumedVersion),
        anchor: (external[0].roleName ?? fqdn).span,
        registrar: registrar ? (registrarCluster?.fqdn ?? registrar.roleName) : undefined,
        computers: cluster.machines.map((m) => ({ token: m.fqdn ?? fqdn })),
        requiresReplication: { value: rr ? rr.value.toLowerCase() !== 'false' : true, token: rr },
        topology,
        cluster,
        services: external,
      });
      for (const port of external.flatMap((s) => s.ports)) {
        if (port.owner && port.owner.value.toLowerCase().startsWith(APP_PREFIX))
          this.addApp(pool, { origin: 'topology', id: port.owner, port: port.port });
      }
    }
  }

  private exportedPool(e: TrustedExport, p: ExportedPool): void {
    const rr = p.requiresReplication;
    const pool = this.live(p.fqdn.value) ?? this.newPool(p.fqdn.value);
    pool.definitions.push({
      origin: 'export',
      fqdn: p.fqdn,
      version: this.exportedVersion(p),
      anchor: p.anchor,
      registrar: p.registrar,
      computers: [],
      requiresReplication: rr ? { value: rr.value.trim().toLowerCase() !== 'false', token: rr } : { value: true },
      export: e,
      pool: p,
    });
  }

  /**
   * The export's own Version, when it has one; else the pool's own cluster in a topology (the same
   * pool), else its Registrar's, as for a script's pool.
   */
  private exportedVersion(p: ExportedPool): VersionInfo {
    const own = p.version && Number.parseInt(p.version.value, 10);
    if (p.version && typeof own === 'number' && Number.isFinite(own)) return { version: own, assumed: false, token: p.version };
    return this.versionOfPool.get(normFqdn(p.fqdn.value)) ?? this.registrarVersion(p.registrar);
  }

  private exportedApp(a: ExportedApp): void {
    const pool = this.live(a.pool.value) ?? this.newPool(a.pool.value);
    // A topology (or another export) next to this export describes the same application, not a second one.
    const same = (this.appsById.get(pool)?.get(normAppId(a.id.value)) ?? []).some(
      (x) => !x.removedBy && isKnown(x.port) && x.port.value === a.port?.value,
    );
    if (!same) this.addApp(pool, { origin: 'export', id: a.id, port: a.port, app: a });
  }

  private exportedComputer(poolName: Token, computer: Computer): void {
    const pool = this.live(poolName.value);
    const definitions = pool ? activeDefinitions(pool) : [];
    const d = definitions.find((x) => x.origin === 'export') ?? definitions.at(-1);
    if (d) d.computers.push(computer);
    else this.pools.unplaced.push(computer.token);
  }

  /** One script step, as the cmdlet would change the deployment. */
  private replay(cmd: ScriptCommand): void {
    switch (cmd.name) {
      case 'New-CsTrustedApplicationPool':
        return this.newPoolCmdlet(cmd);
      case 'Set-CsTrustedApplicationPool':
        return this.setPool(cmd);
      case 'Remove-CsTrustedApplicationPool':
        return this.removePool(cmd);
      case 'New-CsTrustedApplicationComputer':
        return this.newComputer(cmd);
      case 'Remove-CsTrustedApplicationComputer':
        return this.removeComputer(cmd);
      case 'New-CsTrustedApplication':
        return this.newApp(cmd);
      case 'Set-CsTrustedApplication':
        return this.setApp(cmd);
      case 'Remove-CsTrustedApplication':
        return this.removeApp(cmd);
      default:
        return;
    }
  }

  private newPoolCmdlet(cmd: ScriptCommand): void {
    const identity = this.known(cmd, 'Identity', 'left out');
    if (!identity) return;
    const registrar = valueOf(cmd, 'Registrar');
    if (registrar && !isKnown(registrar)) this.note(cmd, registrar, 'version assumed');
    const computer = valueOf(cmd, 'ComputerFqdn');
    if (computer && !isKnown(computer)) this.note(cmd, computer, 'without computers');
    const rr = valueOf(cmd, 'RequiresReplication');
    if (rr && !isKnown(rr)) this.note(cmd, rr, 'replication not checked');
    // If the FQDN is a pool already, the cmdlet adds an ExternalServer service to it: one pool.
    const pool = this.live(identity.value) ?? this.newPool(identity.value);
    pool.definitions.push({
      origin: 'script',
      fqdn: identity,
      version: this.registrarVersion(registrar),
      anchor: cmd.nameSpan,
      registrar,
      // One computer is always created; it has the pool's FQDN unless -ComputerFqdn says otherwise.
      computers: computer === undefined ? [{ token: identity }] : isKnown(computer) ? [{ token: computer }] : [],
      ...(computer && !isKnown(computer) ? { computersUnknown: computer } : {}),
      requiresReplication: rr === undefined ? { value: true } : isKnown(rr) ? { value: !/^\$?false$/i.test(rr.value), token: rr } : rr,
      command: cmd,
    });
    pool.commands.push(cmd);
  }

  private setPool(cmd: ScriptCommand): void {
    const identity = this.known(cmd, 'Identity', 'left out');
    const pool = identity && this.live(identity.value);
    if (!pool) return;
    const registrar = valueOf(cmd, 'Registrar');
    if (registrar && !isKnown(registrar)) this.note(cmd, registrar, 'version assumed');
    const rr = valueOf(cmd, 'RequiresReplication');
    if (rr && !isKnown(rr)) this.note(cmd, rr, 'replication not checked');
    for (const d of activeDefinitions(pool)) {
      // A new Registrar rehomes the pool on another Front End pool, and it takes that pool's version.
      if (registrar) {
        d.registrar = registrar;
        d.version = this.registrarVersion(registrar);
      }
      if (rr) d.requiresReplication = isKnown(rr) ? { value: !/^\$?false$/i.test(rr.value), token: rr } : rr;
    }
    pool.commands.push(cmd);
  }

  private removePool(cmd: ScriptCommand): void {
    const identity = this.known(cmd, 'Identity', 'left out');
    if (!identity) return;
    for (const pool of this.pools.byFqdn.get(normFqdn(identity.value)) ?? []) {
      for (const d of pool.definitions) d.removedBy ??= identity;
      for (const a of pool.apps) a.removedBy ??= identity;
      // What acted on the pool so far is gone with it; a pool created again starts afresh.
      pool.commands = [];
    }
  }

  private newComputer(cmd: ScriptCommand): void {
    const computer = this.known(cmd, 'Identity', 'left out');
    const poolName = this.known(cmd, 'Pool', 'left out');
    if (!computer || !poolName) return;
    const pool = this.live(poolName.value);
    const d = pool && activeDefinitions(pool).at(-1);
    if (!pool || !d) return;
    d.computers.push({ token: computer });
    pool.commands.push(cmd);
  }

  private removeComputer(cmd: ScriptCommand): void {
    const computer = this.known(cmd, 'Identity', 'left out');
    if (!computer) return;
    const key = normFqdn(computer.value);
    for (const pool of this.pools.all) {
      let found = false;
      for (const d of activeDefinitions(pool)) {
        for (const c of liveComputers(d)) {
          if (normFqdn(c.token.value) === key) {
            c.removedBy = computer;
            found = true;
          }
        }
      }
      if (found) pool.commands.push(cmd);
    }
  }

  private newApp(cmd: ScriptCommand): void {
    const identity = valueOf(cmd, 'Identity');
    const poolValue = valueOf(cmd, 'TrustedApplicationPoolFqdn');
    // -Identity is pool/urn:application:id, or the id alone beside -TrustedApplicationPoolFqdn.
    const poolName = poolValue ?? (isKnown(identity) && identity.value.includes('/') ? part(identity, 0) : identity);
    if (!poolName) return;
    if (!isKnown(poolName)) return this.note(cmd, poolName, 'left out');
    const idValue =
      valueOf(cmd, 'ApplicationId') ??
      (isKnown(identity) && identity.value.includes('/') ? part(identity, 1) : poolValue ? identity : undefined);
    if (!idValue) return;
    if (!isKnown(idValue)) this.note(cmd, idValue, 'id not checked');
    const port = valueOf(cmd, 'Port');
    if (port && !isKnown(port)) this.note(cmd, port, 'port not checked');
    const pool = this.live(poolName.value) ?? this.newPool(poolName.value);
    // A script next to the topology it already changed describes the same app, not a second one.
    const same =
      isKnown(idValue) &&
      (this.appsById.get(pool)?.get(normAppId(idValue.value)) ?? []).some(
        (a) => !a.removedBy && isKnown(a.port) && isKnown(port) && a.port.value === port.value,
      );
    if (!same) this.addApp(pool, { origin: 'script', id: idValue, port, command: cmd });
    pool.commands.push(cmd);
  }

  private setApp(cmd: ScriptCommand): void {
    const found = this.app(cmd);
    if (!found) return;
    const port = valueOf(cmd, 'Port');
    if (port && !isKnown(port)) this.note(cmd, port, 'port not checked');
    for (const app of found.apps) {
      if (!port) continue;
      app.port = port;
      if (app.origin === 'script') app.portSetBy = cmd;
    }
    found.pool.commands.push(cmd);
  }

  private removeApp(cmd: ScriptCommand): void {
    const found = this.app(cmd);
    if (!found) return;
    const identity = valueOf(cmd, 'Identity') as Token;
    for (const app of found.apps) app.removedBy ??= identity;
    found.pool.commands.push(cmd);
  }

  /** The live apps a `pool/urn:application:id` Identity names. */
  private app(cmd: ScriptCommand): { pool: TrustedPool; apps: TrustedApp[] } | undefined {
    const identity = this.known(cmd, 'Identity', 'left out');
    if (!identity || !identity.value.includes('/')) return undefined;
    const pool = this.live(part(identity, 0).value);
    if (!pool) return undefined;
    const apps = (this.appsById.get(pool)?.get(normAppId(part(identity, 1).value)) ?? []).filter((a) => !a.removedBy);
    return { pool, apps };
  }

  /** A parameter's known value; an unknown one is noted with its effect, and both give undefined. */
  private known(cmd: ScriptCommand, name: string, effect: Effect): Token | undefined {
    const v = valueOf(cmd, name);
    if (v && !isKnown(v)) this.note(cmd, v, effect);
    return isKnown(v) ? v : undefined;
  }

  private note(command: ScriptCommand, value: Unknown, effect: Effect): void {
    this.pools.unknowns.push({ command, value, effect });
  }

  /** The version a script's pool takes: its Registrar's, when a topology of the workspace has that pool. */
  private registrarVersion(registrar: Value | undefined): VersionInfo {
    const assumed = (why: string): VersionInfo => ({ version: this.assumedVersion, assumed: true, why });
    if (!registrar) return assumed('it has no Registrar');
    if (!isKnown(registrar)) return assumed(`its Registrar (${registrar.unknown}) is not known`);
    const found = this.versionOfPool.get(normFqdn(registrar.value));
    return found
      ? { version: found.version, assumed: found.assumed, why: found.why }
      : assumed(`its Registrar ${registrar.value} is in no topology of the workspace`);
  }

  /** The pool a script names by FQDN: the live one with that FQDN (the first, when clusters of several sites share it). */
  private live(fqdn: string): TrustedPool | undefined {
    const pools = this.pools.byFqdn.get(normFqdn(fqdn)) ?? [];
    return pools.find((p) => activeDefinitions(p).length > 0) ?? pools.find((p) => p.definitions.length === 0);
  }

  private newPool(fqdn: string): TrustedPool {
    const pool: TrustedPool = { fqdn: normFqdn(fqdn), definitions: [], apps: [], commands: [] };
    this.pools.all.push(pool);
    pushAt(this.pools.byFqdn, pool.fqdn, pool);
    return pool;
  }

  private addApp(pool: TrustedPool, app: TrustedApp): void {
    pool.apps.push(app);
    if (!isKnown(app.id)) return;
    pushAt(
      at(this.appsById, pool, () => new Map()),
      normAppId(app.id.value),
      app,
    );
  }
}

/** Part `i` of a `pool/app` value, positioned inside the argument where the argument is written as it reads. */
function part(identity: Token, i: 0 | 1): Token {
  const slash = identity.value.indexOf('/');
  const value = i === 0 ? identity.value.slice(0, slash) : identity.value.slice(slash + 1);
  const written = identity.span.end - identity.span.start === identity.value.length;
  if (!written) return { value, span: identity.span };
  return {
    value,
    span: i === 0 ? { ...identity.span, end: identity.span.start + slash } : { ...identity.span, start: identity.span.start + slash + 1 },
  };
}
