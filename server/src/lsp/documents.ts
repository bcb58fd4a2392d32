import { TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { LineIndex } from '../text/lines';
import { PieceText } from '../text/piecewise';
import { fingerprint } from './hash';
import { keyOf } from './keys';
import { PositionCodec, PositionEncoding } from './positions';

/** `[start, end)` of the text before the edit became `length` characters. */
export interface Edit {
  start: number;
  end: number;
  length: number;
}

/** Edits kept per document between two analyses; past this many, positions from the older analysis are not mapped. */
const MAX_HISTORY = 10_000;

export class OpenDocument {
  private index?: LineIndex;

  constructor(
    readonly uri: string,
    readonly version: number,
    /** The text as its pieces: reading it whole joins them (see `text`). */
    readonly content: PieceText,
    /** The version it was opened with and that text's fingerprint: an analysis of the file on disk is of it when they agree. */
    readonly opened: { version: number; fingerprint: string },
    lines?: LineIndex,
  ) {
    this.index = lines;
  }

  /** The whole text, joined once per version. */
  get text(): string {
    return this.content.toString();
  }

  get lines(): LineIndex {
    return (this.index ??= new LineIndex(this.text));
  }

  codec(encoding: PositionEncoding): PositionCodec {
    return new PositionCodec(this.content, this.lines, encoding);
  }

  /** The text of the line holding `offset`, and where that line starts. */
  lineAt(offset: number): { text: string; start: number } {
    const { line } = this.lines.positionAt(offset);
    const start = this.lines.lineStart(line);
    return { text: this.content.slice(start, this.lines.lineEnd(line)), start };
  }
}

/**
 * The documents the client has open, kept from its notifications in the negotiated position
 * encoding, with the edits made since each version: what the language server answered from an
 * analysis of version 7 can be moved onto version 9, or refused where the text under it changed.
 */
export class OpenDocuments {
  private readonly docs = new Map<string, OpenDocument>();
  /** Per document, the changes since version `base`, each with the edits that made it. */
  private readonly history = new Map<string, { base: number; changes: { version: number; edits: Edit[] }[] }>();

  constructor(private readonly encoding: () => PositionEncoding) {}

  open(uri: string, version: number, text: string): OpenDocument {
    const doc = new OpenDocument(keyOf(uri), version, PieceText.of(text), { version, fingerprint: fingerprint(text) });
    this.docs.set(doc.uri, doc);
    this.history.set(doc.uri, { base: version, changes: [] });
    return doc;
  }

  /** Applies the client's changes; returns the document and the changes as UTF-16 offsets into the text each applied to. */
  change(
    uri: string,
    version: number,
    changes: TextDocumentContentChangeEvent[],
  ): { doc: OpenDocument; applied: { start: number; end: number; text: string }[] } | undefined {
    const key = keyOf(uri);
    let doc = this.docs.get(key);
    if (!doc) return undefined;
    const edits: Edit[] = [];
    const applied: { start: number; end: number; text: string }[] = [];
    for (const c of changes) {
      if ('range' in c) {
        const codec = doc.codec(this.encoding());
        const start = codec.offset(c.range.start);
        const end = Math.max(start, codec.offset(c.range.end));
        const content = doc.content.edit(start, end, c.text);
        edits.push({ start, end, length: c.text.length });
        applied.push({ start, end, text: c.text });
        doc = new OpenDocument(key, version, content, doc.opened, doc.lines.afterEdit(content, start, end, c.text.length));
      } else {
        edits.push({ start: 0, end: doc.content.length, length: c.text.length });
        applied.push({ start: 0, end: doc.content.length, text: c.text });
        doc = new OpenDocument(key, version, PieceText.of(c.text), doc.opened);
      }
    }
    this.docs.set(key, doc);
    const h = this.history.get(key) ?? { base: version, changes: [] };
    h.changes.push({ version, edits });
    // Too long a history (no analysis for a long time): start again from here.
    if (h.changes.reduce((n, c) => n + c.edits.length, 0) > MAX_HISTORY) this.history.set(key, { base: version, changes: [] });
    else this.history.set(key, h);
    return { doc, applied };
  }

  close(uri: string): void {
    this.docs.delete(keyOf(uri));
    this.history.delete(keyOf(uri));
  }

  get(uri: string): OpenDocument | undefined {
    return this.docs.get(keyOf(uri));
  }

  all(): OpenDocument[] {
    return [...this.docs.values()];
  }

  /** The edits that turned `version` into the current text, in order; undefined when they are no longer known. */
  editsSince(uri: string, version: number): Edit[] | undefined {
    const key = keyOf(uri);
    const doc = this.docs.get(key);
    const h = this.history.get(key);
    if (!doc || !h || version < h.base || version > doc.version) return undefined;
    return h.changes.filter((c) => c.version > version).flatMap((c) => c.edits);
  }

  /** An analysis of `version` arrived: the edits up to it are no longer needed. */
  forgetUpTo(uri: string, version: number): void {
    const h = this.history.get(keyOf(uri));
    if (!h || version <= h.base) return;
    h.base = version;
    h.changes = h.changes.filter((c) => c.version > version);
  }
}

/**
 * Where a span of the older text is in the newer one; undefined when an edit touched its inside.
 * Text put in right before it or right after it moves it or leaves it, as the text around a token does.
 */
export function mapSpan(start: number, end: number, edits: readonly Edit[]): { start: number; end: number } | undefined {
  let s = start;
  let e = end;
  for (const x of edits) {
    if (x.end <= s) {
      const d = x.length - (x.end - x.start);
      s += d;
      e += d;
    } else if (x.start >= e) continue;
    else return undefined;
  }
  return { start: s, end: e };
}

/** Where an offset of the newer text was in the older one; undefined inside text the edits put in or changed. */
export function mapBack(offset: number, edits: readonly Edit[]): number | undefined {
  let o = offset;
  for (let i = edits.length - 1; i >= 0; i--) {
    const x = edits[i];
    const insertedEnd = x.start + x.length;
    if (insertedEnd <= o) o -= x.length - (x.end - x.start);
    else if (x.start >= o) continue;
    else return undefined;
  }
  return o;
}
