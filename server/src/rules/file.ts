import { finding, internalError } from './finding';
import { span } from '../text/source';
import { isInput } from '../readers/registry';
import { CATALOGUE, Code } from './catalogue';
import { RuleContext } from './context';

const MB = 1024 * 1024;

/** FILE001–FILE004 and a reader's INT001: every file given either contributes or says why not. */
export function fileRules(ctx: RuleContext): void {
  for (const input of ctx.inputs) {
    if (isInput(input)) {
      // What a reader found at a value: the problem carries its own code (UM005 ...).
      for (const p of input.problems) ctx.report(finding(p.code as Code, CATALOGUE[p.code as Code].severity, span(input.file, p.start, p.end), p.message));
      continue;
    }
    const at = span(input.file, 0, 0);
    switch (input.kind) {
      case 'too-large':
        ctx.report(finding('FILE001', 'information', at, `Skipped: the file is ${(input.size / MB).toFixed(1)} MB, over the ${(input.limit / MB).toFixed(1)} MB limit, so its KST entries are not simulated. Raise the limit with --max-file-size (CLI) or the lyncKst.maxFileSize setting.`));
        break;
      case 'unreadable':
        ctx.report(finding('FILE004', 'error', at, `Not read: ${input.why}. Whatever it holds is missing from the simulated Known Servers Table, so the result may be incomplete.`));
        break;
      case 'other':
        if (input.file.disk?.named) {
          ctx.report(finding('FILE002', 'error', at, `Not read: this file was named to be checked, but it is ${input.what}, not a topology export, .tbxml, UM dial-plan export or trusted-application script. A mis-saved export must not pass a check unnoticed.`));
        } else {
          ctx.report(finding('FILE003', 'hint', at, `Not an input lync-kst reads: ${input.what}, so it is not part of the simulated deployment.`));
        }
        break;
      case 'failed':
        ctx.report(internalError(input.file, 'reading this file', input.error));
        break;
    }
  }
}
