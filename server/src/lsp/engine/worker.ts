import { existsSync, FSWatcher, watch } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { parentPort } from 'node:worker_threads';
import { Diagnostic } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import { brokenFiles, fixProblem } from '../../fixes/check';
import { internalError } from '../../rules/internal';
import { Analysis, analyzeInputs } from '../../workspace/analyze';
import { readInput } from '../../readers/registry';
import { diffKst, diffReport } from '../../simulate/diff';
import { SourceFile } from '../../text/source';
import { fileAtRevision } from '../../workspace/git';
import { DiffAgainst, DiffResult } from '../protocol';
import { answer } from './navigate';
import { analysisOptions, Config, DEFAULT_CONFIG } from '../../workspace/config';
import { PositionEncoding } from '../positions';
import { buildSnapshot, ranges, resolveFix, Snapshot } from '../snapshot';
import { toDiagnostic } from '../convert';
import { WorkspaceFiles } from './files';
import { FromEngine, ToEngine } from './messages';
import { Validation } from './validation';

/**
 * The analysis thread: the workspace model (files on disk overlaid by the client's open
 * documents), the validation, and the fixes' edits. The main thread answers requests from the
 * snapshots this thread posts after each analysis, so a long analysis never keeps a hover waiting.
 */
export class Engine {
  private readonly files = new WorkspaceFiles();
  private validation!: Validation;
  private config: Config = DEFAULT_CONFIG;
  private encoding: PositionEncoding = 'utf-16';
  private relatedInformation = false;
  private cancel = new Int32Array(new SharedArrayBuffer(4));
  private seq = 0;
  private scanned: Promise<void> = Promise.resolve();
  private firstPublished = false;
  private watchers: FSWatcher[] = [];
  private watch = false;
  /** Files whose diagnostics the last snapshot had: a failed validation replaces them with INT001, never leaves them standing. */
  private shown = new Set<string>();

  constructor(private readonly post: (m: FromEngine) => void) {}

  /** No change newer than `seq` has been sent: after this analysis the thread is idle. */
  isLatest(seq: number): boolean {
    return Atomics.load(this.cancel, 0) <= seq;
  }

  async receive(m: ToEngine): Promise<void> {
    try {
      await this.apply(m);
    } finally {
      // Counted once applied: an analysis started before then is not current for it.
      if ('seq' in m) this.seq = Math.max(this.seq, m.seq);
    }
  }

  private async apply(m: ToEngine): Promise<void> {
    switch (m.t) {
      case 'init':
        this.cancel = new Int32Array(m.cancel);
        this.encoding = m.encoding;
        this.relatedInformation = m.relatedInformation;
        this.watch = m.watch;
        this.validation = new Validation(
          {
            files: this.files,
            options: () => analysisOptions(this.config),
            latest: () => Atomics.load(this.cancel, 0),
            received: () => this.seq,
            analysed: (a, seq, ms) => this.analysed(a, seq, ms),
            failed: (e, seq) => this.failed(e, seq),
          },
          m.debounceMs,
        );
        this.files.setFolders(m.folders);
        this.files.configure(m.config);
        this.config = m.config;
        this.post({ t: 'indexing', state: 'begin' });
        return this.rescan();
      case 'config': {
        const before = JSON.stringify(this.config.files) + this.config.maxFileSize;
        this.config = m.config;
        this.files.configure(m.config);
        if (JSON.stringify(m.config.files) + m.config.maxFileSize !== before) return this.rescan();
        return this.schedule(0);
      }
      case 'folders':
        this.files.setFolders(m.folders);
        return this.rescan();
      case 'open':
        this.files.setOpen(m.uri, m.text, m.version);
        return this.schedule();
      case 'open-too-large':
        this.files.setOpenTooLarge(m.uri, m.size, m.version);
        return this.schedule(0);
      case 'change':
        this.files.edit(m.uri, m.version, m.edits);
        return this.schedule();
      case 'close':
        this.files.close(m.uri);
        return this.schedule();
      case 'disk':
        await this.scanned;
        for (const c of m.changes) {
          if (c.deleted) this.files.remove(c.uri);
          else await this.files.reload(c.uri);
        }
        return this.schedule();
      case 'reload':
        await this.scanned;
        for (const uri of m.uris) await this.files.reload(uri);
        this.followWrites(m.uris);
        return this.schedule(0);
      case 'resolve':
        return this.post({ t: 'resolved', id: m.id, result: this.resolve(m.fix, m.documentChanges) });
      case 'query': {
        const analysis = this.validation.analysis;
        return this.post({ t: 'answered', id: m.id, result: analysis ? this.answered(analysis, m) : 'null' });
      }
      case 'diff':
        // The main thread asks once the analysis of everything it sent is published: `analysis` is that one.
        return this.post({ t: 'diffed', id: m.id, result: await this.diff(m.uri, m.against) });
    }
  }

