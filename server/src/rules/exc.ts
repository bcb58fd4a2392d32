import { addPoolFix } from '../fixes/addPool';
import { Fqdn, normFqdn } from '../model/fqdn';
import { Cluster, clusterVersion } from '../readers/topology/model';
import { ExchangeServer, isAtLeast2016, OwaIm } from '../simulate/exchange';
import { Token } from '../text/source';
import { RuleContext } from './context';
import { listed, shown } from './finding';
import { Checker, rule } from './rule';

const product = (s: ExchangeServer): string => (s.product ? `Exchange ${s.product.year}` : 'Exchange');
const nameOf = (s: ExchangeServer): string => s.fqdn ?? s.names[0]?.value ?? s.key;

export const EXC001 = rule<{ server: string; via: string; is2019: boolean; modern: boolean; fqdnUnknown: boolean }>({
  code: 'EXC001',
  severity: 'warning',
  title: 'OWA IM configured for an Exchange server the KST does not have',
  description:
    'An Exchange server is configured for OWA IM (web.config, a setting override, Set-OwaVirtualDirectory) but nothing puts it in ' +
    'the Known Servers Table: no SipName dial plan hosts it and no trusted pool was created. OWA shows "Instant Messaging isn’t ' +
    'available right now" and nothing in Lync says why. The fix adds the trusted pool and its OWA application to the Lync script.',
  fix: 'Create the trusted pool',
  message: (a) =>
    `OWA IM is configured for ${a.server} (${a.via}), but nothing puts ${a.server} in the Lync Known Servers Table: no SipName UM ` +
    `dial plan hosts it and no trusted application pool is created for it. Lync refuses the IM sign-in of OWA, which shows ` +
    (a.modern
      ? `"There's a problem with instant messaging. Please try again later." `
      : `"Instant Messaging isn't available right now". `) +
    (a.is2019
      ? 'Exchange 2019 has no Unified Messaging, so a trusted pool is the only way in.'
      : `Create a trusted pool for it, and remove it again if ${a.server} later hosts a SipName dial plan (KST001).`) +
    (a.fqdnUnknown ? ` Its FQDN is not known in the workspace, so lync-kst cannot write the pool for you.` : ''),
});

export const EXC002 = rule<{ pool: string; what: string }>({
  code: 'EXC002',
  severity: 'error',
  title: 'IMServerName is not a Registrar pool',
  description:
    "OWA IM's `IMServerName` must be a Registrar pool of the topology (a Front End pool or a Standard Edition server); OWA signs in " +
    'to it. Reported when the workspace has a topology.',
  message: (a) =>
    `IMServerName ${a.pool} is ${a.what}, not a Registrar pool (a Front End pool or a Standard Edition server) of the topology: OWA ` +
    `signs in to IMServerName, so IM in OWA cannot work. Name the Front End pool that homes the users.`,
});

export const EXC003 = rule<{ pool: string; server: string; product: string }>({
  code: 'EXC003',
  severity: 'error',
  title: 'Lync Server 2013 pool for Exchange 2016 or 2019 OWA IM',
  description: 'IM integration between Lync Server 2013 and Exchange 2016 or later is not supported.',
  message: (a) =>
    `IMServerName ${a.pool} is a Lync Server 2013 pool, and ${a.server} is ${a.product}: IM integration between Lync Server 2013 and ` +
    `Exchange 2016 or later is not supported. Use a Skype for Business Server pool.`,
});

export const EXC004 = rule<{ server: string; product: string }>({
  code: 'EXC004',
  severity: 'warning',
  title: 'web.config IM keys on Exchange 2016 or 2019',
  description:
    'Exchange 2016 and 2019 ignore `IMServerName` and `IMCertificateThumbprint` in the OWA web.config; they read ' +
    '`New-SettingOverride -Component OwaServer -Section IMSettings`.',
  message: (a) =>
    `${a.server} is ${a.product}, which ignores the IM keys of the OWA web.config: set them with New-SettingOverride -Component ` +
    `OwaServer -Section IMSettings -Parameters @("IMServerName=<pool>","IMCertificateThumbprint=<thumbprint>") -Server <server>.`,
});

export const EXC005 = rule<{ server: string; plan: string }>({
  code: 'EXC005',
  severity: 'error',
  title: 'Exchange 2019 in a UM dial plan',
  description:
    'Exchange 2019 has no Unified Messaging, so a dial plan cannot list an Exchange 2019 server, and Exchange UM Routing never adds ' +
    'one to the KST. In the JSON format, `exchangeVersion: 2019` is refused the same way.',
  message: (a) =>
    `${a.server} is Exchange 2019, which has no Unified Messaging: dial plan ${a.plan} cannot list it, and Exchange UM Routing never ` +
    `adds it to the Known Servers Table. OWA IM with it needs a trusted application pool.`,
});

