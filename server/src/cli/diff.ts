import { statSync } from 'node:fs';
import { Input, isInput, readInput } from '../readers/registry';
import { diffJson, diffKst, diffReport } from '../simulate/diff';
import { SourceFile } from '../text/source';
import { AnalysisOptions, analyzeInputs } from '../workspace/analyze';
import { filesAt } from '../workspace/git';

export interface DiffRequest {
  positionals: string[];
  git?: string;
  format: string;
  load: (paths: string[]) => Promise<SourceFile[]>;
  options: AnalysisOptions;
  out: (s: string) => void;
  err: (s: string) => void;
}

/** `lync-kst diff`: exit 1 when the change adds a conflict. */
export async function runDiff(r: DiffRequest): Promise<number> {
  let before: Input[];
  let after: Input[];
  let names: [string, string];
  if (r.git !== undefined) {
    const paths = r.positionals.length ? r.positionals : ['.'];
    after = (await r.load(paths)).map(readInput);
    try {
      before = filesAt(r.git, paths).map(readInput);
    } catch (e) {
      const stderr = (e as { stderr?: Buffer }).stderr?.toString().trim();
      r.err(`lync-kst: git cannot give ${paths.join(' ')} at ${r.git}: ${stderr || (e as Error).message}\n`);
      return 2;
    }
    names = [`${paths.join(' ')} at ${r.git}`, paths.join(' ')];
  } else {
    const [oldPath, newPath] = r.positionals;
    const [oldInputs, newInputs] = [(await r.load([oldPath])).map(readInput), (await r.load([newPath])).map(readInput)];
    before = isFile(oldPath) ? standIn(oldInputs, newInputs) : oldInputs;
    after = isFile(newPath) ? standIn(newInputs, oldInputs) : newInputs;
    names = [oldPath, newPath];
  }
  const d = diffKst(analyzeInputs(before, r.options).kst, analyzeInputs(after, r.options).kst);
  r.out(r.format === 'json' ? diffJson(d) : diffReport(d, ...names));
  return d.conflictsAppear.length > 0 ? 1 : 0;
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** One file standing for its kind: with the other side's inputs of every kind it is not. */
function standIn(file: Input[], other: Input[]): Input[] {
  const kinds = new Set(file.filter(isInput).map((i) => i.kind));
  return [...file, ...other.filter((i) => isInput(i) && !kinds.has(i.kind))];
}
