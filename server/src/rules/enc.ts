import { finding } from './finding';
import { describeEncoding } from '../text/encoding';
import { span } from '../text/source';
import { isInput } from '../readers/registry';
import { RuleContext } from './context';

type Family = 'utf-8' | 'utf-16' | 'single-byte';

function declaredFamily(name: string): Family | undefined {
  const n = name.toLowerCase().replace(/[_\s]/g, '-');
  if (n === 'utf-8' || n === 'utf8') return 'utf-8';
  if (/^(utf-16|utf16|unicode|ucs-2)/.test(n)) return 'utf-16';
  if (/^(windows-125\d|iso-8859-\d+|latin-?1|cp125\d)$/.test(n)) return 'single-byte';
  return undefined; // us-ascii and the like: compatible with whatever the bytes are
}

/** ENC001: the XML declaration names another encoding than the bytes use. The bytes win. */
export function encodingRules(ctx: RuleContext): void {
  for (const input of ctx.inputs) {
    const declared = isInput(input) ? input.doc?.declaredEncoding : undefined;
    if (!declared) continue;
    const enc = input.file.encoding;
    const actual: Family = enc.name === 'windows-1252' ? 'single-byte' : enc.name === 'utf-8' ? 'utf-8' : 'utf-16';
    const family = declaredFamily(declared.value);
    if (!family || family === actual) continue;
    ctx.report(
      finding('ENC001', 'information', span(input.file, declared.start, declared.end), `The declaration says encoding="${declared.value}" but the bytes are ${describeEncoding(enc)}; lync-kst reads the file by its bytes. This happens when a file is re-encoded (for example by Out-File in Windows PowerShell) without updating the declaration. Fixes keep the file in ${describeEncoding(enc)}.`),
    );
  }
}
