import { shown } from './finding';
import { valueFix } from '../fixes/model';
import { normFqdn } from '../model/fqdn';
import { activeApps, activeDefinitions, liveComputers, normAppId, TrustedApp, TrustedPool } from '../simulate/pools';
import { isKnown } from '../readers/scripts/values';
import { Span, Token } from '../text/source';
import { RuleContext } from './context';
import { Checker, fixId, rule } from './rule';

export const TAP001 = rule<{ port: number; earlier: string; pool: string }>({
  code: 'TAP001',
  severity: 'error',
  title: 'Two trusted applications use the same port in one pool',
  description: 'Two trusted applications use one port in one pool.',
  fix: 'Next free port',
  message: (a) =>
    `Port ${a.port} is already used by trusted application ${shown(a.earlier)} in pool ${a.pool}: every trusted application in a pool ` +
    `needs its own port, and New-CsTrustedApplication refuses this one.`,
});

export const TAP002 = rule<{ id: string; pool: string }>({
  code: 'TAP002',
  severity: 'error',
  title: 'Duplicate trusted application id in one pool',
  description: 'Duplicate application id in one pool (case and `urn:application:` prefix ignored).',
  message: (a) =>
    `Trusted application id "${shown(a.id)}" is already used in pool ${a.pool} (ids compare without case and without the ` +
    `urn:application: prefix); New-CsTrustedApplication refuses a second one.`,
});

export const TAP003 = rule<{ id: string }>({
  code: 'TAP003',
  severity: 'error',
  title: 'Trusted application id contains white space',
  description: 'Application id with white space.',
  message: (a) =>
    `Trusted application id "${shown(a.id)}" contains white space: New-CsTrustedApplication rejects it. Use letters and digits only (for ` +
    `example ${shown(a.id.replace(/\s+/g, ''))}).`,
});

export const TAP004 = rule<{ pool: string }>({
  code: 'TAP004',
  severity: 'warning',
  title: 'Trusted application pool without a Registrar',
  description: 'Trusted pool without a Registrar: endpoints cannot be created and removal fails.',
  message: (a) =>
    `Trusted Application Pool ${shown(a.pool)} has no Registrar: endpoints cannot be created for its applications, and ` +
    `Remove-CsTrustedApplicationPool fails for it. Give it a Registrar (New-CsTrustedApplicationPool -Registrar <Front End pool>).`,
});

export const TAP005 = rule<{ pool: string }>({
  code: 'TAP005',
  severity: 'error',
  title: 'Trusted application pool without a computer',
  description: 'Trusted pool without a computer.',
  message: (a) =>
    `Trusted Application Pool ${shown(a.pool)} has no computer. New-CsTrustedApplicationPool always creates one, so this topology cannot ` +
    `have come from the cmdlets, and no server of the pool can be trusted.`,
});

export const TAP006 = rule<{ computer: string; count: number }>({
  code: 'TAP006',
  severity: 'error',
  title: 'Computer FQDN equals the pool FQDN in a multi-computer pool',
  description: "A computer has the pool's FQDN in a pool with several computers.",
  message: (a) =>
    `Computer ${shown(a.computer)} has the pool's own FQDN in a pool with ${a.count} computers. A pool whose computer carries the pool ` +
    `FQDN can have only that one computer (New-CsTrustedApplicationComputer refuses to add more); give each computer its own FQDN.`,
});

export const TAP007 = rule<{ pool: string; app: string }>({
  code: 'TAP007',
  severity: 'information',
  title: 'OWA trusted application pool replicates',
  description: "An OWA pool replicates (`RequiresReplication` true, the cmdlet's default).",
  message: (a) =>
    `Trusted Application Pool ${shown(a.pool)} hosts Outlook Web App (${shown(a.app)}) but replicates the Central Management store to ` +
    `it. OWA does not run a Lync replica: the OWA integration guide creates the pool with -RequiresReplication $false.`,
});

export const TAP008 = rule<{ why: string }>({
  code: 'TAP008',
  severity: 'error',
  title: 'Exported trusted application object that cannot be placed',
  description:
    'An object in a trusted-application export (`Get-CsTrustedApplicationPool`, `-Application` or `-Computer` piped to `Export-Clixml`) ' +
    'without the value that says which server it is (`PoolFqdn`, an `Identity` of the form `pool/urn:application:id`, a `Pool`): ' +
    'it is not simulated.',
  message: (a) => a.why,
});

/** An app whose id (and, for port checks, port) is known; unknown values are never checked. */
type KnownApp = TrustedApp & { id: Token };

/** TAP001–TAP007: trusted application pools and applications as the cmdlets would accept them. */
export const trustedAppChecker: Checker = {
  name: 'trusted applications',
  rules: [TAP001, TAP002, TAP003, TAP004, TAP005, TAP006, TAP007],
  check: trustedAppRules,
};

