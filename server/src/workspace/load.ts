import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { SourceFile } from '../text/source';
import { sniffRoot } from './inputs';

export const DEFAULT_MAX_FILE_SIZE = 16 * 1024 * 1024;

/** Folders never worth reading. */
const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', 'out', 'dist', '.vscode-test']);
/** Extensions of files a folder scan looks at; content decides whether they are inputs. */
const CANDIDATE = /\.(xml|tbxml|json|ps1|psm1|clixml|txt)$/i;

export interface LoadResult {
  files: SourceFile[];
  /** Paths that could not be read, with why. */
  errors: { path: string; message: string }[];
}

/**
 * Reads files and folders (recursively). A file over `maxFileSize` is not read whole: its
 * first bytes decide whether it is ours, and if so it becomes a FILE001 placeholder.
 */
export async function loadPaths(paths: string[], maxFileSize = DEFAULT_MAX_FILE_SIZE): Promise<LoadResult> {
  const result: LoadResult = { files: [], errors: [] };
  for (const p of paths) {
    let stat;
    try {
      stat = await fs.stat(p);
    } catch (e) {
      result.errors.push({ path: p, message: describeError(e) });
      continue;
    }
    if (stat.isDirectory()) await walk(p, result, maxFileSize);
    else await loadFile(p, stat.size, result, maxFileSize, true);
  }
  return result;
}

async function walk(dir: string, result: LoadResult, maxFileSize: number): Promise<void> {
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
      if (!SKIP_DIRS.has(e.name)) await walk(full, result, maxFileSize);
    } else if (e.isFile() && CANDIDATE.test(e.name)) {
      try {
        await loadFile(full, (await fs.stat(full)).size, result, maxFileSize, false);
      } catch (err) {
        result.errors.push({ path: full, message: describeError(err) });
      }
    }
  }
}

async function loadFile(p: string, size: number, result: LoadResult, maxFileSize: number, explicit: boolean): Promise<void> {
  try {
    if (size > maxFileSize) {
      const handle = await fs.open(p, 'r');
      try {
        const head = Buffer.alloc(8192);
        const { bytesRead } = await handle.read(head, 0, head.length, 0);
        const probe = SourceFile.fromBytes(p, head.subarray(0, bytesRead));
        if (explicit || (!probe.binary && (sniffRoot(probe.text) || /\.(ps1|psm1|json)$/i.test(p)))) {
          result.files.push(SourceFile.skipped(p, size, maxFileSize));
        }
      } finally {
        await handle.close();
      }
      return;
    }
    result.files.push(SourceFile.fromBytes(p, await fs.readFile(p)));
  } catch (e) {
    result.errors.push({ path: p, message: describeError(e) });
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