export const EXC006 = rule<{ server: string; plan: string; bound: string[] }>({
  code: 'EXC006',
  severity: 'warning',
  title: 'Dial plan lists a server whose UM services are not bound to it',
  description:
    'A SipName dial plan lists a server, but its UM service and call router (Set-UMService, Set-UMCallRouterSettings or their ' +
    'exports) are not bound to that plan: from Exchange 2013 on the binding is what counts, so this listing adds no KST entry.',
  message: (a) =>
    `Dial plan ${a.plan} lists ${a.server}, but its UM service and call router are bound to ${listed(a.bound) || 'no dial plan'}: ` +
    `from Exchange 2013 on the binding is what counts, so this listing puts no KST entry for ${a.server}.`,
});

export const EXC007 = rule<{ server: string; plan: string; second: boolean }>({
  code: 'EXC007',
  severity: 'information',
  title: 'Trusted pool created before UM integration',
  description:
    'A script creates an Exchange server’s trusted pool before the same workspace makes it host a SipName dial plan: done in this ' +
    'order, the pool clashes with the version-0 entry UM brings (KST001). Do UM first; Lync then learns the server from the plan.',
  message: (a) =>
    a.second
      ? `This makes ${a.server} host SipName dial plan ${a.plan} after a script created its trusted pool: the two clash (KST001). Do UM ` +
        `integration first, and OWA IM needs no trusted pool.`
      : `This creates a trusted pool for ${a.server} before a script makes it host SipName dial plan ${a.plan}: the two clash (KST001). ` +
        `Do UM integration first, and OWA IM needs no trusted pool.`,
});

export const EXC008 = rule<{ why: string }>({
  code: 'EXC008',
  severity: 'information',
  title: 'Exchange setting that cannot be checked',
  description:
    'An OWA web.config does not say which server it is on: lync-kst takes it from the folder it is in (`EX1/web.config`) when that ' +
    'names an Exchange server of the workspace; a script value that decides an OWA IM or UM setting (`-Server $name`, ' +
    '`-DialPlans $plans`) is only known when it runs. Such settings are not checked, and this says where.',
  message: (a) => a.why,
});

/** EXC001–EXC008: the Exchange side of OWA IM and UM against the simulated KST. */
export const exchangeChecker: Checker = {
  name: 'Exchange',
  rules: [EXC001, EXC002, EXC003, EXC004, EXC005, EXC006, EXC007, EXC008],
  check(ctx) {
    const ex = ctx.exchange;
    // Once per analysis, not per server: a workspace may name 50,000 servers.
    const sipPlans = new Set(ctx.plans.filter((p) => p.uriType?.value.toLowerCase() === 'sipname').map((p) => p.name.value.toLowerCase()));
    const created = new Map(ex.poolsCreated.map((p) => [p.fqdn, p]));
    for (const s of ex.servers.values()) {
      const settings = [...s.owaIm, ...(isAtLeast2016(s) ? ex.orgWide : [])];
      if (settings.length > 0) owaIm(ctx, s, settings);
      orderTrap(ctx, s, sipPlans, created);
    }
    exchange2019InDialPlans(ctx);
    for (const d of ex.unbound) {
      const s = ex.servers.get(normFqdn(d.token.value).split('.')[0]);
      const bound = [...new Set(s?.bindings.flatMap((b) => b.plans.map((p) => p.value)) ?? [])];
      ctx.report(EXC006, d.token.span, { server: d.fqdn ?? d.token.value, plan: d.plan.name.value, bound });
    }
    for (const w of ex.unplaced) {
      const folder = w.folder ? ` (its folder, ${shown(w.folder)}, names no Exchange server of the workspace)` : '';
      ctx.report(EXC008, w.anchor, {
        why:
          `Which Exchange server this web.config is on is not known${folder}, so its IM settings are not checked. Put it in a ` +
          `folder named after the server, next to a Get-ExchangeServer export.`,
      });
    }
    for (const u of ex.unknown) ctx.report(EXC008, u.at, { why: u.why });
    for (const e of ex.unnamed)
      ctx.report(EXC008, e, { why: 'This Exchange object has no Name, so which server it describes is not known; it is not read.' });
  },
};

