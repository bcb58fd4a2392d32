import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import * as path from 'node:path';
import { SourceFile } from '../text/source';
import { hasCandidateName } from './load';

/** git, run in `dir`; throws with git's stderr when it refuses (not a repository, no such revision). */
function gitIn(dir: string, ...args: string[]): Buffer {
  return execFileSync('git', ['-C', dir, ...args], { maxBuffer: 1 << 30, stdio: 'pipe' });
}

/** One file's bytes at revision `rev` of its repository. */
export function fileAtRevision(fsPath: string, rev: string): Buffer {
  return gitIn(path.dirname(fsPath), 'show', `${rev}:./${path.basename(fsPath)}`);
}

/** The candidate files under `paths` as revision `rev` has them (keys as the working tree's, with @rev). */
export function filesAt(rev: string, paths: string[]): SourceFile[] {
  const out: SourceFile[] = [];
  for (const p of paths) {
    const dir = statSync(p, { throwIfNoEntry: false })?.isFile() ? path.dirname(path.resolve(p)) : path.resolve(p);
    const top = gitIn(dir, 'rev-parse', '--show-toplevel').toString().trim();
    const listed = gitIn(dir, 'ls-tree', '-r', '-z', '--name-only', '--full-tree', rev, '--', path.relative(top, path.resolve(p)) || '.');
    for (const name of listed.toString().split('\0').filter(hasCandidateName)) {
      const shown = path.relative(process.cwd(), path.join(top, name)).split(path.sep).join('/');
      out.push(SourceFile.fromBytes(`${shown}@${rev}`, gitIn(top, 'show', `${rev}:${name}`)));
    }
  }
  return out;
}
