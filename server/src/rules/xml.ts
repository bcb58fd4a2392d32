import { finding } from '../rules/finding';
import { isInput } from '../readers/registry';
import { span } from '../text/source';
import { RuleContext } from './context';

/** XML001 (not well-formed XML or JSON), XML002 (DOCTYPE ignored), and what a reader found at a value (UM005 ...). */
export function xmlRules(ctx: RuleContext): void {
  for (const input of ctx.inputs) {
    if (!isInput(input)) continue;
    const { file, error, doc } = input;
    if (error) {
      ctx.report(finding('XML001', 'error', span(file, error.start, error.end), `This ${input.reader.what} is not well-formed ${doc ? 'XML' : 'JSON'}: ${error.message} Nothing after this point is read into the simulated KST.`));
    }
    if (doc?.doctype) {
      ctx.report(
        finding('XML002', 'warning', span(file, doc.doctype.start, doc.doctype.end), 'Document type declaration ignored: Lync and Exchange exports never contain one, and lync-kst does not expand the entities it declares (this keeps entity-expansion documents harmless). Entity references stay as written.'),
      );
    }
  }
}
