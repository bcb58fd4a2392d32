/** FNV-1a of a text's UTF-16 units, as hex: equal texts give equal hashes (for result ids and text fingerprints). */
export function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16);
}

/** A text's length and hash: two texts with the same fingerprint are, for all practical purposes, the same. */
export function fingerprint(text: string): string {
  return `${text.length}:${hash(text)}`;
}
