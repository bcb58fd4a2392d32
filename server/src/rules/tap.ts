import { finding, shown } from './finding';
import { valueFix } from '../fixes/model';
import { normFqdn } from '../model/fqdn';
import { activeApps, activeDefinitions, liveComputers, normAppId, TrustedApp, TrustedPool } from '../simulate/pools';
import { isKnown } from '../readers/scripts/values';
import { Span, Token } from '../text/source';
import { RuleContext } from './context';

/** An app whose id (and, for port checks, port) is known; unknown values are never checked. */
type KnownApp = TrustedApp & { id: Token };

/** TAP001–TAP007: trusted application pools and applications as the cmdlets would accept them. */
export function trustedAppRules(ctx: RuleContext): void {
  for (const pool of ctx.pools.all) {
    const apps = activeApps(pool).filter((a): a is KnownApp => isKnown(a.id));
    duplicatePorts(ctx, pool, apps);
    duplicateIds(ctx, pool, apps);
    for (const app of apps) {
      if (/\s/.test(normAppId(app.id.value))) {
        ctx.report(finding('TAP003', 'error', app.id.span, `Trusted application id "${shown(app.id.value)}" contains white space: New-CsTrustedApplication rejects it. Use letters and digits only (for example ${shown(app.id.value.replace(/\s+/g, ''))}).`));
      }
    }
    const owa = apps.find((a) => /owa|outlookwebapp/i.test(normAppId(a.id.value)));
    for (const d of activeDefinitions(pool)) {
      // Present with a value lync-kst cannot know is not missing: only an absent Registrar is TAP004.
      if (!d.registrar) {
        ctx.report(finding('TAP004', 'warning', d.anchor, `Trusted Application Pool ${shown(d.fqdn.value)} has no Registrar: endpoints cannot be created for its applications, and Remove-CsTrustedApplicationPool fails for it. Give it a Registrar (New-CsTrustedApplicationPool -Registrar <Front End pool>).`));
      }
      const computers = liveComputers(d);
      if (d.origin === 'topology' && computers.length === 0) {
        ctx.report(finding('TAP005', 'error', d.fqdn.span, `Trusted Application Pool ${shown(d.fqdn.value)} has no computer. New-CsTrustedApplicationPool always creates one, so this topology cannot have come from the cmdlets, and no server of the pool can be trusted.`));
      }
      if (computers.length > 1) {
        for (const c of computers) {
          if (normFqdn(c.token.value) !== pool.fqdn) continue;
          ctx.report(finding('TAP006', 'error', c.token.span, `Computer ${shown(c.token.value)} has the pool's own FQDN in a pool with ${computers.length} computers. A pool whose computer carries the pool FQDN can have only that one computer (New-CsTrustedApplicationComputer refuses to add more); give each computer its own FQDN.`));
        }
      }
      const rr = d.requiresReplication;
      if (owa && 'value' in rr && rr.value) {
        ctx.report(finding('TAP007', 'information', rr.token?.span ?? d.anchor, `Trusted Application Pool ${shown(d.fqdn.value)} hosts Outlook Web App (${shown(owa.id.value)}) but replicates the Central Management store to it. OWA does not run a Lync replica: the OWA integration guide creates the pool with -RequiresReplication $false.`));
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
    if (!earlier) { first.set(port, app); continue; }
    const f = finding('TAP001', 'error', app.port.span, `Port ${port} is already used by trusted application ${shown(earlier.id.value)} in pool ${pool.fqdn}: every trusted application in a pool needs its own port, and New-CsTrustedApplication refuses this one.`, [
      { span: earlier.port.span, message: `${shown(earlier.id.value)} uses port ${port}` },
    ]);
    const target = portLiteral(app);
    if (target) {
      const next = free.take(port + 1);
      f.fixes.push(
        ctx.offer(valueFix({ id: `TAP001:${target.file.path}:${target.start}`, code: 'TAP001', title: `Use the next free port in ${pool.fqdn}: ${next}`, preferred: true, summary: `moved trusted application ${shown(app.id.value)} from port ${port} to ${next}` }, target.file, target.start, target.end, String(next))),
      );
    }
    ctx.report(f);
  }
}

function duplicateIds(ctx: RuleContext, pool: TrustedPool, apps: KnownApp[]): void {
  const first = new Map<string, KnownApp>();
  for (const app of apps) {
    const id = normAppId(app.id.value);
    const earlier = first.get(id);
    if (!earlier) { first.set(id, app); continue; }
    ctx.report(finding('TAP002', 'error', app.id.span, `Trusted application id "${shown(app.id.value)}" is already used in pool ${pool.fqdn} (ids compare without case and without the urn:application: prefix); New-CsTrustedApplication refuses a second one.`, [
      { span: earlier.id.span, message: `first ${shown(earlier.id.value)}` },
    ]));
  }
}

/** Where the port number is literally written (by New-CsTrustedApplication or the Set- that changed it), so the fix can change it in place. */
function portLiteral(app: TrustedApp): Span | undefined {
  if (app.origin === 'topology') return app.port?.span;
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
