import { createHash } from 'node:crypto';
import { constants, promises as fs, Stats } from 'node:fs';
import * as path from 'node:path';
import { SourceFile } from '../text/source';
import { sniffRoot } from '../readers/registry';

export const DEFAULT_MAX_FILE_SIZE = 16 * 1024 * 1024;
/** Files read at once during a folder scan. */
const READ_CONCURRENCY = 16;
/** Smallest and largest read: a file is read in one go when its stat is right, then in growing chunks. */
const MIN_READ = 8192;
const CHUNK = 1024 * 1024;
/** Bytes of an over-size file that decide whether it is ours. */
const PROBE = 8192;

/** Folders never worth reading. */
const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', 'out', 'dist', '.vscode-test', '.vscode']);
/**
 * Extensions of files a folder scan looks at; content decides whether they are inputs. `.evtx`
 * is read only to say it cannot be (export it as XML): a file of the workspace is never passed over silently.
 */
export const CANDIDATE_EXTENSIONS = ['xml', 'tbxml', 'json', 'ps1', 'psm1', 'clixml', 'txt', 'csv', 'evtx'] as const;
/** Files read by name whatever their extension says: the OWA web.config (only its IM keys). */
export const CANDIDATE_NAMES = ['web.config'] as const;
const CANDIDATE = new RegExp(
  `(\\.(${CANDIDATE_EXTENSIONS.join('|')})|(^|[\\\\/])(${CANDIDATE_NAMES.join('|').replace(/\./g, '\\.')}))$`,
  'i',
);

/** Whether a file's name makes it one a folder scan reads (content still decides what it is). */
export function hasCandidateName(p: string): boolean {
  return CANDIDATE.test(p);
}
/** The configuration (workspace/config.ts): read as such, never as an input. */
export const CONFIG_FILE = 'lync-kst.json';

export interface LoadOptions {
  /** Default DEFAULT_MAX_FILE_SIZE. */
  maxFileSize?: number;
  /** What a file is known by: its path (CLI) or its URI (language server). */
  keyOf?: (fsPath: string) => string;
  /** Files and folders a folder scan must leave out (the language server's exclude globs). */
  exclude?: (fsPath: string) => boolean;
  /** Files a folder scan reads although their extension is not a candidate (include globs). */
  include?: (fsPath: string) => boolean;
  /** Whether the file paths given count as named by the user (the CLI: default); the language server re-reads files it found itself. */
  named?: boolean;
}

export interface LoadResult {
  files: SourceFile[];
  /** Paths that could not be read, with why: named paths that cannot be stat'ed, folders that cannot be listed. */
  errors: { path: string; message: string }[];
}

/** A file to read: the path it was found by, its real path when known, whether it was named explicitly. */
interface Wanted {
  path: string;
  realPath?: string;
  named: boolean;
}

/** State of one loadPaths call's collection step. */
interface Scan {
  o: Required<LoadOptions>;
  result: LoadResult;
  wanted: Wanted[];
  /** Real paths of the folders walked so far. */
  dirs: Set<string>;
  /** Real paths of the files collected so far. */
  files: Set<string>;
}

/**
 * Reads files and folders (recursively), following links. Only regular files are opened: a FIFO,
 * socket or device, a dangling link or a link loop becomes an unreadable placeholder, as does a
 * file that cannot be read. A file over `maxFileSize` is not kept whole: its first bytes decide
 * whether it is ours, and if so it becomes a FILE001 placeholder.
 */