  /** A new scan of the folders, then a validation; changes meanwhile wait for the scan (`schedule`). */
  private rescan(): void {
    this.scanned = this.scanned.then(async () => {
      const { files, errors } = await this.files.scan();
      this.log(false, `Indexed ${files} candidate file(s) in the workspace folders.`);
      for (const e of errors) this.log(true, `Could not read ${e}`);
      this.watchFolders();
    });
    this.schedule(0);
  }

  /** A validation once the folders are scanned: one before would miss every file on disk. */
  private schedule(delay?: number): void {
    void this.scanned.then(() => this.validation.schedule(delay));
  }

  private analysed(analysis: Analysis, seq: number, durationMs: number): void {
    const snapshot = this.snapshot(analysis, seq, durationMs);
    this.shown = new Set(snapshot.diagnostics.keys());
    this.post({ t: 'snapshot', snapshot });
    if (!this.firstPublished) {
      this.firstPublished = true;
      this.post({ t: 'indexing', state: 'end', files: analysis.inputs.length });
    }
  }

  private snapshot(analysis: Analysis, seq: number, durationMs: number): Snapshot {
    return buildSnapshot(analysis, {
      seq,
      versionOf: (k) => this.files.versionOf(k),
      encoding: this.encoding,
      relatedInformation: this.relatedInformation,
      display: (k) => this.files.display(k),
      status: {
        inputs: analysis.inputs.length,
        entries: analysis.kst.entries.length,
        conflicts: analysis.kst.conflicts.length,
        errors: analysis.findings.filter((f) => f.severity === 'error').length,
        validatedAt: new Date().toISOString(),
        durationMs,
      },
    });
  }

