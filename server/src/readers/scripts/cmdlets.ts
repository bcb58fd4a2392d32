/**
 * What each cmdlet lync-kst reads means, in one table: its parameters as PowerShell binds them
 * (names, aliases, positions, switches; the Skype for Business Server cmdlet reference) and, for
 * the parameters that matter to the KST, what their value names. The script reader binds
 * arguments with it; the pool collector, Option 1 and the FQDN rules read values through it.
 */

/** What a parameter's value is to the simulation. */
export type Role =
  /** The trusted application pool the cmdlet acts on. */
  | 'pool'
  /** A computer of the pool. */
  | 'computer'
  /** The Registrar pool a trusted pool is homed on: it decides the pool's KST version. */
  | 'registrar'
  /** A trusted application's id, or `pool/urn:application:id`. */
  | 'application'
  | 'port'
  | 'replication'
  /** -WhatIf: the cmdlet changes nothing. */
  | 'whatif';

export interface ParameterSpec {
  name: string;
  aliases?: readonly string[];
  /** 0-based position for positional binding. */
  position?: number;
  /** A switch takes no value unless written `-Name:$value`. */
  switch?: boolean;
  role?: Role;
  /** A prefix the cmdlet accepts before the value and ignores (`TrustedApplicationPool:`). */
  strip?: string;
  /** The value must be a fully qualified domain name (FQDN001). */
  fqdn?: boolean;
}

/** Read-only cmdlets scripts (the collector among them) run around the trusted-application ones: bound, never simulated. */
const READ_ONLY_NAMES = [
  'Get-CsTopology',
  'Get-UMDialPlan',
  'Get-WinEvent',
  'Export-Clixml',
  'Out-File',
  'Out-Null',
  'New-Item',
  'Join-Path',
  'Get-Date',
  'Get-Command',
] as const;

/** Exchange Management Shell cmdlets of OWA IM and UM (readers/exchange reads their values). */
const EXCHANGE_NAMES = [
  'New-SettingOverride',
  'Set-SettingOverride',
  'Set-OwaVirtualDirectory',
  'New-UMDialPlan',
  'Set-UMService',
  'Set-UMCallRouterSettings',
  'Get-ExchangeServer',
  'Get-UMService',
  'Get-UMCallRouterSettings',
] as const;

export const CMDLET_NAMES = [
  'New-CsTrustedApplicationPool',
  'Set-CsTrustedApplicationPool',
  'Remove-CsTrustedApplicationPool',
  'New-CsTrustedApplication',
  'Set-CsTrustedApplication',
  'Remove-CsTrustedApplication',
  'New-CsTrustedApplicationComputer',
  'Remove-CsTrustedApplicationComputer',
  'Get-CsTrustedApplicationPool',
  'Get-CsTrustedApplication',
  'Get-CsTrustedApplicationComputer',
  ...READ_ONLY_NAMES,
  ...EXCHANGE_NAMES,
] as const;

export type CmdletName = (typeof CMDLET_NAMES)[number];

export interface CmdletSpec {
  name: CmdletName;
  parameters: readonly ParameterSpec[];
  /** Only read to feed a pipeline (`Get-… -Identity X | Remove-…`); it changes nothing. */
  query?: true;
  /** The Get- cmdlet whose output, piped in, is this cmdlet's Identity. */
  pipedFrom?: CmdletName;
  /**
   * Only the parameters lync-kst reads are listed (Set-OwaVirtualDirectory has about a hundred):
   * a name it lacks, or an argument past its positions, may be real, so it is not an error.
   */
  partial?: true;
}

const value = (name: string, rest: Omit<ParameterSpec, 'name'> = {}): ParameterSpec => ({ name, ...rest });
const flag = (name: string, rest: Omit<ParameterSpec, 'name' | 'switch'> = {}): ParameterSpec => ({ name, switch: true, ...rest });

/** PowerShell's common parameters and their aliases (about_CommonParameters), shared by every cmdlet. */
export const COMMON: readonly ParameterSpec[] = [
  flag('Verbose', { aliases: ['vb'] }),
  flag('Debug', { aliases: ['db'] }),
  value('ErrorAction', { aliases: ['ea'] }),
  value('ErrorVariable', { aliases: ['ev'] }),
  value('WarningAction', { aliases: ['wa'] }),
  value('WarningVariable', { aliases: ['wv'] }),
  value('InformationAction', { aliases: ['infa'] }),
  value('InformationVariable', { aliases: ['iv'] }),
  value('OutVariable', { aliases: ['ov'] }),
  value('OutBuffer', { aliases: ['ob'] }),
  value('PipelineVariable', { aliases: ['pv'] }),
];

/** -WhatIf and -Confirm, on every cmdlet that changes something. */
const RISK: readonly ParameterSpec[] = [flag('WhatIf', { aliases: ['wi'], role: 'whatif' }), flag('Confirm', { aliases: ['cf'] })];