export async function loadPaths(paths: string[], options: LoadOptions = {}): Promise<LoadResult> {
  const result: LoadResult = { files: [], errors: [] };
  const o: Required<LoadOptions> = {
    maxFileSize: DEFAULT_MAX_FILE_SIZE,
    keyOf: (p) => p,
    exclude: () => false,
    include: () => false,
    named: true,
    ...options,
  };
  const scan: Scan = { o, result, wanted: [], dirs: new Set(), files: new Set() };
  for (const p of paths) {
    let stat;
    try {
      stat = await fs.stat(p);
    } catch (e) {
      result.errors.push({ path: p, message: await whyNoStat(p, e) });
      continue;
    }
    const real = (await realPath(p)) ?? path.resolve(p);
    if (stat.isDirectory()) await walk(p, real, [], scan);
    else await want(p, real, o.named, scan);
  }
  // Reading one file after another mostly waits on the disk; a few at a time, results in order.
  const { wanted } = scan;
  const loaded = new Array<SourceFile | undefined>(wanted.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < wanted.length) {
      const i = next++;
      loaded[i] = await loadFile(wanted[i], o);
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, wanted.length) }, worker));
  for (const l of loaded) if (l) result.files.push(l);
  return result;
}

/**
 * Whether a folder scan of the folder holding `fsPath` would look at it (`relativePath` is the
 * part below that folder: only there do skipped folder names count). Content then decides.
 */
export function isCandidate(fsPath: string, relativePath: string, o: Pick<LoadOptions, 'exclude' | 'include'> = {}): boolean {
  if (o.exclude?.(fsPath) || path.basename(fsPath) === CONFIG_FILE) return false;
  if (
    relativePath
      .split(/[\\/]/)
      .slice(0, -1)
      .some((part) => SKIP_DIRS.has(part))
  )
    return false;
  return hasCandidateName(fsPath) || (o.include?.(fsPath) ?? false);
}

/**
 * Queues a file once per real path. The same file reached through two links (or named and
 * also found in a folder) would otherwise be two inputs with the same servers, so every entry
 * would conflict with itself, and a fix would plan two writes to one file. The first path in
 * the scan's sorted order wins, so the key does not depend on the disk.
 */
async function want(p: string, real: string | undefined, named: boolean, scan: Scan): Promise<void> {
  if (real !== undefined) {
    if (scan.files.has(real)) return;
    scan.files.add(real);
  }
  scan.wanted.push({ path: p, realPath: real, named });
}

/**
 * Collects the candidate files under `dir` (real path `real`), sorted by name so results do
 * not depend on the disk. Links are followed; `ancestors` are the real paths of the folders
 * above, so a link back to one of them is reported as a loop rather than walked forever.
 */
async function walk(dir: string, real: string, ancestors: string[], scan: Scan): Promise<void> {
  // A folder reached again (named twice, or through a second link) has been read already.
  if (scan.dirs.has(real)) return;
  scan.dirs.add(real);
  const { o, result } = scan;
  let entries;
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (e) {
    result.errors.push({ path: dir, message: describeError(e) });
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const inside = [...ancestors, real];
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (o.exclude(full)) continue;
    const candidate = (hasCandidateName(e.name) || o.include(full)) && e.name !== CONFIG_FILE;
    if (!e.isSymbolicLink()) {
      // Not a link: its real path is the folder's real path and its name, no system call needed.
      const entryReal = path.join(real, e.name);
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) await walk(full, entryReal, inside, scan);
      } else if (candidate) {
        // FIFOs, sockets and devices are queued too: loadFile turns them into placeholders unopened.
        await want(full, entryReal, false, scan);
      }
      continue;
    }
    let target: Stats;
    try {
      target = await fs.stat(full);
    } catch {
      // Dangling or looping: loadFile's stat fails the same way and says why.
      if (candidate) await want(full, undefined, false, scan);
      continue;
    }
    const targetReal = await realPath(full);
    if (target.isDirectory()) {
      if (SKIP_DIRS.has(e.name)) continue;
      // A link back to a folder above is a loop; that folder's files are read once already, so nothing is missed.
      if (targetReal !== undefined && !inside.includes(targetReal)) await walk(full, targetReal, inside, scan);
    } else if (candidate) {
      await want(full, targetReal, false, scan);
    }
  }
}

/**
 * The file; a FILE001 placeholder when it is too large but ours; nothing when too large and not ours;
 * an unreadable placeholder when it cannot be read.
 */
