import { describeVersion } from '../model/versions';
import { CmdletName } from '../readers/scripts/cmdlets';
import { Skip } from '../readers/scripts/model';
import { Effect } from '../simulate/pools';
import { shown } from './finding';
import { Checker, rule } from './rule';

const EFFECT: Record<Effect, (cmdlet: string, assumedVersion: number) => string> = {
  'left out': (cmdlet) => `lync-kst cannot tell what this ${cmdlet} acts on: it is left out of the simulated KST`,
  'without computers': (cmdlet) => `the pool this ${cmdlet} creates is simulated without its computers: their KST entries are not checked`,
  'version assumed': (_c, v) => `the pool's Registrar, and with it the pool's KST version, is not known: ${describeVersion(v)} is assumed`,
  'port not checked': () => `the application's port is not checked against the pool's other applications (TAP001)`,
  'id not checked': () => `the application's id is not checked (TAP002, TAP003)`,
  'replication not checked': () => `whether the pool replicates is not known, so TAP007 is not checked`,
};

export const PS001 = rule<
  { cmdlet: string; unknown: string; effect: Effect; assumedVersion: number; example: string } | { cmdlet: string; skip: Skip }
>({
  code: 'PS001',
  severity: 'information',
  title: 'Script value cannot be resolved statically',
  description:
    'A script value lync-kst cannot know before the script runs; the message says what the simulation did about it (left the cmdlet out, ' +
    'simulated the pool without its computers, assumed its version, skipped a check).',
  message: (a) => {
    if ('effect' in a)
      return (
        `${shown(a.unknown)} has no value lync-kst can know before the script runs, ` +
        `so ${EFFECT[a.effect](a.cmdlet, a.assumedVersion)}. Give it a literal value in the script (for example '${a.example}') to have ` +
        `it checked.`
      );
    const s = a.skip;
    if (s.why === 'splat')
      return (
        `${s.variable} has no hashtable literal assigned in this script, so lync-kst cannot tell which parameters it passes; ` +
        `this ${a.cmdlet} is left out of the simulated KST.`
      );
    if (s.why === 'whatif unknown')
      return (
        `lync-kst cannot tell whether -WhatIf is on (${shown(s.unresolved)}), so it cannot tell whether this ${a.cmdlet} changes ` +
        `anything; it is left out of the simulated KST.`
      );
    return (
      `${a.cmdlet} acts on what the pipeline before it passes, which lync-kst cannot read (it reads ` +
      `\`${s.why === 'pipeline' && s.source ? s.source : 'Get-…'} -Identity <name> | ${a.cmdlet}\`); it is left out of the simulated KST.`
    );
  },
});

export const PS002 = rule<{ cmdlet: string; skip: Skip }>({
  code: 'PS002',
  severity: 'error',
  title: 'PowerShell would refuse the cmdlet (unknown or ambiguous parameter)',
  description:
    'A cmdlet PowerShell would refuse: an ambiguous parameter prefix (`-Re`), an unknown parameter, one given twice, a positional ' +
    'argument nothing takes. It is left out of the simulation.',
  message: ({ cmdlet, skip: s }) => {
    const what =
      s.why === 'twice'
        ? `-${s.parameter} is given twice`
        : s.why === 'ambiguous'
          ? `-${s.written} is ambiguous: it could be ${s.candidates.map((c) => `-${c}`).join(' or ')}`
          : s.why === 'unknown'
            ? `${cmdlet} has no parameter -${shown(s.written)}`
            : s.why === 'positional'
              ? `no parameter of ${cmdlet} takes the positional argument "${shown(s.argument, 60)}"`
              : 'its arguments do not bind';
    return `${what}: PowerShell refuses to run ${cmdlet} like this, so lync-kst leaves it out of the simulated KST.`;
  },
});

export const PS003 = rule<{ cmdlet: string }>({
  code: 'PS003',
  severity: 'information',
  title: 'Cmdlet run with -WhatIf changes nothing',
  description: 'A cmdlet run with `-WhatIf`: it changes nothing, so it is left out of the simulation.',
  message: (a) =>
    `-WhatIf: PowerShell only says what ${a.cmdlet} would do, and changes nothing, so lync-kst leaves it out of the simulated KST.`,
});

const REFUSED = new Set<Skip['why']>(['twice', 'ambiguous', 'unknown', 'positional']);

/** PS001–PS003: what of a script lync-kst cannot simulate, and what it did instead. */
export const scriptChecker: Checker = {
  name: 'scripts',
  rules: [PS001, PS002, PS003],
  check(ctx) {
    for (const script of ctx.scripts) {
      for (const cmd of script.commands) {
        const s = cmd.skipped;
        if (!s) continue;
        if (REFUSED.has(s.why)) ctx.report(PS002, s.span, { cmdlet: cmd.name, skip: s });
        else if (s.why === 'whatif') ctx.report(PS003, s.span, { cmdlet: cmd.name });
        else ctx.report(PS001, s.span, { cmdlet: cmd.name, skip: s });
      }
    }
    for (const use of ctx.pools.unknowns) {
      const role = use.value.parameter.spec.role;
      const example =
        role === 'port' ? '5199' : role === 'application' ? 'OutlookWebApp' : role === 'replication' ? '$false' : 'ex1.contoso.com';
      ctx.report(PS001, use.value.span, {
        cmdlet: use.command.name as CmdletName,
        unknown: use.value.unknown,
        effect: use.effect,
        assumedVersion: ctx.assumedVersion,
        example,
      });
    }
  },
};
