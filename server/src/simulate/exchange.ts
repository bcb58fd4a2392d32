import { at } from '../collections';
import { Fqdn, normFqdn } from '../model/fqdn';
import { DialPlan, uriTypeOf } from '../readers/dialplans/model';
import { ExchangeExport, WebConfigIm } from '../readers/exchange/model';
import { Script, ScriptCommand } from '../readers/scripts/model';
import { isKnown, itemsOf, valueOf } from '../readers/scripts/values';
import { partOf, Span, Token } from '../text/source';
import { DialPlanServer } from './servers';

export type ExchangeProduct = 2010 | 2013 | 2016 | 2019;

/** Where OWA IM is configured for a server, and which Lync pool it names. */
export interface OwaIm {
  via: 'web.config' | 'New-SettingOverride' | 'Set-SettingOverride' | 'Set-OwaVirtualDirectory';
  /** What is underlined: the server named, else the IM server value. */
  at: Token;
  /** `IMServerName`: the Lync pool OWA signs in to. */
  imServer?: Token;
  /** Replay order (scripts in path order, statements in order); exports and web.config come first. */
  order: number;
}

/** A server's UM service or call router bound to dial plans (Exchange 2013 and later). */
export interface UmBinding {
  via: 'Set-UMService' | 'Set-UMCallRouterSettings' | 'UM service' | 'UM call router';
  at: Token;
  plans: Token[];
  order: number;
}

export interface ExchangeServer {
  /** The first label, lower case: how exports, scripts and dial plans name the same server. */
  key: string;
  fqdn?: Fqdn;
  names: Token[];
  product?: { year: ExchangeProduct; token: Token };
  owaIm: OwaIm[];
  bindings: UmBinding[];
}

export interface ExchangeSide {
  servers: Map<string, ExchangeServer>;
  /** OWA IM set for the whole organisation (a setting override without -Server): Exchange 2016 and 2019 servers. */
  orgWide: OwaIm[];
  /** web.config files whose server is not known (EXC008). */
  unplaced: WebConfigIm[];
  /** Exported Exchange objects without a name (EXC008). */
  unnamed: Span[];
  /** Script values that decide an OWA IM or UM setting but are only known at run time (EXC008). */
  unknown: UnknownSetting[];
  /** Dial-plan listings no binding of their server includes (EXC006): not KST entries. */
  unbound: DialPlanServer[];
  /** Bound plans that list no server: entries the bindings add. */
  boundOnly: DialPlanServer[];
  /** Trusted pools scripts create, in replay order, for the order trap (EXC007). */
  poolsCreated: { fqdn: Fqdn; at: Token; order: number }[];
}

export interface ExchangeInputs {
  exports: ExchangeExport[];
  scripts: Script[];
  plans: DialPlan[];
  servers: DialPlanServer[];
}

/** "Version 15.2 (Build 1118.7)" → 2019; 15.1 → 2016; 15.0 → 2013; 14 → 2010 (docs/domain.md#exchange-versions). */
export function productOf(adminDisplayVersion: string): ExchangeProduct | undefined {
  const m = /(\d+)\.(\d+)/.exec(adminDisplayVersion);
  if (!m) return undefined;
  const [major, minor] = [Number(m[1]), Number(m[2])];
  if (major === 14) return 2010;
  if (major !== 15) return undefined;
  return minor === 0 ? 2013 : minor === 1 ? 2016 : minor === 2 ? 2019 : undefined;
}

const label = (name: string): string => normFqdn(name).split('.')[0];

/**
 * The Exchange side of the deployment: every Exchange server the workspace names, with its
 * product, where OWA IM is configured for it and which dial plans its UM services are bound
 * to; and the dial-plan listings those bindings override (the binding is what Exchange 2013 and
 * later use: a plan's own server list is not).
 */