  /**
   * The validation itself failed (a bug outside any one rule, which analyze isolates): the
   * diagnostics shown so far may be wrong now, so each file that had some gets one INT001
   * instead of silently keeping them.
   */
  private failed(e: unknown, seq: number): void {
    this.log(true, `Validation failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    const previous = this.validation.analysis;
    if (!previous) return;
    const rangeOf = ranges(this.encoding);
    const diagnostics = new Map<string, Diagnostic[]>();
    for (const key of this.shown) {
      const file = this.files.get(key);
      if (!file) continue;
      const f = internalError(file, 'validating the workspace; the diagnostics shown before may be out of date', e);
      diagnostics.set(key, [toDiagnostic(f, this.relatedInformation, rangeOf)]);
    }
    // The last good analysis still answers hovers; its diagnostics and fixes are withdrawn.
    const snapshot = this.snapshot(previous, seq, 0);
    this.post({ t: 'snapshot', snapshot: { ...snapshot, diagnostics, fixes: new Map() } });
  }

  /** A fix's edits, made and checked now against the latest analysis (ids name the same fix across analyses). */
  private resolve(id: string, documentChanges: boolean): ReturnType<typeof resolveFix> | { problem: string } {
    const analysis = this.validation.analysis;
    const fix = analysis?.fixes.get(id);
    if (!analysis || !fix) return { problem: 'the workspace changed since; ask for the fix again' };
    const problem = fixProblem(fix, checked(analysis));
    if (problem) return { problem };
    return resolveFix(fix, {
      encoding: this.encoding,
      documentChanges,
      versionOf: (k) => this.files.versionOf(k),
      display: (k) => this.files.display(k),
    });
  }

  /**
   * A navigation answer as JSON text: an outline of a 5 MB topology is 1.4 MB, which is cloned
   * to the main thread in a quarter of the time as text. Answers that depend only on the
   * analysis (the outline, the lenses) are kept with it: editors ask for them again and again.
   */
  private answered(analysis: Analysis, m: Extract<ToEngine, { t: 'query' }>): string {
    const q = m.query;
    const key =
      q.kind === 'symbols' || q.kind === 'lenses'
        ? `${q.kind}:${q.uri}:${m.showTable}`
        : q.kind === 'kstView'
          ? `kstView:${q.restart}`
          : undefined;
    const kept = key ? answers.get(analysis)?.get(key) : undefined;
    if (kept !== undefined) return kept;
    const text = JSON.stringify(
      answer(analysis, q, {
        encoding: this.encoding,
        display: (k) => this.files.display(k),
        showTable: m.showTable,
        documentChanges: m.documentChanges,
        versionOf: (k) => this.files.versionOf(k),
      }) ?? null,
    );
    if (key) {
      let map = answers.get(analysis);
      if (!map) answers.set(analysis, (map = new Map()));
      map.set(key, text);
    }
    return text;
  }

  /** The latest analysis against the same workspace with `uri` as the other version of it. */
  private async diff(uri: string, against: DiffAgainst): Promise<DiffResult | { problem: string }> {
    const analysis = this.validation.analysis;
    const current = analysis?.inputs.find((i) => i.file.path === uri);
    if (!analysis || !current) return { problem: `${this.files.display(uri)} is not part of the analysed workspace` };
    let bytes: Buffer;
    let label: string;
    try {
      if ('git' in against) {
        bytes = fileAtRevision(URI.parse(uri).fsPath, against.git);
        label = `${this.files.display(uri)} at ${against.git}`;
      } else {
        bytes = await readFile(URI.parse(against.uri).fsPath);
        label = this.files.display(against.uri);
      }
    } catch (e) {
      const stderr = (e as { stderr?: Buffer }).stderr?.toString().trim();
      return { problem: `the other version cannot be read: ${stderr || (e as Error).message}` };
    }
    const other = readInput(SourceFile.fromBytes(uri, bytes));
    const before = analyzeInputs(
      analysis.inputs.map((i) => (i === current ? other : i)),
      analysisOptions(this.config),
    );
    const d = diffKst(before.kst, analysis.kst);
    return { text: diffReport(d, label, this.files.display(uri), (k) => this.files.display(k)), conflictsAppear: d.conflictsAppear.length };
  }

  /** For a client that cannot watch files: the folders are watched here, and what changes is read again. */
  private watchFolders(): void {
    if (!this.watch) return;
    for (const w of this.watchers) w.close();
    this.watchers = [];
    const changed = new Set<string>();
    let timer: NodeJS.Timeout | undefined;
    for (const folder of this.files.folders().map((f) => URI.parse(f))) {
      if (folder.scheme !== 'file') continue;
      try {
        const w = watch(folder.fsPath, { recursive: true }, (_event, name) => {
          if (!name) return;
          changed.add(path.join(folder.fsPath, name.toString()));
          clearTimeout(timer);
          timer = setTimeout(() => {
            const batch = [...changed];
            changed.clear();
            void this.diskChanged(batch);
          }, 100);
        });
        w.on('error', (e) => this.log(true, `Watching ${folder.fsPath} failed: ${e.message}`));
        this.watchers.push(w);
      } catch (e) {
        this.log(true, `Cannot watch ${folder.fsPath}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }

  /**
   * Files a fix was applied to: editors apply an edit to a buffer and save it later (Neovim, eglot),
   * and not every editor reports the save, so each is watched here for a while and read again when
   * it is written.
   */
  private followWrites(uris: string[]): void {
    for (const uri of uris) {
      const u = URI.parse(uri);
      if (u.scheme !== 'file' || this.following.has(u.fsPath)) continue;
      try {
        let timer: NodeJS.Timeout | undefined;
        const w = watch(u.fsPath, () => {
          clearTimeout(timer);
          timer = setTimeout(() => void this.diskChanged([u.fsPath]), 50);
        });
        w.on('error', () => this.stopFollowing(u.fsPath));
        this.following.set(u.fsPath, w);
        setTimeout(() => this.stopFollowing(u.fsPath), FOLLOW_WRITES_MS).unref();
      } catch {
        // Gone already: the reload above has said so.
      }
    }
  }

  private stopFollowing(fsPath: string): void {
    this.following.get(fsPath)?.close();
    this.following.delete(fsPath);
  }

  private readonly following = new Map<string, FSWatcher>();

  private async diskChanged(paths: string[]): Promise<void> {
    await this.scanned;
    let any = false;
    for (const p of paths) {
      const uri = URI.file(p).toString();
      any = (existsSync(p) ? await this.files.reload(uri) : this.files.remove(uri)) || any;
    }
    if (any) this.schedule();
  }

  private log(error: boolean, message: string): void {
    this.post({ t: 'log', error, message });
  }
}

/** How long the files a fix changed are watched for the editor to save them. */
const FOLLOW_WRITES_MS = 10 * 60 * 1000;

const brokenByAnalysis = new WeakMap<Analysis, ReturnType<typeof brokenFiles>>();

const answers = new WeakMap<Analysis, Map<string, string>>();

/** The files with XML001 of an analysis, found once. */
function checked(analysis: Analysis): ReturnType<typeof brokenFiles> {
  let broken = brokenByAnalysis.get(analysis);
  if (!broken) brokenByAnalysis.set(analysis, (broken = brokenFiles(analysis.findings)));
  return broken;
}

/**
 * A full collection once a snapshot is posted and no newer change is waiting: each analysis
 * leaves the previous one's document trees as garbage, and V8 left alone lets the heap grow to
 * 2-3 times the live set before it collects (787 MB peak over 50 edits of a 5 MB workspace, 359 MB
 * with this; measured in `npm run bench`). The diagnostics are already on their way, so the pause
 * delays no one.
 */
function garbageCollector(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

if (parentPort) {
  const port = parentPort;
  const collect = garbageCollector();
  const engine = new Engine((m) => {
    port.postMessage(m);
    // Not while edits keep coming: the next analysis would wait for the collection.
    if (m.t === 'snapshot') setImmediate(() => engine.isLatest(m.snapshot.seq) && collect());
  });
  // One message at a time, in order: a change must not overtake the open it belongs to.
  let queue: Promise<void> = Promise.resolve();
  port.on('message', (m: ToEngine) => {
    queue = queue
      .then(() => engine.receive(m))
      .catch((e: unknown) => {
        port.postMessage({ t: 'log', error: true, message: `Engine: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}` });
      });
  });
}