async function loadFile(w: Wanted, o: Required<LoadOptions>): Promise<SourceFile | undefined> {
  const key = o.keyOf(w.path);
  let stat: Stats;
  try {
    stat = await fs.stat(w.path);
  } catch (e) {
    return SourceFile.unreadableFile(key, await whyNoStat(w.path, e));
  }
  // Never open anything but a regular file: a FIFO blocks until a writer comes, /dev/zero never ends.
  if (!stat.isFile()) return SourceFile.unreadableFile(key, `not a regular file: ${kindOf(stat)}`);
  try {
    // O_NONBLOCK: should the file be swapped for a FIFO after the stat, open returns at once
    // instead of waiting for a writer, and the fstat below refuses it. No effect on regular files.
    const handle = await fs.open(w.path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    try {
      const opened = await handle.stat();
      if (!opened.isFile()) return SourceFile.unreadableFile(key, `not a regular file: ${kindOf(opened)}`);
      const real = w.realPath ?? (await realPath(w.path)) ?? path.resolve(w.path);
      // Over the limit by its stat: only the first bytes are read, to tell whether it is ours.
      if (opened.size > o.maxFileSize) return probe(await readAtMost(handle, PROBE, PROBE), w, key, opened.size, o);
      const bytes = await readAtMost(handle, o.maxFileSize + 1, opened.size);
      // The stat size is only a hint: the file may have grown since, and /proc-like files say 0.
      if (bytes.length > o.maxFileSize) {
        const { size } = await handle.stat();
        return probe(bytes.subarray(0, PROBE), w, key, Math.max(size, bytes.length), o);
      }
      const file = SourceFile.fromBytes(key, bytes);
      file.disk = { realPath: real, sha256: createHash('sha256').update(bytes).digest('hex'), mode: opened.mode & 0o7777, named: w.named };
      return file;
    } finally {
      await handle.close();
    }
  } catch (e) {
    return SourceFile.unreadableFile(key, describeError(e));
  }
}

/** Reads from the start until end of file or `limit` bytes, whichever comes first; `hint` is the expected size. */
async function readAtMost(handle: fs.FileHandle, limit: number, hint: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  // One byte more than the stat said, so a file that grew does not look complete; then reads
  // grow with what came, so a small file costs one small read to see its end.
  let ask = Math.max(MIN_READ, hint + 1);
  while (total < limit) {
    const buf = Buffer.allocUnsafe(Math.min(ask, limit - total));
    const { bytesRead } = await handle.read(buf, 0, buf.length, total);
    if (bytesRead === 0) break;
    chunks.push(buf.subarray(0, bytesRead));
    total += bytesRead;
    ask = Math.min(CHUNK, Math.max(MIN_READ, total));
  }
  return Buffer.concat(chunks, total);
}

/** FILE001 for an over-size file named explicitly or whose first bytes look like ours; otherwise nothing. */
function probe(head: Buffer, w: Wanted, key: string, size: number, o: Required<LoadOptions>): SourceFile | undefined {
  const p = SourceFile.fromBytes(key, head);
  const ours = /\.(ps1|psm1|json|csv|evtx)$/i.test(w.path) || (!p.binary && (sniffRoot(p.text) || /^\ufeff?\s*Log Name:/.test(p.text)));
  if (w.named || ours) return SourceFile.skipped(key, size, o.maxFileSize);
  return undefined;
}

async function realPath(p: string): Promise<string | undefined> {
  try {
    return await fs.realpath(p);
  } catch {
    return undefined;
  }
}

/** Why a path cannot be stat'ed, telling a dangling link apart from a missing file. */
async function whyNoStat(p: string, e: unknown): Promise<string> {
  if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
    try {
      if ((await fs.lstat(p)).isSymbolicLink()) return `a dangling link: its target ${await fs.readlink(p)} does not exist`;
    } catch {
      // Not there at all.
    }
  }
  return describeError(e);
}

function kindOf(stat: Stats): string {
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isDirectory()) return 'a folder';
  return 'an unknown kind of file';
}

function describeError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err.code) {
    case 'ENOENT':
      return 'no such file or folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a folder';
    case 'ELOOP':
      return 'a link loop: too many levels of links';
    default:
      return err.message ?? String(e);
  }
}