export function simulateExchange(inputs: ExchangeInputs): ExchangeSide {
  const servers = new Map<string, ExchangeServer>();
  const server = (name: Token): ExchangeServer => {
    const s = at(servers, label(name.value), () => ({ key: label(name.value), names: [], owaIm: [], bindings: [] }));
    s.names.push(name);
    if (!s.fqdn && name.value.includes('.')) s.fqdn = normFqdn(name.value);
    return s;
  };
  const side: ExchangeSide = { servers, orgWide: [], unplaced: [], unnamed: [], unknown: [], unbound: [], boundOnly: [], poolsCreated: [] };
  let order = 0;

  for (const e of inputs.exports) {
    side.unnamed.push(...e.unnamed);
    for (const x of e.servers) {
      const s = server(x.name);
      if (x.fqdn) {
        s.fqdn = normFqdn(x.fqdn.value);
        s.names.push(x.fqdn);
      }
      const year = x.adminDisplayVersion && productOf(x.adminDisplayVersion.value);
      if (year && x.adminDisplayVersion) s.product = { year, token: x.adminDisplayVersion };
    }
    for (const b of e.bindings) server(b.server).bindings.push({ via: b.kind, at: b.server, plans: b.plans, order: order++ });
  }
  for (const d of inputs.servers) {
    const s = server(d.token);
    if (d.fqdn) s.fqdn ??= d.fqdn;
    const ev = d.plan.exchangeVersion;
    const year = ev ? (Number(ev.value) as ExchangeProduct) : undefined;
    if (ev && year && [2010, 2013, 2016, 2019].includes(year)) s.product ??= { year, token: ev };
  }
  for (const e of inputs.exports) {
    for (const w of e.webConfigs) {
      const s = w.folder ? servers.get(label(w.folder)) : undefined;
      if (!s) side.unplaced.push(w);
      else
        s.owaIm.push({ via: 'web.config', at: w.imServerName ?? { value: '', span: w.anchor }, imServer: w.imServerName, order: order++ });
    }
  }
  for (const script of inputs.scripts) {
    for (const cmd of script.commands) {
      if (cmd.skipped) continue;
      order++;
      const unknown = (u: UnknownSetting) => side.unknown.push(u);
      const im = owaImOf(cmd, order, unknown);
      if (im) {
        const named = im.server;
        if (named) server(named).owaIm.push(im.setting);
        else side.orgWide.push(im.setting);
      }
      const bound = bindingOf(cmd, order, unknown);
      if (bound) server(bound.server).bindings.push(bound.binding);
      const created = cmd.name === 'New-CsTrustedApplicationPool' ? valueOf(cmd, 'Identity') : undefined;
      if (isKnown(created)) side.poolsCreated.push({ fqdn: normFqdn(created.value), at: created, order });
    }
  }
  applyBindings(side, inputs);
  return side;
}

/** Something a script leaves to run time that decides an OWA IM or UM setting: EXC008 says it is not checked. */
export interface UnknownSetting {
  at: Span;
  why: string;
}

type Unknowns = (u: UnknownSetting) => void;

/** A parameter's value when known; when given but not knowable, said so and undefined. */
function knownValue(cmd: ScriptCommand, name: string, what: string, unknown: Unknowns): Token | undefined {
  const v = valueOf(cmd, name);
  if (v && !isKnown(v))
    unknown({
      at: v.span,
      why: `-${name} of ${cmd.name} is ${v.unknown}, which is only known when the script runs, so ${what} is not checked.`,
    });
  return isKnown(v) ? v : undefined;
}

