import { isInput } from '../readers/registry';
import { describeEncoding, Encoding } from '../text/encoding';
import { span } from '../text/source';
import { Checker, rule } from './rule';

export const ENC001 = rule<{ declared: string; actual: Encoding }>({
  code: 'ENC001',
  severity: 'information',
  title: 'Declared encoding contradicts the bytes',
  description: 'The XML declaration names another encoding than the bytes use. The bytes win.',
  message: (a) =>
    `The declaration says encoding="${a.declared}" but the bytes are ${describeEncoding(a.actual)}; lync-kst reads the file by its ` +
    `bytes. This happens when a file is re-encoded (for example by Out-File in Windows PowerShell) without updating the declaration. ` +
    `Fixes keep the file in ${describeEncoding(a.actual)}.`,
});

type Family = 'utf-8' | 'utf-16' | 'single-byte';

function declaredFamily(name: string): Family | undefined {
  const n = name.toLowerCase().replace(/[_\s]/g, '-');
  if (n === 'utf-8' || n === 'utf8') return 'utf-8';
  if (/^(utf-16|utf16|unicode|ucs-2)/.test(n)) return 'utf-16';
  if (/^(windows-125\d|iso-8859-\d+|latin-?1|cp125\d)$/.test(n)) return 'single-byte';
  return undefined; // us-ascii and the like: compatible with whatever the bytes are
}

/** ENC001: the XML declaration names another encoding than the bytes use. */
export const encodingChecker: Checker = {
  name: 'encoding',
  rules: [ENC001],
  check(ctx) {
    for (const input of ctx.inputs) {
      const declared = isInput(input) ? input.doc?.declaredEncoding : undefined;
      if (!declared) continue;
      const enc = input.file.encoding;
      const actual: Family = enc.name === 'windows-1252' ? 'single-byte' : enc.name === 'utf-8' ? 'utf-8' : 'utf-16';
      const family = declaredFamily(declared.value);
      if (!family || family === actual) continue;
      ctx.report(ENC001, span(input.file, declared.start, declared.end), { declared: declared.value, actual: enc });
    }
  },
};
