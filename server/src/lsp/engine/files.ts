import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { PieceText } from '../../text/piecewise';
import { SourceFile } from '../../text/source';
import { Input, readInput } from '../../readers/registry';
import { isCandidate, loadPaths, LoadOptions } from '../../workspace/load';
import { Config, globMatcher } from '../../workspace/config';
import { keyOf } from '../keys';

/**
 * Every file the workspace model knows: what is on disk in the workspace folders, overlaid by
 * what is open in the editor. Reading a file into an engine Input is cached per text, so an
 * edit re-reads only the file that changed.
 */
export class WorkspaceFiles {
  private roots: URI[] = [];
  private readonly disk = new Map<string, SourceFile>();
  /** Open documents: the file as last read whole, and the edits since as pieces (joined when the file is read). */
  private readonly open = new Map<string, { file: SourceFile; pending?: PieceText; version: number }>();
  private readonly inputs = new WeakMap<SourceFile, Input>();
  private loadOptions: LoadOptions = {};

  setFolders(uris: string[]): void {
    this.roots = uris.map((u) => URI.parse(u));
  }

  folders(): string[] {
    return this.roots.map((u) => u.toString());
  }

  configure(settings: Config): void {
    const include = globMatcher(settings.files.include);
    const exclude = globMatcher(settings.files.exclude);
    this.loadOptions = {
      maxFileSize: Math.round(settings.maxFileSize * 1024 * 1024),
      named: false,
      keyOf: (p) => URI.file(p).toString(),
      include: (p) => {
        const r = this.relativePath(p);
        return r !== undefined && include(r);
      },
      exclude: (p) => {
        const r = this.relativePath(p);
        return r !== undefined && exclude(r);
      },
    };
  }

  /** Reads every candidate file of every folder; replaces what was known from disk. */
  async scan(): Promise<{ files: number; errors: string[] }> {
    const loaded = await loadPaths(
      this.roots.filter((f) => f.scheme === 'file').map((f) => f.fsPath),
      this.loadOptions,
    );
    this.disk.clear();
    for (const f of loaded.files) this.disk.set(f.path, f);
    return { files: loaded.files.length, errors: loaded.errors.map((e) => `${e.path}: ${e.message}`) };
  }

  /** A file was created or changed on disk. Returns whether the model changed. */
  async reload(uri: string): Promise<boolean> {
    const u = URI.parse(uri);
    const relative = u.scheme === 'file' ? this.relativePath(u.fsPath) : undefined;
    if (relative === undefined || !isCandidate(u.fsPath, relative, this.loadOptions)) return false;
    const loaded = await loadPaths([u.fsPath], this.loadOptions);
    const key = keyOf(uri);
    this.disk.delete(key);
    for (const f of loaded.files) this.disk.set(f.path, f);
    return true;
  }

  /** A file or a whole folder was deleted on disk. */
  remove(uri: string): boolean {
    const key = keyOf(uri);
    let changed = this.disk.delete(key);
    for (const k of [...this.disk.keys()]) if (k.startsWith(key + '/')) changed = this.disk.delete(k) || changed;
    return changed;
  }

  /** The editor's text wins over the disk while a document is open; it keeps the disk's encoding facts. */
  setOpen(uri: string, text: string, version: number): void {
    const key = keyOf(uri);
    const base = this.disk.get(key);
    const file = base && !base.tooLarge ? base.withText(text) : new SourceFile(key, text);
    this.open.set(key, { file, version });
  }

  /** An open document over the size limit: skipped like one on disk (FILE001), its text never sent or parsed. */
  setOpenTooLarge(uri: string, size: number, version: number): void {
    const key = keyOf(uri);
    this.open.set(key, { file: SourceFile.skipped(key, size, this.maxFileSize()), version });
  }

  /** Edits to an open document, as the main thread applied them (UTF-16 offsets, in order); the text is joined when read. */
  edit(uri: string, version: number, edits: { start: number; end: number; text: string }[]): void {
    const key = keyOf(uri);
    const current = this.open.get(key);
    if (!current || current.file.tooLarge) return;
    let pending = current.pending ?? PieceText.of(current.file.text);
    for (const e of edits) pending = pending.edit(e.start, e.end, e.text);
    this.open.set(key, { file: current.file, pending, version });
  }

  /** An open document's file as its text is now (joining the edits since it was last read). */
  private openFile(key: string): SourceFile | undefined {
    const o = this.open.get(key);
    if (!o) return undefined;
    if (o.pending) {
      o.file = o.file.withText(o.pending.toString());
      o.pending = undefined;
    }
    return o.file;
  }

  /** Bytes; a document the client opens is skipped over it (FILE001), as on disk. */
  maxFileSize(): number {
    return this.loadOptions.maxFileSize ?? Infinity;
  }

  close(uri: string): void {
    this.open.delete(keyOf(uri));
  }

  /** The version of an open document, or null for a file only on disk (as LSP's versioned edits want). */
  versionOf(key: string): number | null {
    return this.open.get(key)?.version ?? null;
  }

  current(): SourceFile[] {
    const out = new Map<string, SourceFile>();
    for (const [k, f] of this.disk) out.set(k, f);
    for (const k of this.open.keys()) {
      const file = URI.parse(k).scheme === 'file' ? this.openFile(k) : undefined;
      if (file) out.set(k, file);
    }
    return [...out.values()];
  }

  get(key: string): SourceFile | undefined {
    return this.openFile(key) ?? this.disk.get(key);
  }

  isRead(file: SourceFile): boolean {
    return this.inputs.has(file);
  }

  /** The file read as an engine input (cached); `fresh` says whether it had to be read now. */
  input(file: SourceFile): { input: Input; fresh: boolean } {
    const known = this.inputs.get(file);
    if (known) return { input: known, fresh: false };
    const input = readInput(file);
    this.inputs.set(file, input);
    return { input, fresh: true };
  }

  /** A file's key as the user reads it: relative to its workspace folder. */
  display(key: string): string {
    const u = URI.parse(key);
    return u.scheme === 'file' ? (this.relativePath(u.fsPath) ?? u.fsPath) : key;
  }

  /** The path below the workspace folder that holds `fsPath`, with `/` separators, as globs and people read it. */
  private relativePath(fsPath: string): string | undefined {
    const folder = this.roots.find((f) => f.scheme === 'file' && fsPath.startsWith(f.fsPath.replace(/[\\/]$/, '') + path.sep));
    return folder && path.relative(folder.fsPath, fsPath).split(path.sep).join('/');
  }
}