/** OWA IM from an Exchange cmdlet: the server it is set for (none: every server), and the IM server it names. */
function owaImOf(cmd: ScriptCommand, order: number, unknown: Unknowns): { server?: Token; setting: OwaIm } | undefined {
  if (cmd.name === 'New-SettingOverride' || cmd.name === 'Set-SettingOverride') {
    const what = 'this setting override';
    // New-SettingOverride names its component and section; Set- changes an override's parameters.
    if (cmd.name === 'New-SettingOverride') {
      const component = knownValue(cmd, 'Component', what, unknown);
      const section = knownValue(cmd, 'Section', what, unknown);
      if (component?.value.toLowerCase() !== 'owaserver' || section?.value.toLowerCase() !== 'imsettings') return undefined;
    }
    const items = itemsOf(cmd, 'Parameters');
    if (items && !Array.isArray(items)) {
      unknown({
        at: items.span,
        why: `-Parameters of ${cmd.name} is ${items.unknown}, which is only known when the script runs, so ${what} is not checked.`,
      });
      return undefined;
    }
    const imServer = items?.find((i) => /^\s*IMServerName\s*=/i.test(i.value));
    if (!imServer) return undefined;
    const value = partOf(imServer, imServer.value.indexOf('=') + 1, imServer.value.length);
    const given = valueOf(cmd, 'Server');
    // An unknown -Server is one server nobody can name, not every server.
    const server = knownValue(cmd, 'Server', 'which server this OWA IM setting is for', unknown);
    if (given && !server) return undefined;
    return { ...(server ? { server } : {}), setting: { via: cmd.name, at: server ?? value, imServer: value, order } };
  }
  if (cmd.name === 'Set-OwaVirtualDirectory') {
    const what = 'whether it turns OWA IM on';
    const type = knownValue(cmd, 'InstantMessagingType', what, unknown)?.value.toLowerCase();
    const enabled = knownValue(cmd, 'InstantMessagingEnabled', what, unknown)?.value.toLowerCase();
    if (type !== 'ocs' && enabled !== '$true' && enabled !== 'true') return undefined;
    const identity = knownValue(cmd, 'Identity', 'which server this OWA virtual directory is on', unknown);
    // "EX1\owa (Default Web Site)": the server is before the backslash.
    const slash = identity?.value.indexOf('\\') ?? -1;
    if (!identity || slash <= 0) return undefined;
    const server = partOf(identity, 0, slash);
    return { server, setting: { via: 'Set-OwaVirtualDirectory', at: server, order } };
  }
  return undefined;
}

function bindingOf(cmd: ScriptCommand, order: number, unknown: Unknowns): { server: Token; binding: UmBinding } | undefined {
  if (cmd.name !== 'Set-UMService' && cmd.name !== 'Set-UMCallRouterSettings') return undefined;
  const named = knownValue(cmd, cmd.name === 'Set-UMService' ? 'Identity' : 'Server', 'which server this UM binding is for', unknown);
  const plans = itemsOf(cmd, 'DialPlans');
  if (plans && !Array.isArray(plans))
    unknown({
      at: plans.span,
      why: `-DialPlans of ${cmd.name} is ${plans.unknown}, which is only known when the script runs, so this UM binding is not checked.`,
    });
  if (!named || !Array.isArray(plans)) return undefined;
  return { server: named, binding: { via: cmd.name, at: named, plans, order } };
}

/** A bound server's KST entries come from its bindings: listings they lack are dropped, bound plans that list it not are added. */
function applyBindings(side: ExchangeSide, inputs: ExchangeInputs): void {
  const planNamed = new Map<string, DialPlan>();
  for (const p of inputs.plans) planNamed.set(p.name.value.toLowerCase(), p);
  for (const d of inputs.servers) {
    const s = side.servers.get(label(d.token.value));
    if (!s || s.bindings.length === 0) continue;
    const bound = s.bindings.some((b) => b.plans.some((p) => p.value.toLowerCase() === d.plan.name.value.toLowerCase()));
    if (!bound) side.unbound.push(d);
  }
  const listings = new Set(inputs.servers.map((d) => `${d.plan.name.value.toLowerCase()}|${label(d.token.value)}`));
  for (const s of side.servers.values()) {
    if (!s.fqdn) continue;
    for (const b of s.bindings) {
      for (const p of b.plans) {
        const plan = planNamed.get(p.value.toLowerCase());
        if (!plan || uriTypeOf(plan) !== 'SipName') continue;
        if (!listings.has(`${plan.name.value.toLowerCase()}|${s.key}`)) side.boundOnly.push({ plan, token: p, fqdn: s.fqdn, how: 'fqdn' });
      }
    }
  }
}

/** The dial-plan servers Exchange UM Routing adds, once the bindings are applied. */
export function effectiveServers(servers: DialPlanServer[], side: ExchangeSide): DialPlanServer[] {
  const unbound = new Set(side.unbound);
  return [...servers.filter((s) => !unbound.has(s)), ...side.boundOnly];
}

/** Exchange 2016 and 2019 ignore the web.config keys and use the setting override; 2019 has no UM. */
export function isAtLeast2016(s: ExchangeServer): boolean {
  return s.product !== undefined && s.product.year >= 2016;
}