const POOL_SETTINGS: readonly ParameterSpec[] = [
  value('Registrar', { role: 'registrar', strip: 'Registrar:', fqdn: true }),
  value('OutboundOnly'),
  value('RequiresReplication', { role: 'replication' }),
  value('ThrottleAsServer'),
  value('TreatAsAuthenticated'),
  value('AudioPortStart'),
  value('AudioPortCount'),
  value('VideoPortStart'),
  value('VideoPortCount'),
  value('AppSharingPortStart'),
  value('AppSharingPortCount'),
  flag('Force'),
];

const POOL_IDENTITY = value('Identity', { position: 0, role: 'pool', strip: 'TrustedApplicationPool:', fqdn: true });

const SPECS: readonly CmdletSpec[] = [
  {
    name: 'New-CsTrustedApplicationPool',
    parameters: [POOL_IDENTITY, value('Site'), value('ComputerFqdn', { role: 'computer', fqdn: true }), ...POOL_SETTINGS, ...RISK],
  },
  { name: 'Set-CsTrustedApplicationPool', parameters: [POOL_IDENTITY, ...POOL_SETTINGS, ...RISK] },
  {
    name: 'Remove-CsTrustedApplicationPool',
    parameters: [POOL_IDENTITY, flag('Force'), ...RISK],
    pipedFrom: 'Get-CsTrustedApplicationPool',
  },
  {
    name: 'New-CsTrustedApplication',
    parameters: [
      value('Identity', { position: 0, role: 'application' }),
      value('ApplicationId', { role: 'application' }),
      value('TrustedApplicationPoolFqdn', { role: 'pool', fqdn: true }),
      value('Port', { role: 'port' }),
      flag('EnableTcp'),
      value('LegacyApplicationName'),
      flag('Force'),
      ...RISK,
    ],
  },
  {
    name: 'Set-CsTrustedApplication',
    parameters: [value('Identity', { position: 0, role: 'application' }), value('Port', { role: 'port' }), flag('Force'), ...RISK],
  },
  {
    name: 'Remove-CsTrustedApplication',
    parameters: [value('Identity', { position: 0, role: 'application' }), flag('Force'), ...RISK],
    pipedFrom: 'Get-CsTrustedApplication',
  },
  {
    name: 'New-CsTrustedApplicationComputer',
    parameters: [
      value('Identity', { position: 0, role: 'computer', fqdn: true }),
      value('Pool', { role: 'pool', fqdn: true }),
      flag('Force'),
      ...RISK,
    ],
  },
  {
    name: 'Remove-CsTrustedApplicationComputer',
    parameters: [value('Identity', { position: 0, role: 'computer', fqdn: true }), flag('Force'), ...RISK],
    pipedFrom: 'Get-CsTrustedApplicationComputer',
  },
  {
    name: 'Get-CsTrustedApplicationPool',
    query: true,
    parameters: [value('Identity', { position: 0, role: 'pool', strip: 'TrustedApplicationPool:' }), value('Filter'), flag('LocalStore')],
  },
  {
    name: 'Get-CsTrustedApplication',
    query: true,
    parameters: [
      value('Identity', { position: 0, role: 'application' }),
      value('Filter'),
      value('ApplicationId'),
      value('TrustedApplicationPoolFqdn'),
      flag('LocalStore'),
    ],
  },
  {
    name: 'Get-CsTrustedApplicationComputer',
    query: true,
    parameters: [value('Identity', { position: 0, role: 'computer' }), value('Filter'), value('Pool'), flag('LocalStore')],
  },
  ...readOnly(),
  ...exchange(),
];

/** The Exchange cmdlets (Exchange cmdlet reference): New-/Set-SettingOverride in full, the rest as far as OWA IM and UM go. */
function exchange(): CmdletSpec[] {
  const settings = [value('Parameters'), value('Reason'), value('Server'), value('MinVersion'), value('MaxVersion'), value('FixVersion')];
  const partial = (name: (typeof EXCHANGE_NAMES)[number], ...parameters: ParameterSpec[]): CmdletSpec => ({
    name,
    partial: true,
    parameters,
  });
  return [
    {
      name: 'New-SettingOverride',
      parameters: [value('Name', { position: 0 }), value('Component'), value('Section'), ...settings, value('DomainController'), ...RISK],
    },
    { name: 'Set-SettingOverride', parameters: [value('Identity', { position: 0 }), ...settings, value('DomainController'), ...RISK] },
    partial(
      'Set-OwaVirtualDirectory',
      value('Identity', { position: 0 }),
      value('InstantMessagingType'),
      value('InstantMessagingEnabled'),
      value('InstantMessagingCertificateThumbprint'),
      value('InstantMessagingServerName'),
      ...RISK,
    ),
    partial('New-UMDialPlan', value('Name', { position: 0 }), value('URIType'), value('NumberOfDigitsInExtension'), ...RISK),
    partial('Set-UMService', value('Identity', { position: 0 }), value('DialPlans'), value('UMStartupMode'), ...RISK),
    partial('Set-UMCallRouterSettings', value('Server'), value('DialPlans'), value('UMStartupMode'), ...RISK),
    {
      name: 'Get-ExchangeServer',
      query: true,
      parameters: [value('Identity', { position: 0 }), value('Domain'), flag('Status'), value('DomainController')],
    },
    { ...partial('Get-UMService', value('Identity', { position: 0 })), query: true },
    { ...partial('Get-UMCallRouterSettings', value('Server')), query: true },
  ];
}

