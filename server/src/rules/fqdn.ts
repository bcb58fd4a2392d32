import { pushAt } from '../collections';
import { shown } from './finding';
import { valueFix } from '../fixes/model';
import { isDotless, normFqdn } from '../model/fqdn';
import { ScriptCommand } from '../readers/scripts/model';
import { isKnown, valueOf } from '../readers/scripts/values';
import { clusterFqdns } from '../readers/topology/model';
import { Span, Token } from '../text/source';
import { RuleContext } from './context';
import { Checker, fixId, rule } from './rule';

export const FQDN001 = rule<{ name: string }>({
  code: 'FQDN001',
  severity: 'error',
  title: 'NetBIOS name where an FQDN is required',
  description: 'A NetBIOS name where Lync needs an FQDN.',
  message: (a) =>
    `"${shown(a.name)}" is a NetBIOS name, but Lync identifies servers by FQDN: the KST, certificates and Topology Builder's publish ` +
    `step all need the fully qualified name (for example ${shown(a.name.toLowerCase())}.contoso.com).`,
});

export const FQDN002 = rule<{ written: string; canonical: string }>({
  code: 'FQDN002',
  severity: 'hint',
  title: 'FQDN spelled differently elsewhere',
  description: 'The same FQDN spelled differently elsewhere (case, trailing dot).',
  fix: 'Use the common spelling',
  message: (a) =>
    `"${shown(a.written)}" is the same server as "${shown(a.canonical)}" (FQDNs compare without case and trailing dot). Lync treats them ` +
    `as one KST entry; one spelling keeps searches and reviews honest.`,
});

interface Occurrence {
  token: Token;
  /** Where a respelling must be written; undefined when the value is assembled (no safe edit). */
  literal?: Span;
}

/** FQDN001 (NetBIOS name where an FQDN is required) and FQDN002 (same host, other spelling). */
export const fqdnChecker: Checker = { name: 'fqdn', rules: [FQDN001, FQDN002], check: fqdnRules };

function fqdnRules(ctx: RuleContext): void {
  const occurrences: Occurrence[] = [];
  for (const t of ctx.topologies) {
    for (const c of t.clusters) for (const tok of clusterFqdns(c)) occurrences.push({ token: tok, literal: tok.span });
  }
  for (const s of ctx.scripts) for (const cmd of s.commands) for (const o of scriptFqdns(cmd)) occurrences.push(o);
  for (const s of ctx.servers) if (s.how === 'fqdn') occurrences.push({ token: s.token, literal: s.token.span });

  for (const o of occurrences) {
    if (isDotless(o.token.value)) ctx.report(FQDN001, o.token.span, { name: o.token.value });
  }

  const groups = new Map<string, Occurrence[]>();
  for (const o of occurrences) {
    if (isDotless(o.token.value)) continue;
    const key = normFqdn(o.token.value);
    pushAt(groups, key, o);
  }
  for (const group of groups.values()) {
    const counts = new Map<string, number>();
    for (const o of group) counts.set(o.token.value, (counts.get(o.token.value) ?? 0) + 1);
    if (counts.size < 2) continue;
    // The spelling most places use wins; on a tie, the first one read.
    let other = group[0];
    for (const o of group) if ((counts.get(o.token.value) ?? 0) > (counts.get(other.token.value) ?? 0)) other = o;
    const canonical = other.token.value;
    for (const o of group) {
      if (o.token.value === canonical) continue;
      const f = ctx.report(FQDN002, o.token.span, { written: o.token.value, canonical }, [
        { span: other.token.span, message: `spelled "${shown(canonical)}" here` },
      ]);
      if (o.literal) {
        const { file, start, end } = o.literal;
        f.fixes.push(
          ctx.offer(
            valueFix(
              {
                id: fixId(FQDN002, file.path, start),
                code: FQDN002.code,
                title: `Use the spelling "${shown(canonical)}"`,
                preferred: true,
                summary: `respelled "${shown(o.token.value)}" as "${shown(canonical)}"`,
              },
              file,
              start,
              end,
              canonical,
            ),
          ),
        );
      }
    }
  }
}

/** The values of the parameters the cmdlet table marks as FQDNs, prefixes stripped. */
function scriptFqdns(cmd: ScriptCommand): Occurrence[] {
  const out: Occurrence[] = [];
  if (cmd.skipped) return out;
  for (const p of cmd.parameters.values()) {
    if (!p.spec.fqdn) continue;
    const v = valueOf(cmd, p.spec.name);
    if (!isKnown(v)) continue;
    const literal = p.value?.literal;
    const literalIsValue = literal && literal.file.text.slice(literal.start, literal.end) === v.value;
    out.push({
      token: v,
      literal: literalIsValue ? literal : literal && v.span.file.text.slice(v.span.start, v.span.end) === v.value ? v.span : undefined,
    });
  }
  return out;
}
