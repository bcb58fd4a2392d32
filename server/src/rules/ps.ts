import { finding, shown } from './finding';
import { describeVersion } from '../model/versions';
import { Effect, UnknownUse } from '../simulate/pools';
import { RuleContext } from './context';

/**
 * PS001: a cmdlet argument lync-kst cannot know, with what that does to the simulation, in the
 * terms the simulation used; PS002: a cmdlet PowerShell would refuse (unknown or ambiguous
 * parameter); PS003: a cmdlet with -WhatIf, which changes nothing. Skipped cmdlets are left out.
 */
export function scriptRules(ctx: RuleContext): void {
  for (const script of ctx.scripts) {
    for (const cmd of script.commands) {
      const s = cmd.skipped;
      if (s) ctx.report(finding(s.code, s.code === 'PS002' ? 'error' : 'information', s.span, s.message));
    }
  }
  for (const use of ctx.pools.unknowns) {
    ctx.report(finding('PS001', 'information', use.value.span, `${shown(use.value.unknown)} has no value lync-kst can know before the script runs, so ${effect(use, ctx.assumedVersion)}. Give it a literal value in the script (for example '${placeholder(use)}') to have it checked.`));
  }
}

function effect(use: UnknownUse, assumedVersion: number): string {
  const cmd = use.command.name;
  const texts: Record<Effect, string> = {
    'left out': `lync-kst cannot tell what this ${cmd} acts on: it is left out of the simulated KST`,
    'without computers': `the pool this ${cmd} creates is simulated without its computers: their KST entries are not checked`,
    'version assumed': `the pool's Registrar, and with it the pool's KST version, is not known: ${describeVersion(assumedVersion)} is assumed`,
    'port not checked': `the application's port is not checked against the pool's other applications (TAP001)`,
    'id not checked': `the application's id is not checked (TAP002, TAP003)`,
    'replication not checked': `whether the pool replicates is not known, so TAP007 is not checked`,
  };
  return texts[use.effect];
}

function placeholder(use: UnknownUse): string {
  const role = use.value.parameter.spec.role;
  return role === 'port' ? '5199' : role === 'application' ? 'OutlookWebApp' : role === 'replication' ? '$false' : 'ex1.contoso.com';
}
