import { parseArgs } from 'node:util';
import { encode } from '../text/encoding';
import { SourceFile } from '../text/source';
import * as path from 'node:path';
import { analyze, Analysis, AnalysisOptions, DEFAULT_ASSUMED_VERSION } from '../workspace/analyze';
import { analysisOptions, findConfigFile, globMatcher, layered, readConfigFile } from '../workspace/config';
import { isInput } from '../readers/registry';
import { DEFAULT_MAX_FILE_SIZE, loadPaths } from '../workspace/load';
import { PlannedWrite, writeAll } from '../workspace/write';
import { runDiff } from './diff';
import { planFixes } from './fix';
import { kstReport } from '../simulate/report';
import { VERSION } from '../version';
import { jsonReport, sarifReport, summary, textReport } from './report';

const COMMON = `
Paths are files or folders (default: the current folder). Files are recognised by content:
published topologies (Get-CsTopology -AsXml), Topology Builder .tbxml, Exchange UM dial plans
(*.umdialplans.json, Get-UMDialPlan | Export-Clixml), trusted-application exports
(Get-CsTrustedApplicationPool, -Application, -Computer | Export-Clixml) and PowerShell scripts (.ps1).

The configuration is the nearest lync-kst.json at or above the first path (rules, assumedVersion,
maxFileSize, files.include and files.exclude, relative to its folder); options below override it.

Options:
  --config <file>          use this lync-kst.json instead
  --max-file-size <MB>     skip larger files with FILE001 (default ${DEFAULT_MAX_FILE_SIZE / 1024 / 1024})
  --assume-version <n>     KST version where a topology gives no ServiceVersion (default ${DEFAULT_ASSUMED_VERSION})
  -h, --help               this help`;

const HELP: Record<string, string> = {
  main: `lync-kst ${VERSION}: simulate the Lync / Skype for Business Known Servers Table and find conflicts

Usage: lync-kst <command> [options] [paths...]

Commands:
  check   report every finding (exit 1 if any is an error)
  kst     print the simulated Known Servers Table and the start-up event sequence
  fix     apply the preferred fixes in place
  diff    what publishing a change does to the Known Servers Table (exit 1 if it adds a conflict)

Run "lync-kst <command> --help" for a command's options.`,
  check: `Usage: lync-kst check [--format text|json|sarif] [paths...]

Prints "file:line:col severity CODE message" for every finding and a summary.
Exit code: 0 when nothing of error severity was found, 1 when something was (a
file named here that is not an input, or cannot be read, is an error too), 2 for
a usage error or when every path given was skipped (nothing to check).

  --format <f>             text (default), json or sarif${COMMON}`,
  kst: `Usage: lync-kst kst [--restart] [paths...]

Prints the simulated Known Servers Table (FQDN, version, product, state, origin, location)
and the events RTCSRV and Exchange UM Routing would log at start-up.

  --restart                add the sequence after an RTCSRV restart (Option 2)${COMMON}`,
  diff: `Usage: lync-kst diff [--format text|json] OLD NEW
       lync-kst diff [--format text|json] --git REV [paths...]

Compares the Known Servers Table of two states of a workspace: servers added, removed and
re-versioned, conflicts that appear and disappear, and the events a Front End would log
after Publish-CsTopology and Enable-CsTopology (14493, 14495, 14563). OLD and NEW are files
or folders; a side given as one file stands for the files of its kind, and takes the rest
from the other side (the backup Publish-CsTopology leaves in %temp% against the workspace).
With --git, OLD is the same paths at revision REV of their git repository.
Exit code: 1 when the change adds a conflict, 0 otherwise, 2 for a usage error.

  --format <f>             text (default) or json
  --git <rev>              compare with this git revision (HEAD, a tag, a commit)${COMMON}`,
  fix: `Usage: lync-kst fix [paths...]

Applies the preferred fix of every finding in place (Option 1 for KST001 on a trusted
application pool, KST003 restore, FQDN002, TAP001), keeping each file's encoding and line
endings. Never writes a file it could not fully parse. Prints what it changed.${COMMON}`,
};

class UsageError extends Error {}

export async function main(argv: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  try {
    return await run(argv, out, err);
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      err(`lync-kst: ${(e as Error).message}\nRun "lync-kst --help" for usage.\n`);
      return 2;
    }
    throw e;
  }
}

