import { Severity } from './finding';

/**
 * Every diagnostic code lync-kst reports. The prefix names the module that raises it:
 * KST → rules/kst.ts, TAP → rules/tap.ts, FQDN → rules/fqdn.ts, UM → rules/um.ts,
 * TOP → rules/top.ts, XML → rules/xml.ts, ENC → rules/enc.ts, PS → rules/ps.ts,
 * FILE → rules/file.ts, INT → workspace/analyze.ts. Codes are stable: tests, settings and CI baselines use them.
 */
export const CATALOGUE = {
  KST001: { severity: 'error', title: 'One FQDN in the KST with two different versions' },
  KST002: { severity: 'information', title: 'One FQDN in the KST more than once with the same version' },
  KST003: { severity: 'warning', title: 'Removed trusted application pool is no longer known by any other route' },
  KST004: { severity: 'warning', title: 'Damaged removed-pool comment' },
  TAP001: { severity: 'error', title: 'Two trusted applications use the same port in one pool' },
  TAP002: { severity: 'error', title: 'Duplicate trusted application id in one pool' },
  TAP003: { severity: 'error', title: 'Trusted application id contains white space' },
  TAP004: { severity: 'warning', title: 'Trusted application pool without a Registrar' },
  TAP005: { severity: 'error', title: 'Trusted application pool without a computer' },
  TAP006: { severity: 'error', title: 'Computer FQDN equals the pool FQDN in a multi-computer pool' },
  TAP007: { severity: 'information', title: 'OWA trusted application pool replicates' },
  FQDN001: { severity: 'error', title: 'NetBIOS name where an FQDN is required' },
  FQDN002: { severity: 'hint', title: 'FQDN spelled differently elsewhere' },
  UM001: { severity: 'information', title: 'Dial plan adds no KST entry' },
  UM002: { severity: 'warning', title: 'Exchange 2013 or later in a TelExtn/E164 dial plan' },
  UM003: { severity: 'warning', title: 'Dial-plan server name cannot be resolved to an FQDN' },
  UM004: { severity: 'error', title: 'Unknown dial-plan URI type' },
  UM005: { severity: 'error', title: 'Dial-plan value of the wrong type or missing' },
  TOP001: { severity: 'error', title: 'Two clusters with the same FQDN in one topology' },
  XML001: { severity: 'error', title: 'File is not well-formed XML or JSON' },
  XML002: { severity: 'warning', title: 'Document type declaration ignored' },
  ENC001: { severity: 'information', title: 'Declared encoding contradicts the bytes' },
  PS001: { severity: 'information', title: 'Script value cannot be resolved statically' },
  PS002: { severity: 'error', title: 'PowerShell would refuse the cmdlet (unknown or ambiguous parameter)' },
  PS003: { severity: 'information', title: 'Cmdlet run with -WhatIf changes nothing' },
  FILE001: { severity: 'information', title: 'File skipped: over the size limit' },
  FILE002: { severity: 'error', title: 'Named file is not an input lync-kst reads' },
  FILE003: { severity: 'hint', title: 'File not recognised as an input' },
  FILE004: { severity: 'error', title: 'File could not be read' },
  INT001: { severity: 'error', title: 'Internal error: a rule or reader failed' },
} as const satisfies Record<string, { severity: Severity; title: string }>;

export type Code = keyof typeof CATALOGUE;

export const CODES = Object.keys(CATALOGUE) as Code[];

export const DOCS_BASE = 'https://github.com/lync-kst/lync-kst/blob/main/README.md';

/** Where a rule is documented: its section of the README's rule catalogue. */
export function docsUrl(code: Code): string {
  return `${DOCS_BASE}#${code.toLowerCase()}`;
}
