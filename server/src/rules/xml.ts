import { finding } from '../findings';
import { span } from '../text/source';
import { RuleContext } from './context';

/** XML001 (not well-formed XML or JSON) and XML002 (DOCTYPE ignored). */
export function xmlRules(ctx: RuleContext): void {
  for (const input of ctx.inputs) {
    if (input.kind === 'dialplan-json' && input.error) {
      ctx.report(finding('XML001', 'error', span(input.file, input.error.start, input.error.end), input.error.message));
    }
    if (input.kind !== 'topology' && input.kind !== 'clixml') continue;
    const { doc, file } = input;
    if (doc.error) {
      const what = input.kind === 'topology' ? 'topology' : 'dial-plan export';
      ctx.report(finding('XML001', 'error', span(file, doc.error.start, doc.error.end), `This ${what} is not well-formed XML: ${doc.error.message} KST entries after this point are not simulated.`));
    }
    if (doc.doctype) {
      ctx.report(
        finding('XML002', 'warning', span(file, doc.doctype.start, doc.doctype.end), 'Document type declaration ignored: Lync and Exchange exports never contain one, and lync-kst does not expand the entities it declares (this keeps entity-expansion documents harmless). Entity references stay as written.'),
      );
    }
  }
}