async function run(argv: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help') {
    out(HELP.main + '\n');
    return command === undefined ? 2 : 0;
  }
  if (command === '--version') {
    out(VERSION + '\n');
    return 0;
  }
  if (!(command in HELP) || command === 'main') throw new UsageError(`unknown command "${command}"`);

  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    strict: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      format: { type: 'string' },
      restart: { type: 'boolean' },
      'max-file-size': { type: 'string' },
      'assume-version': { type: 'string' },
      config: { type: 'string' },
      git: { type: 'string' },
    },
  });
  if (values.help) {
    out(HELP[command] + '\n');
    return 0;
  }
  const format = values.format ?? 'text';
  if (values.format !== undefined && command !== 'check' && command !== 'diff')
    throw new UsageError(`--format is an option of "check" and "diff", not "${command}"`);
  if (!['text', 'json', 'sarif'].includes(format) || (command === 'diff' && format === 'sarif'))
    throw new UsageError(`--format must be text, json${command === 'diff' ? '' : ' or sarif'}, not "${format}"`);
  if (values.git !== undefined && command !== 'diff') throw new UsageError(`--git is an option of "diff", not "${command}"`);
  if (command === 'diff' && values.git === undefined && positionals.length !== 2)
    throw new UsageError('diff compares two paths: lync-kst diff OLD NEW, or lync-kst diff --git REV [paths...]');
  if (values.restart && command !== 'kst') throw new UsageError(`--restart is an option of "kst", not "${command}"`);
  const paths = positionals.length ? positionals : ['.'];
  const found =
    values.config !== undefined
      ? await readConfigFile(path.dirname(values.config), path.basename(values.config))
      : await findConfigFile(paths[0]);
  if (values.config !== undefined && !found) throw new UsageError(`--config: ${values.config} does not exist`);
  if (found?.problems.length) throw new UsageError(`${found.path}: ${found.problems.join('; ')}`);
  const config = layered(found?.config ?? {});
  const maxMb = values['max-file-size'] === undefined ? config.maxFileSize : Number(values['max-file-size']);
  if (!(maxMb > 0)) throw new UsageError(`--max-file-size takes a number of megabytes, not "${values['max-file-size']}"`);
  const assumed = values['assume-version'] === undefined ? config.assumedVersion : Number(values['assume-version']);
  if (!Number.isInteger(assumed) || assumed < 0)
    throw new UsageError(`--assume-version takes a KST version number (5, 6, 7 ...), not "${values['assume-version']}"`);

  // Globs are relative to the folder of the configuration that names them.
  const base = found ? path.dirname(found.path) : process.cwd();
  const relative = (p: string) => path.relative(base, path.resolve(p)).split(path.sep).join('/');
  const include = globMatcher(config.files.include);
  const exclude = globMatcher(config.files.exclude);
  const load = async (from: string[]): Promise<SourceFile[]> => {
    const loaded = await loadPaths(from, {
      maxFileSize: Math.round(maxMb * 1024 * 1024),
      include: (p) => include(relative(p)),
      exclude: (p) => exclude(relative(p)),
    });
    for (const e of loaded.errors) err(`lync-kst: cannot read ${e.path}: ${e.message}\n`);
    // A path that cannot be read is a finding too (FILE004), so no report can pass over it.
    return [...loaded.files, ...loaded.errors.map((e) => SourceFile.unreadableFile(e.path, e.message))];
  };
  const options: AnalysisOptions = { ...analysisOptions(config), assumedVersion: assumed };
  if (command === 'diff') return runDiff({ positionals, git: values.git, format, load, options, out, err });
  const files = await load(paths);
  const analysis = analyze(files, options);
  if (!analysis.inputs.some(isInput)) {
    err('lync-kst: nothing to check: no topology, dial plan or trusted-application script was read from the paths given.\n');
    if (command === 'check') out(report(format, analysis));
    return 2;
  }

  if (command === 'kst') {
    out(kstReport(analysis, values.restart === true));
    return 0;
  }
  if (command === 'check') {
    out(report(format, analysis));
    return exitCode(analysis);
  }

  const plan = planFixes(files, options);
  const writes: PlannedWrite[] = [];
  for (const [file, next] of plan.files) {
    // Verified when the fix was checked; a second look costs little and guards the write itself.
    const bytes = encode(next.text, next.encoding);
    if (!bytes) {
      out(`Nothing was written: ${file.path} cannot be written in its encoding.\n`);
      return exitCode(analysis);
    }
    writes.push({ file, bytes });
  }
  const written = await writeAll(writes);
  if (written.failed) {
    out(`Nothing was written: ${written.failed.key}: ${written.failed.why}.\n`);
    return exitCode(analysis);
  }
  for (const f of plan.applied) out(`fixed ${f.code}: ${f.summary}\n`);
  for (const s of plan.skipped) out(`not fixed ${s.fix.code}: ${s.fix.title}: ${s.why}\n`);
  if (plan.applied.length === 0) out('Nothing to fix.\n');
  out(`After fixing: ${summary(plan.after.findings, plan.after.inputs.filter(isInput).length)}\n`);
  return exitCode(plan.after);

  function report(f: string, a: Analysis): string {
    return f === 'json'
      ? jsonReport(a.findings)
      : f === 'sarif'
        ? sarifReport(a.findings, VERSION)
        : textReport(a.findings, a.inputs.filter(isInput).length);
  }
}

function exitCode(a: Analysis): number {
  return a.findings.some((f) => f.severity === 'error') ? 1 : 0;
}

if (require.main === module) {
  // `lync-kst check | head -1`: once the reader is gone, further output is dropped quietly and
  // the exit code still says what was found.
  const gone = new Set<NodeJS.WriteStream>();
  const writer = (stream: NodeJS.WriteStream) => {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
      gone.add(stream);
    });
    return (s: string) => {
      if (!gone.has(stream)) stream.write(s);
    };
  };
  main(process.argv.slice(2), writer(process.stdout), writer(process.stderr)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`lync-kst: internal error: ${e instanceof Error ? e.stack : String(e)}\n`);
      process.exitCode = 3;
    },
  );
}
