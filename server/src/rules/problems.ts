import { ProblemCode } from '../readers/reader';
import { isInput } from '../readers/registry';
import { span } from '../text/source';
import { EVT001, EVT002 } from './evt';
import { FILE005 } from './file';
import { Checker, Rule } from './rule';
import { TAP008 } from './tap';
import { UM005 } from './um';

/** The rule of each code a reader reports itself: a reader that adds a code cannot leave it unreported. */
const PROBLEM_RULES: Record<ProblemCode, Rule<{ why: string }>> = { UM005, TAP008, FILE005, EVT001, EVT002 };

/** UM005, TAP008, FILE005, EVT001, EVT002: what the readers found, where they found it. */
export const readerProblemChecker: Checker = {
  name: 'reader findings',
  rules: Object.values(PROBLEM_RULES),
  check(ctx) {
    for (const input of ctx.inputs) {
      if (!isInput(input)) continue;
      for (const p of input.problems) ctx.report(PROBLEM_RULES[p.code], span(input.file, p.start, p.end), { why: p.message });
    }
  },
};
