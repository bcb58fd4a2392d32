/**
 * Byte-level decoding of input files. Windows PowerShell 5.1 writes UTF-16LE with a BOM
 * (`Out-File`, `>`, `Export-Clixml`), PowerShell 6+ writes UTF-8 without one, and
 * `Set-Content` writes the ANSI code page, so all of these must read correctly and
 * round-trip byte for byte when a fix writes the file back.
 */
export type EncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface Encoding {
  name: EncodingName;
  bom: boolean;
}

export interface DecodedText {
  text: string;
  encoding: Encoding;
  /** False when re-encoding `text` would not give the original bytes back. */
  lossless: boolean;
  /** Looks like binary data rather than text (NUL bytes outside a UTF-16 pattern). */
  binary: boolean;
}

const SNIFF = 4096;

export function decode(bytes: Uint8Array): DecodedText {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
    return utf8(buf.subarray(3), true, buf);
  }
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) {
    return utf16(buf, 'utf-16le', true);
  }
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) {
    return utf16(buf, 'utf-16be', true);
  }
  const guess = guessUtf16(buf);
  if (guess) return utf16(buf, guess, false);
  const binary = buf.subarray(0, SNIFF).includes(0);
  const decoded = utf8(buf, false, buf);
  return { ...decoded, binary };
}

/**
 * The text as bytes in its encoding. Undefined when the encoding cannot represent it (a character
 * outside Windows-1252, a lone surrogate in UTF-16... UTF-8 would write U+FFFD): such a text is never
 * written, since the file would not read back as the same text.
 */
export function encode(text: string, encoding: Encoding): Buffer | undefined {
  if (encoding.name === 'windows-1252') return encodeWindows1252(text);
  if (encoding.name === 'utf-8' && LONE_SURROGATE.test(text)) return undefined;
  return encodeUnicode({ ...encoding, name: encoding.name }, text);
}

function encodeUnicode(encoding: Encoding & { name: 'utf-8' | 'utf-16le' | 'utf-16be' }, text: string): Buffer {
  switch (encoding.name) {
    case 'utf-8': {
      const body = Buffer.from(text, 'utf8');
      return encoding.bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body;
    }
    case 'utf-16le': {
      const body = Buffer.from(text, 'utf16le');
      return encoding.bom ? Buffer.concat([Buffer.from([0xff, 0xfe]), body]) : body;
    }
    case 'utf-16be': {
      const body = Buffer.from(text, 'utf16le').swap16();
      return encoding.bom ? Buffer.concat([Buffer.from([0xfe, 0xff]), body]) : body;
    }
  }
}

export function describeEncoding(encoding: Encoding): string {
  const names: Record<EncodingName, string> = {
    'utf-8': 'UTF-8',
    'utf-16le': 'UTF-16LE',
    'utf-16be': 'UTF-16BE',
    'windows-1252': 'Windows-1252 (ANSI)',
  };
  return names[encoding.name] + (encoding.bom ? ' with BOM' : '');
}

function utf8(body: Buffer, bom: boolean, original: Buffer): DecodedText {
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
    return { text, encoding: { name: 'utf-8', bom }, lossless: true, binary: false };
  } catch {
    // Not valid UTF-8: most likely the ANSI code page (`Set-Content` in Windows PowerShell).
    // Windows-1252 maps every byte to one char, so the file still round-trips exactly.
    if (bom) {
      const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(body);
      return { text, encoding: { name: 'utf-8', bom }, lossless: false, binary: false };
    }
    return { text: decodeWindows1252(original), encoding: { name: 'windows-1252', bom: false }, lossless: true, binary: false };
  }
}

/**
 * Windows-1252 bytes 0x80–0x9F, as the WHATWG Encoding Standard maps them: the typographic dashes
 * and quotes that scripts copied from web pages hold (0x96 is `–`, 0x93/0x94 are curly quotes).
 * The five bytes Windows leaves undefined map to the C1 control of the same value, so every byte
 * sequence decodes, and encodes back to the same bytes.
 */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f, 0x90, 0x2018, 0x2019,
  0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];
const CP1252_BYTE = new Map(CP1252_HIGH.map((c, i) => [c, 0x80 + i]));

function decodeWindows1252(bytes: Buffer): string {
  // latin1 is the identity on bytes; only 0x80–0x9F differ, and they are rare, so fix those up.
  const text = bytes.toString('latin1');
  return /[\x80-\x9f]/.test(text) ? text.replace(/[\x80-\x9f]/g, (c) => String.fromCharCode(CP1252_HIGH[c.charCodeAt(0) - 0x80])) : text;
}

function encodeWindows1252(text: string): Buffer | undefined {
  const out = Buffer.allocUnsafe(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const b = c < 0x80 || (c >= 0xa0 && c <= 0xff) ? c : CP1252_BYTE.get(c);
    if (b === undefined) return undefined;
    out[i] = b;
  }
  return out;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function utf16(buf: Buffer, name: 'utf-16le' | 'utf-16be', bom: boolean): DecodedText {
  let body = buf.subarray(bom ? 2 : 0);
  const odd = body.length % 2 === 1;
  if (odd) body = body.subarray(0, body.length - 1);
  const le = name === 'utf-16le' ? body : Buffer.from(body).swap16();
  const text = le.toString('utf16le');
  return { text, encoding: { name, bom }, lossless: !odd && encodeUnicode({ name, bom }, text).equals(buf), binary: false };
}

/** UTF-16 without a BOM shows up as every other byte being NUL in ASCII-heavy text. */
function guessUtf16(buf: Buffer): 'utf-16le' | 'utf-16be' | undefined {
  const n = Math.min(buf.length, SNIFF) & ~1;
  if (n < 4) return undefined;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (buf[i] === 0) evenZero++;
    if (buf[i + 1] === 0) oddZero++;
  }
  const pairs = n / 2;
  if (oddZero > pairs * 0.7 && evenZero < pairs * 0.1) return 'utf-16le';
  if (evenZero > pairs * 0.7 && oddZero < pairs * 0.1) return 'utf-16be';
  return undefined;
}
