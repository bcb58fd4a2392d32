import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { SourceFile } from '../text/source';

/** One file a fix changes. */
export interface PlannedWrite {
  /** The file as read, with `.disk`. */
  file: SourceFile;
  /** The new content. */
  bytes: Buffer;
}

export interface WriteOutcome {
  /** Keys of the files now holding their new content. */
  written: string[];
  failed?: { key: string; why: string };
}

/** A write checked against the disk: where it goes, what is there now, and what it owns. */
interface Checked {
  key: string;
  realPath: string;
  mode: number;
  bytes: Buffer;
  /** The current content, to put back should a later rename fail. */
  original: Buffer;
  uid: number;
  gid: number;
}

/**
 * Writes every file or none. A fix often spans files (Option 1 renames a pool in the topology
 * and in the script), and half of it on disk is worse than none. Each new content goes to a
 * temporary file beside its target first; only when all are written are they renamed over the
 * targets, which is atomic per file. A rename failing midway puts the earlier files back.
 * Each file is checked against the digest it was read with first; one changed between that
 * check and the rename (the time the temporaries take to write) would still be overwritten.
 */
export async function writeAll(writes: PlannedWrite[]): Promise<WriteOutcome> {
  const checked: Checked[] = [];
  for (const w of writes) {
    const c = await check(w, checked);
    if (typeof c === 'string') return { written: [], failed: { key: w.file.path, why: c } };
    checked.push(c);
  }

  const temporaries: string[] = [];
  try {
    for (const c of checked) {
      // Listed before it exists, so the cleanup below removes it whatever step fails.
      const tmp = temporaryBeside(c.realPath);
      temporaries.push(tmp);
      try {
        await writeNew(tmp, c.bytes, c);
      } catch (e) {
        return { written: [], failed: { key: c.key, why: `cannot write a temporary file beside it: ${message(e)}` } };
      }
    }
    const renamed: Checked[] = [];
    for (const [i, c] of checked.entries()) {
      try {
        // Over the real path, not the path it was found by: a link keeps pointing at the fixed file.
        await fs.rename(temporaries[i], c.realPath);
        renamed.push(c);
      } catch (e) {
        const why = `cannot replace it: ${message(e)}`;
        const stuck = await putBack(renamed);
        if (stuck.length === 0) return { written: [], failed: { key: c.key, why: `${why}; nothing was changed` } };
        return {
          written: stuck.map((s) => s.c.key),
          failed: { key: c.key, why: `${why}; could not put back ${stuck.map((s) => `${s.c.key} (${s.why})`).join(', ')}` },
        };
      }
    }
    await Promise.all([...new Set(checked.map((c) => path.dirname(c.realPath)))].map(syncFolder));
    return { written: checked.map((c) => c.key) };
  } finally {
    // After a successful rename the temporary is gone already; force ignores that.
    await Promise.all(temporaries.map((t) => fs.rm(t, { force: true }).catch(() => undefined)));
  }
}

/** The write checked against the disk, or why it must not happen. */
async function check(w: PlannedWrite, earlier: Checked[]): Promise<Checked | string> {
  const disk = w.file.disk;
  if (!disk) return 'not read from disk, so there is nothing to check it against';
  if (earlier.some((c) => c.realPath === disk.realPath)) return `written twice in one fix (${disk.realPath})`;
  const changed = 'changed on disk since it was read; run again';
  let original: Buffer;
  let uid: number;
  let gid: number;
  try {
    const stat = await fs.lstat(disk.realPath);
    // The real path was a regular file when read; anything else now means it changed.
    if (!stat.isFile()) return changed;
    ({ uid, gid } = stat);
    original = await fs.readFile(disk.realPath);
  } catch (e) {
    return `${changed} (${message(e)})`;
  }
  if (createHash('sha256').update(original).digest('hex') !== disk.sha256) return changed;
  return { key: w.file.path, realPath: disk.realPath, mode: disk.mode & 0o7777, bytes: w.bytes, original, uid, gid };
}

/** A temporary in the folder of `target`: the same file system, so renaming it over the target is atomic. */
function temporaryBeside(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.lync-kst-${randomBytes(6).toString('hex')}.tmp`);
}

/** Writes `bytes` to the new file `tmp` with the target's mode and owner, flushed to disk. */
async function writeNew(tmp: string, bytes: Buffer, c: Pick<Checked, 'mode' | 'uid' | 'gid'>): Promise<void> {
  // 'wx': never reuse a file someone else put there.
  const handle = await fs.open(tmp, 'wx', c.mode);
  try {
    await handle.writeFile(bytes);
    await handle.chmod(c.mode); // the umask applied at open may have dropped bits
    try {
      await handle.chown(c.uid, c.gid);
    } catch (e) {
      // Only root may give a file away; then the owner becomes whoever runs the fix.
      if ((e as NodeJS.ErrnoException).code !== 'EPERM') throw e;
    }
    // On disk before the rename, so a crash leaves the old file or the new one, never an empty one.
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Puts back the original bytes of files already replaced, the same way. Returns those it could not. */
async function putBack(renamed: Checked[]): Promise<{ c: Checked; why: string }[]> {
  const stuck: { c: Checked; why: string }[] = [];
  for (const c of renamed) {
    const tmp = temporaryBeside(c.realPath);
    try {
      await writeNew(tmp, c.original, c);
      await fs.rename(tmp, c.realPath);
    } catch (e) {
      await fs.rm(tmp, { force: true }).catch(() => undefined);
      stuck.push({ c, why: message(e) });
    }
  }
  return stuck;
}

/** Makes the renames durable: a folder's entries are flushed with the folder. Best effort (not possible on Windows). */
async function syncFolder(dir: string): Promise<void> {
  try {
    const handle = await fs.open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // The files are renamed; only durability across a power cut is weaker.
  }
}

function message(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err.code) {
    case 'ENOENT':
      return 'no such file or folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    default:
      return err.message ?? String(e);
  }
}
