import { describeVersion } from '../model/versions';
import { URI_TYPES } from '../readers/dialplans/model';
import { COMMON, cmdletNamed } from '../readers/scripts/cmdlets';
import { Analysis } from '../workspace/analyze';
import { navIndex } from './index';

export interface Completion {
  label: string;
  detail?: string;
  kind: 'value' | 'parameter' | 'fqdn';
  /** Offsets of the text the completion replaces (the word typed so far). */
  start: number;
  end: number;
}

// The value sets of the topology schema lync-kst reads (docs/domain.md#topology).
const ROLES = [
  'UserServices',
  'Registrar',
  'WebServices',
  'UserStore',
  'FileStore',
  'ExternalServer',
  'MediationServer',
  'PstnGateway',
  'EdgeServer',
  'Director',
  'ConfServices',
  'ApplicationServer',
  'MonitoringStore',
  'ArchivingStore',
  'WacService',
  'PersistentChatService',
  'TrustedApplication',
];
const USAGES = ['SipServer', 'WebServer', 'WebSite', 'UserPinManagement', 'MediaServer', 'GatewayServer'];
const PROTOCOLS = ['Mtls', 'Tls', 'Tcp', 'Https', 'Http', 'Udp'];
const FQDN_ATTRIBUTES = new Set(['fqdn']);
const FQDN_PARAMETERS = /-(Identity|Registrar|TrustedApplicationPoolFqdn|Pool|ComputerFqdn)\s+['"]?([\w.-]*)$/i;

/**
 * Completion where the values are known: topology attribute values (RoleName, ServiceVersion with
 * its product, Usage, Protocol, Fqdn), the JSON dial-plan format's uriType and exchangeVersion,
 * the trusted-application cmdlets' parameter names, and the workspace's FQDNs where one is expected.
 */
export function completionsAt(analysis: Analysis, text: string, offset: number): Completion[] {
  const lineStart = Math.max(text.lastIndexOf('\n', offset - 1), text.lastIndexOf('\r', offset - 1)) + 1;
  const before = text.slice(lineStart, offset);
  const values = (labels: readonly string[], typed: string, detail?: (l: string) => string | undefined): Completion[] =>
    labels.map((label) => ({
      label,
      kind: 'value' as const,
      start: offset - typed.length,
      end: offset,
      ...(detail?.(label) ? { detail: detail(label) } : {}),
    }));
  const fqdns = (typed: string): Completion[] =>
    [...navIndex(analysis).definitions.keys(), ...analysis.kst.byFqdn.keys()]
      .filter((f, i, all) => all.indexOf(f) === i && f.startsWith(typed.toLowerCase()))
      .sort()
      .map((label) => ({ label, kind: 'fqdn' as const, detail: 'server of the workspace', start: offset - typed.length, end: offset }));

  const attr = /([\w:]+)\s*=\s*"([^"]*)$/.exec(before);
  if (attr) {
    const [, name, typed] = attr;
    const local = name.replace(/^.*:/, '');
    if (local === 'RoleName') return values(ROLES, typed);
    if (local === 'ServiceVersion') return values(['5', '6', '7', '8'], typed, (v) => describeVersion(Number(v)));
    if (local === 'Usage') return values(USAGES, typed);
    if (local === 'Protocol') return values(PROTOCOLS, typed);
    if (FQDN_ATTRIBUTES.has(local.toLowerCase())) return fqdns(typed);
  }
  const json = /"(uriType|exchangeVersion)"\s*:\s*"?([\w]*)$/.exec(before);
  if (json) {
    // Exchange 2019 has no UM: a dial plan of it cannot exist (EXC005), so it is not offered.
    if (json[1] === 'uriType') return values(URI_TYPES, json[2]);
    return values(['2010', '2013', '2016'], json[2], (y) => `Exchange Server ${y}`);
  }
  if (/"servers"\s*:\s*\[[^\]]*"([\w.-]*)$/.test(before)) return fqdns(/"([\w.-]*)$/.exec(before)?.[1] ?? '');
  const fqdnParameter = FQDN_PARAMETERS.exec(before);
  if (fqdnParameter) return fqdns(fqdnParameter[2]);
  const parameter = /(?:^|[\s;|(])([A-Za-z]+-[A-Za-z]+)\b[^;|]*\s-(\w*)$/.exec(before);
  const spec = parameter && cmdletNamed(parameter[1]);
  if (parameter && spec) {
    const typed = parameter[2];
    return [...spec.parameters, ...COMMON]
      .filter((p) => p.name.toLowerCase().startsWith(typed.toLowerCase()))
      .map((p) => ({
        label: p.name,
        kind: 'parameter' as const,
        detail: `${spec.name} parameter`,
        start: offset - typed.length,
        end: offset,
      }));
  }
  return [];
}
