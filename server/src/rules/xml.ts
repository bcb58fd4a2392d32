import { isInput } from '../readers/registry';
import { span } from '../text/source';
import { Checker, rule } from './rule';

export const XML001 = rule<{ what: string; format: string; why: string }>({
  code: 'XML001',
  severity: 'error',
  title: 'File is not well-formed XML or JSON',
  description:
    'Not well-formed XML 1.0 or JSON: one finding at the break (a control character, a `<` in an attribute value, an undefined entity, a ' +
    'mismatched tag, a file that ends early, JSON nested deeper than 64). Elements complete before it still count; nothing after it is ' +
    'claimed.',
  message: (a) => `This ${a.what} is not well-formed ${a.format}: ${a.why} Nothing after this point is read into the simulated KST.`,
});

export const XML002 = rule({
  code: 'XML002',
  severity: 'warning',
  title: 'Document type declaration ignored',
  description:
    'A DOCTYPE: ignored, its entities are never fetched or expanded (entity-expansion documents stay harmless). Its entities may be ' +
    'referenced; nothing else is reported.',
  message: () =>
    'Document type declaration ignored: Lync and Exchange exports never contain one, and lync-kst does not expand the entities it ' +
    'declares (this keeps entity-expansion documents harmless). Entity references stay as written.',
});

/** XML001 at the break, wherever a reader found one; XML002 on a DOCTYPE. */
export const xmlChecker: Checker = {
  name: 'xml',
  rules: [XML001, XML002],
  check(ctx) {
    for (const input of ctx.inputs) {
      if (!isInput(input)) continue;
      const { file, error, doc } = input;
      if (error)
        ctx.report(XML001, span(file, error.start, error.end), {
          what: input.reader.what,
          format: doc ? 'XML' : 'JSON',
          why: error.message,
        });
      if (doc?.doctype) ctx.report(XML002, span(file, doc.doctype.start, doc.doctype.end), undefined);
    }
  },
};