/** Their parameters (the PowerShell, Skype for Business Server and Exchange cmdlet references), so a script's binding is checked. */
function readOnly(): CmdletSpec[] {
  const spec = (name: (typeof READ_ONLY_NAMES)[number], ...parameters: ParameterSpec[]): CmdletSpec => ({ name, query: true, parameters });
  return [
    spec('Get-CsTopology', flag('AsXml'), flag('LocalStore'), flag('Status')),
    spec('Get-UMDialPlan', value('Identity', { position: 0 }), value('DomainController'), value('Organization')),
    spec(
      'Get-WinEvent',
      value('LogName', { position: 0 }),
      value('FilterHashtable'),
      value('FilterXPath'),
      value('FilterXml'),
      value('ProviderName'),
      value('Path', { aliases: ['PSPath'] }),
      value('ListLog'),
      value('ListProvider'),
      value('MaxEvents'),
      value('ComputerName', { aliases: ['Cn'] }),
      value('Credential'),
      flag('Oldest'),
      flag('Force'),
    ),
    spec(
      'Export-Clixml',
      value('Path', { position: 0 }),
      value('LiteralPath', { aliases: ['PSPath', 'LP'] }),
      value('InputObject'),
      value('Depth'),
      value('Encoding'),
      flag('Force'),
      flag('NoClobber', { aliases: ['NoOverwrite'] }),
      ...RISK,
    ),
    spec(
      'Out-File',
      value('FilePath', { position: 0, aliases: ['Path'] }),
      value('LiteralPath', { aliases: ['PSPath', 'LP'] }),
      value('Encoding', { position: 1 }),
      value('InputObject'),
      value('Width'),
      flag('Append'),
      flag('Force'),
      flag('NoClobber', { aliases: ['NoOverwrite'] }),
      flag('NoNewline'),
      ...RISK,
    ),
    spec('Out-Null', value('InputObject')),
    spec(
      'New-Item',
      value('Path', { position: 0 }),
      value('Name'),
      value('ItemType', { aliases: ['Type'] }),
      value('Value', { aliases: ['Target'] }),
      value('Credential'),
      flag('Force'),
      ...RISK,
    ),
    spec(
      'Join-Path',
      value('Path', { position: 0, aliases: ['PSPath'] }),
      value('ChildPath', { position: 1 }),
      value('AdditionalChildPath'),
      value('Credential'),
      flag('Resolve'),
    ),
    spec(
      'Get-Date',
      value('Date', { position: 0, aliases: ['LastWriteTime'] }),
      ...['Year', 'Month', 'Day', 'Hour', 'Minute', 'Second', 'Millisecond', 'DisplayHint', 'Format', 'UFormat'].map((n) => value(n)),
    ),
    spec(
      'Get-Command',
      value('Name', { position: 0 }),
      value('Module'),
      value('CommandType', { aliases: ['Type'] }),
      value('Noun'),
      value('Verb'),
      value('ParameterName'),
      value('TotalCount'),
      flag('Syntax'),
      flag('All'),
      flag('ListImported'),
    ),
  ];
}

export const CMDLETS: ReadonlyMap<CmdletName, CmdletSpec> = new Map(SPECS.map((s) => [s.name, s]));

const BY_KEY = new Map(SPECS.map((s) => [s.name.toLowerCase(), s]));

/** The cmdlet a name written in a script calls: PowerShell command names ignore case. */
export function cmdletNamed(written: string): CmdletSpec | undefined {
  return BY_KEY.get(written.toLowerCase());
}

export type Binding = { parameter: ParameterSpec } | { ambiguous: ParameterSpec[] } | { unknown: true };

/**
 * The parameter a name written in a script binds to, as PowerShell binds it: an exact name or
 * alias wins; otherwise the one parameter whose name or alias starts with it (case-insensitive).
 * Two or more is an error PowerShell refuses to run, as is none.
 */
export function bindName(spec: CmdletSpec, written: string): Binding {
  const w = written.toLowerCase();
  const all = [...spec.parameters, ...COMMON];
  const exact = all.find((p) => p.name.toLowerCase() === w || p.aliases?.some((a) => a.toLowerCase() === w));
  if (exact) return { parameter: exact };
  const matches = all.filter((p) => p.name.toLowerCase().startsWith(w) || p.aliases?.some((a) => a.toLowerCase().startsWith(w)));
  if (matches.length === 1) return { parameter: matches[0] };
  return matches.length > 1 ? { ambiguous: matches } : { unknown: true };
}
