const NAMED: Record<string, number> = { lt: 0x3c, gt: 0x3e, amp: 0x26, quot: 0x22, apos: 0x27 };

/**
 * Decodes the five predefined XML entities and character references in one pass. Anything else
 * (a DTD-declared entity) stays as written: lync-kst never expands declared entities. A reference
 * is never shorter than what it stands for, so the result fits in a buffer the size of the input:
 * a value of millions of references costs a few bytes per character, not an object per match.
 */
export function decodeXmlText(raw: string): string {
  let amp = raw.indexOf('&');
  if (amp < 0) return raw;
  const out = new Uint16Array(raw.length);
  let n = 0;
  let i = 0;
  const copy = (to: number) => {
    for (; i < to; i++) out[n++] = raw.charCodeAt(i);
  };
  while (amp >= 0) {
    copy(amp);
    const semi = raw.indexOf(';', amp + 1);
    const code = semi > amp && semi - amp <= 12 ? reference(raw.slice(amp + 1, semi)) : undefined;
    if (code === undefined) {
      out[n++] = 0x26;
      i = amp + 1;
    } else {
      if (code > 0xffff) {
        out[n++] = 0xd800 + ((code - 0x10000) >> 10);
        out[n++] = 0xdc00 + ((code - 0x10000) & 0x3ff);
      } else {
        out[n++] = code;
      }
      i = semi + 1;
    }
    amp = raw.indexOf('&', i);
  }
  copy(raw.length);
  return Buffer.from(out.buffer, 0, n * 2).toString('utf16le');
}

/** The code point a reference's name (between `&` and `;`) stands for, or undefined when it is not one we decode. */
function reference(name: string): number | undefined {
  if (name[0] !== '#') return NAMED[name];
  const hex = name[1] === 'x';
  const digits = name.slice(hex ? 2 : 1);
  if (!(hex ? /^[0-9a-fA-F]{1,8}$/ : /^[0-9]{1,10}$/).test(digits)) return undefined;
  const code = parseInt(digits, hex ? 16 : 10);
  return code > 0 && code <= 0x10ffff ? code : undefined;
}
