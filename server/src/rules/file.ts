import { finding } from '../findings';
import { span } from '../text/source';
import { RuleContext } from './context';

const MB = 1024 * 1024;

/** FILE001: a recognised input over the size limit is skipped, and says so. */
export function fileRules(ctx: RuleContext): void {
  for (const input of ctx.inputs) {
    if (input.kind !== 'too-large') continue;
    ctx.report(
      finding('FILE001', 'information', span(input.file, 0, 0), `Skipped: the file is ${(input.size / MB).toFixed(1)} MB, over the ${(input.limit / MB).toFixed(1)} MB limit, so its KST entries are not simulated. Raise the limit with --max-file-size (CLI) or the lyncKst.maxFileSize setting.`),
    );
  }
}
