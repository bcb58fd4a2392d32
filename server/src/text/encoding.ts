/**
 * Byte-level decoding of input files. Windows PowerShell 5.1 writes UTF-16LE with a BOM
 * (`Out-File`, `>`, `Export-Clixml`), PowerShell 6+ writes UTF-8 without one, and
 * `Set-Content` writes the ANSI code page, so all of these must read correctly and
 * round-trip byte for byte when a fix writes the file back.
 */
export type EncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'latin1';

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

export function encode(text: string, encoding: Encoding): Buffer {
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
    case 'latin1':
      return Buffer.from(text, 'latin1');
  }
}

export function describeEncoding(encoding: Encoding): string {
  const names: Record<EncodingName, string> = {
    'utf-8': 'UTF-8',
    'utf-16le': 'UTF-16LE',
    'utf-16be': 'UTF-16BE',
    latin1: 'Windows-1252 / Latin-1',
  };
  return names[encoding.name] + (encoding.bom ? ' with BOM' : '');
}

function utf8(body: Buffer, bom: boolean, original: Buffer): DecodedText {
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
    return { text, encoding: { name: 'utf-8', bom }, lossless: true, binary: false };
  } catch {
    // Not valid UTF-8: most likely the ANSI code page (`Set-Content` in Windows PowerShell).
    // Latin-1 maps every byte to one char, so the file still round-trips exactly.
    if (bom) {
      const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(body);
      return { text, encoding: { name: 'utf-8', bom }, lossless: false, binary: false };
    }
    return { text: original.toString('latin1'), encoding: { name: 'latin1', bom: false }, lossless: true, binary: false };
  }
}

function utf16(buf: Buffer, name: 'utf-16le' | 'utf-16be', bom: boolean): DecodedText {
  let body = buf.subarray(bom ? 2 : 0);
  const odd = body.length % 2 === 1;
  if (odd) body = body.subarray(0, body.length - 1);
  const le = name === 'utf-16le' ? body : Buffer.from(body).swap16();
  const text = le.toString('utf16le');
  const encoding: Encoding = { name, bom };
  return { text, encoding, lossless: !odd && encode(text, encoding).equals(buf), binary: false };
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