function owaIm(ctx: RuleContext, s: ExchangeServer, settings: OwaIm[]): void {
  const name = nameOf(s);
  for (const setting of settings) {
    const pool = setting.imServer && setting.imServer.value.trim() !== '' ? setting.imServer : undefined;
    const cluster = pool ? registrarCheck(ctx, pool) : undefined;
    if (pool && cluster && isAtLeast2016(s) && clusterVersion(cluster, ctx.assumedVersion).version === 6)
      ctx.report(EXC003, pool.span, { pool: pool.value, server: name, product: product(s) });
    if (setting.via === 'web.config' && isAtLeast2016(s)) ctx.report(EXC004, setting.at.span, { server: name, product: product(s) });
  }
  const known = (ctx.kst.byFqdn.get((s.fqdn ?? '') as Fqdn) ?? []).some((e) => e.state !== 'removed') || labelKnown(ctx, s);
  if (known) return;
  const first = settings[0];
  const pool = settings.map((x) => x.imServer).find((t): t is Token => t !== undefined && t.value.trim() !== '');
  const f = ctx.report(
    EXC001,
    first.at.span,
    { server: name, via: first.via, is2019: s.product?.year === 2019, modern: isAtLeast2016(s), fqdnUnknown: !s.fqdn },
    pool ? [{ span: pool.span, message: `OWA signs in to ${pool.value}` }] : [],
  );
  const registrar = pool && registrarCheck(ctx, pool, false);
  // The workspace's Lync script: one that creates or changes trusted applications (not the collector's Get- cmdlets).
  const script = ctx.scripts.find((sc) => sc.commands.some((c) => !c.spec.query && /-CsTrusted/.test(c.name)));
  if (s.fqdn && pool && registrar && script) {
    const site = registrar.siteId;
    f.fixes.push(
      ctx.offer(
        addPoolFix({
          fqdn: s.fqdn,
          registrar: normFqdn(pool.value),
          ...(site ? { site } : {}),
          script: script.file,
          noUm: s.product?.year === 2019,
        }),
      ),
    );
  }
}

/** A KST entry under the server's short name, when the workspace spells it so (dial plans of CLIXML). */
function labelKnown(ctx: RuleContext, s: ExchangeServer): boolean {
  if (s.fqdn) return false;
  return ctx.kst.entries.some((e) => e.state !== 'removed' && e.fqdn.split('.')[0] === s.key);
}

/** The topology cluster IMServerName names, when it is a Registrar pool; EXC002 (when `report`) otherwise. */
function registrarCheck(ctx: RuleContext, pool: Token, report = true): Cluster | undefined {
  if (ctx.topologies.length === 0) return undefined;
  const fqdn = normFqdn(pool.value);
  const cluster = ctx.topologies.flatMap((t) => t.clusters).find((c) => c.fqdn && normFqdn(c.fqdn.value) === fqdn);
  const registrar = cluster?.services.some((sv) => sv.roleName?.value.toLowerCase() === 'registrar');
  if (cluster && registrar) return cluster;
  if (report) {
    const roles = [...new Set(cluster?.services.map((sv) => sv.roleName?.value).filter((r): r is string => !!r) ?? [])];
    ctx.report(EXC002, pool.span, {
      pool: pool.value,
      what: cluster ? `a cluster of the topology with ${listed(roles) || 'no services'}` : 'in no topology of the workspace',
    });
  }
  return undefined;
}

/** An Exchange 2019 server a dial plan lists (its product from an export), and `exchangeVersion: 2019` in the JSON format. */
function exchange2019InDialPlans(ctx: RuleContext): void {
  for (const p of ctx.plans) {
    if (p.exchangeVersion?.value.trim() === '2019')
      ctx.report(EXC005, p.exchangeVersion.span, { server: 'an Exchange 2019 server', plan: p.name.value });
  }
  for (const d of ctx.servers) {
    const s = ctx.exchange.servers.get(normFqdn(d.token.value).split('.')[0]);
    if (s?.product?.year === 2019 && s.product.token !== d.plan.exchangeVersion)
      ctx.report(EXC005, d.token.span, { server: nameOf(s), plan: d.plan.name.value });
  }
}

function orderTrap(
  ctx: RuleContext,
  s: ExchangeServer,
  sipPlans: ReadonlySet<string>,
  pools: ReadonlyMap<Fqdn, { at: Token; order: number }>,
): void {
  if (!s.fqdn || s.bindings.length === 0) return;
  const created = pools.get(s.fqdn);
  const later = s.bindings.find((b) => created && b.order > created.order && b.plans.some((p) => sipPlans.has(p.value.toLowerCase())));
  if (!created || !later) return;
  const plan = later.plans.find((p) => sipPlans.has(p.value.toLowerCase()))?.value ?? '';
  ctx.report(EXC007, created.at.span, { server: s.fqdn, plan, second: false }, [
    { span: later.at.span, message: `UM binding of ${s.fqdn}` },
  ]);
  ctx.report(EXC007, later.at.span, { server: s.fqdn, plan, second: true }, [{ span: created.at.span, message: `trusted pool ${s.fqdn}` }]);
}