function trustedAppRules(ctx: RuleContext): void {
  for (const computer of ctx.pools.unplaced) {
    ctx.report(TAP008, computer.span, {
      why:
        `Computer ${shown(computer.value)} is exported as part of a pool that no topology, export or script of the workspace ` +
        `defines, so it is not simulated.`,
    });
  }
  for (const pool of ctx.pools.all) {
    const apps = activeApps(pool).filter((a): a is KnownApp => isKnown(a.id));
    duplicatePorts(ctx, pool, apps);
    duplicateIds(ctx, pool, apps);
    for (const app of apps) {
      if (/\s/.test(normAppId(app.id.value))) {
        ctx.report(TAP003, app.id.span, { id: app.id.value });
      }
    }
    const owa = apps.find((a) => /owa|outlookwebapp/i.test(normAppId(a.id.value)));
    for (const d of activeDefinitions(pool)) {
      // Present with a value lync-kst cannot know is not missing: only an absent Registrar is TAP004.
      if (!d.registrar) {
        ctx.report(TAP004, d.anchor, { pool: d.fqdn.value });
      }
      const computers = liveComputers(d);
      if (d.origin === 'topology' && computers.length === 0) {
        ctx.report(TAP005, d.fqdn.span, { pool: d.fqdn.value });
      }
      if (computers.length > 1) {
        for (const c of computers) {
          if (normFqdn(c.token.value) !== pool.fqdn) continue;
          ctx.report(TAP006, c.token.span, { computer: c.token.value, count: computers.length });
        }
      }
      const rr = d.requiresReplication;
      if (owa && 'value' in rr && rr.value) {
        ctx.report(TAP007, rr.token?.span ?? d.anchor, { pool: d.fqdn.value, app: owa.id.value });
      }
    }
  }
}

function duplicatePorts(ctx: RuleContext, pool: TrustedPool, apps: KnownApp[]): void {
  const withPort = apps.filter((a): a is KnownApp & { port: Token } => isKnown(a.port) && Number.isFinite(Number(a.port.value)));
  const free = new FreePorts(withPort.map((a) => Number(a.port.value)));
  const first = new Map<number, KnownApp & { port: Token }>();
  for (const app of withPort) {
    const port = Number(app.port.value);
    const earlier = first.get(port);
    if (!earlier) {
      first.set(port, app);
      continue;
    }
    const f = ctx.report(TAP001, app.port.span, { port, earlier: earlier.id.value, pool: pool.fqdn }, [
      { span: earlier.port.span, message: `${shown(earlier.id.value)} uses port ${port}` },
    ]);
    const target = portLiteral(app);
    if (target) {
      const next = free.take(port + 1);
      f.fixes.push(
        ctx.offer(
          valueFix(
            {
              id: fixId(TAP001, target.file.path, target.start),
              code: TAP001.code,
              title: `Use the next free port in ${pool.fqdn}: ${next}`,
              preferred: true,
              summary: `moved trusted application ${shown(app.id.value)} from port ${port} to ${next}`,
            },
            target.file,
            target.start,
            target.end,
            String(next),
          ),
        ),
      );
    }
  }
}

function duplicateIds(ctx: RuleContext, pool: TrustedPool, apps: KnownApp[]): void {
  const first = new Map<string, KnownApp>();
  for (const app of apps) {
    const id = normAppId(app.id.value);
    const earlier = first.get(id);
    if (!earlier) {
      first.set(id, app);
      continue;
    }
    ctx.report(TAP002, app.id.span, { id: app.id.value, pool: pool.fqdn }, [
      { span: earlier.id.span, message: `first ${shown(earlier.id.value)}` },
    ]);
  }
}

/**
 * Where the port number is literally written (by New-CsTrustedApplication or the Set- that changed it),
 * so the fix can change it in place.
 */
function portLiteral(app: TrustedApp): Span | undefined {
  if (app.origin === 'topology') return app.port?.span;
  // An export records the deployment as it is; changing it would change nothing.
  if (app.origin === 'export') return undefined;
  const v = (app.portSetBy ?? app.command).parameters.get('port')?.value;
  if (!v?.literal || v.value === undefined) return undefined;
  return v.literal.file.text.slice(v.literal.start, v.literal.end) === v.value ? v.literal : undefined;
}

/**
 * The smallest unused port at or above a port, taken as it is handed out. Used ports point at
 * the next one to try (a disjoint-set "next free" with path halving), so thousands of apps on
 * crowded ports stay near linear instead of rescanning the same used run every time.
 */
class FreePorts {
  private readonly next = new Map<number, number>();

  constructor(used: number[]) {
    for (const p of used) this.next.set(p, p + 1);
  }

  take(from: number): number {
    let p = Math.min(from, 65535);
    for (;;) {
      const n = this.next.get(p);
      if (n === undefined || p >= 65535) break;
      const nn = this.next.get(n);
      if (nn !== undefined) this.next.set(p, nn);
      p = n;
    }
    this.next.set(p, p + 1);
    return p;
  }
}
