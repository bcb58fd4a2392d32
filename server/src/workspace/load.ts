import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { SourceFile } from '../text/source';
import { sniffRoot } from './inputs';

export const DEFAULT_MAX_FILE_SIZE = 16 * 1024 * 1024;
/** Files read at once during a folder scan. */
const READ_CONCURRENCY = 16;

/** Folders never worth reading. */
const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', 'out', 'dist', '.vscode-test']);
/** Extensions of files a folder scan looks at; content decides whether they are inputs. */
const CANDIDATE = /\.(xml|tbxml|json|ps1|psm1|clixml|txt)$/i;

export interface LoadOptions {
  /** Default DEFAULT_MAX_FILE_SIZE. */
  maxFileSize?: number;
  /** What a file is known by: its path (CLI) or its URI (language server). */
  keyOf?: (fsPath: string) => string;
  /** Files and folders a folder scan must leave out (the language server's exclude globs). */
  exclude?: (fsPath: string) => boolean;
  /** Files a folder scan reads although their extension is not a candidate (include globs). */
  include?: (fsPath: string) => boolean;
}

export interface LoadResult {
  files: SourceFile[];
  /** Paths that could not be read, with why. */
  errors: { path: string; message: string }[];
}

/**
 * Reads files and folders (recursively). A file over `maxFileSize` is not read whole: its
 * first bytes decide whether it is ours, and if so it becomes a FILE001 placeholder.
 */
export async function loadPaths(paths: string[], options: LoadOptions = {}): Promise<LoadResult> {
  const result: LoadResult = { files: [], errors: [] };
  const o: Required<LoadOptions> = { maxFileSize: DEFAULT_MAX_FILE_SIZE, keyOf: (p) => p, exclude: () => false, include: () => false, ...options };
  const wanted: { path: string; explicit: boolean }[] = [];
  for (const p of paths) {
    let stat;
    try {
      stat = await fs.stat(p);
    } catch (e) {
      result.errors.push({ path: p, message: describeError(e) });
      continue;
    }
    if (stat.isDirectory()) await walk(p, wanted, result, o);
    else wanted.push({ path: p, explicit: true });
  }
  // Reading one file after another mostly waits on the disk; a few at a time, results in order.
  const loaded = new Array<SourceFile | { path: string; message: string } | undefined>(wanted.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < wanted.length) {
      const i = next++;
      loaded[i] = await loadFile(wanted[i].path, o, wanted[i].explicit);
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, wanted.length) }, worker));
  for (const l of loaded) {
    if (l instanceof SourceFile) result.files.push(l);
    else if (l) result.errors.push(l);
  }
  return result;
}

/**
 * Whether a folder scan of the folder holding `fsPath` would look at it (`relativePath` is the
 * part below that folder: only there do skipped folder names count). Content then decides.
 */
export function isCandidate(fsPath: string, relativePath: string, o: Pick<LoadOptions, 'exclude' | 'include'> = {}): boolean {
  if (o.exclude?.(fsPath)) return false;
  if (relativePath.split(/[\\/]/).slice(0, -1).some((part) => SKIP_DIRS.has(part))) return false;
  return CANDIDATE.test(fsPath) || (o.include?.(fsPath) ?? false);
}

/** Collects the candidate files under `dir`, sorted by name so results do not depend on the disk. */
async function walk(dir: string, wanted: { path: string; explicit: boolean }[], result: LoadResult, o: Required<LoadOptions>): Promise<void> {
  let entries;
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (e) {
    result.errors.push({ path: dir, message: describeError(e) });
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name) && !o.exclude(full)) await walk(full, wanted, result, o);
    } else if (e.isFile() && !o.exclude(full) && (CANDIDATE.test(e.name) || o.include(full))) {
      wanted.push({ path: full, explicit: false });
    }
  }
}

/** The file, a FILE001 placeholder when it is too large but ours, nothing when it is too large and not ours, or why it failed. */
async function loadFile(p: string, o: Required<LoadOptions>, explicit: boolean): Promise<SourceFile | { path: string; message: string } | undefined> {
  const key = o.keyOf(p);
  try {
    const handle = await fs.open(p, 'r');
    try {
      const { size } = await handle.stat();
      if (size <= o.maxFileSize) return SourceFile.fromBytes(key, await handle.readFile());
      const head = Buffer.alloc(8192);
      const { bytesRead } = await handle.read(head, 0, head.length, 0);
      const probe = SourceFile.fromBytes(key, head.subarray(0, bytesRead));
      if (explicit || (!probe.binary && (sniffRoot(probe.text) || /\.(ps1|psm1|json)$/i.test(p)))) return SourceFile.skipped(key, size, o.maxFileSize);
      return undefined;
    } finally {
      await handle.close();
    }
  } catch (e) {
    return { path: p, message: describeError(e) };
  }
}

function describeError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err.code) {
    case 'ENOENT': return 'no such file or folder';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'EISDIR': return 'is a folder';
    default: return err.message ?? String(e);
  }
}
