import { encodingChecker } from './enc';
import { eventChecker } from './evt';
import { exchangeChecker } from './exc';
import { fileChecker } from './file';
import { fqdnChecker } from './fqdn';
import { INT001 } from './internal';
import { kstChecker } from './kst';
import { readerProblemChecker } from './problems';
import { scriptChecker } from './ps';
import { Checker, Rule } from './rule';
import { trustedAppChecker } from './tap';
import { topologyChecker } from './top';
import { dialPlanChecker } from './um';
import { xmlChecker } from './xml';

/**
 * Every checker the analysis runs, in order, and from them every code lync-kst reports. A
 * code's prefix names the module that defines it (KST → rules/kst.ts, EVT → rules/evt.ts, EXC → rules/exc.ts, TAP → rules/tap.ts, FQDN →
 * rules/fqdn.ts, UM → rules/um.ts, TOP → rules/top.ts, XML → rules/xml.ts, ENC → rules/enc.ts,
 * PS → rules/ps.ts, FILE → rules/file.ts, INT → rules/internal.ts). Codes are stable: tests,
 * settings and CI baselines use them.
 */
export const CHECKERS: readonly Checker[] = [
  xmlChecker,
  encodingChecker,
  fileChecker,
  readerProblemChecker,
  scriptChecker,
  topologyChecker,
  dialPlanChecker,
  fqdnChecker,
  trustedAppChecker,
  kstChecker,
  eventChecker,
  exchangeChecker,
];

/** The rules in catalogue order (by prefix, as the README lists them). */
export const RULES: readonly Rule<never>[] = (() => {
  const order = ['KST', 'EVT', 'EXC', 'TAP', 'FQDN', 'UM', 'TOP', 'XML', 'ENC', 'PS', 'FILE', 'INT'];
  const all = [...CHECKERS.flatMap((c) => c.rules), INT001 as Rule<never>];
  const prefix = (code: string) => order.indexOf(code.replace(/\d+$/, ''));
  return all.sort((a, b) => prefix(a.code) - prefix(b.code) || a.code.localeCompare(b.code));
})();

export const CATALOGUE: ReadonlyMap<string, Rule<never>> = new Map(RULES.map((r) => [r.code, r]));

export const CODES: readonly string[] = RULES.map((r) => r.code);

const DOCS_BASE = 'https://github.com/lync-kst/lync-kst/blob/main/README.md';

/** Where a rule is documented: its section of the README's rule catalogue. */
export function docsUrl(code: string): string {
  return `${DOCS_BASE}#${code.toLowerCase()}`;
}
