import { pushAt } from '../collections';
import { performance } from 'node:perf_hooks';
import { Diagnostic } from 'vscode-languageserver';
import { Finding } from '../rules/finding';
import { internalError } from '../rules/internal';
import { Analysis, AnalysisOptions, analyzeInputs } from '../workspace/analyze';
import { Input } from '../readers/registry';
import { toDiagnostic } from './convert';
import { WorkspaceFiles } from './files';
import { StatusParams } from './protocol';

export interface ValidationHost {
  files: WorkspaceFiles;
  options(): AnalysisOptions;
  relatedInformation(): boolean;
  publish(uri: string, version: number | null, diagnostics: Diagnostic[]): void;
  status(params: StatusParams): void;
  error(message: string): void;
}

/**
 * Validates the whole workspace as one deployment: a debounce after each change, work for
 * text that has since changed dropped at the next file boundary, and only the diagnostics
 * that changed sent again. Diagnostics are pushed, so every client gets them, pull or not.
 */
export class Validation {
  analysis?: Analysis;
  private generation = 0;
  /** Cancels the validation waiting for its debounce, if any. */
  private pending?: () => void;
  private running?: Promise<void>;
  /** Last JSON published per URI, to skip unchanged ones and clear emptied ones. */
  private readonly published = new Map<string, string>();

  constructor(
    private readonly host: ValidationHost,
    private readonly debounceMs: number,
  ) {}

  /** Something changed: validate after the debounce; older work in progress becomes stale. */
  schedule(delay = this.debounceMs): void {
    this.generation++;
    this.pending?.();
    // setTimeout(0) still waits a millisecond or more; an immediate runs right after pending I/O.
    if (delay === 0) {
      const handle = setImmediate(() => void this.run());
      this.pending = () => clearImmediate(handle);
    } else {
      const handle = setTimeout(() => void this.run(), delay);
      this.pending = () => clearTimeout(handle);
    }
  }

  /** The analysis of the text as it is now: a waiting validation runs at once. */
  async current(): Promise<Analysis | undefined> {
    for (;;) {
      if (this.pending) {
        this.pending();
        void this.run();
      }
      if (!this.running) return this.analysis;
      await this.running;
    }
  }

  dispose(): void {
    this.pending?.();
    this.pending = undefined;
    this.generation++;
  }

  private run(): Promise<void> {
    this.pending = undefined;
    const generation = this.generation;
    const p = this.validate(generation)
      .catch((e: unknown) => this.failed(e))
      .finally(() => {
        if (this.running === p) this.running = undefined;
      });
    this.running = p;
    return p;
  }

  private async validate(generation: number): Promise<void> {
    const started = performance.now();
    const { files } = this.host;
    const inputs: Input[] = [];
    for (const file of files.current()) {
      const { input, fresh } = files.input(file);
      inputs.push(input);
      if (fresh) {
        // Let edits, hovers and cancellations in between files; give up if the text moved on.
        await new Promise((resolve) => setImmediate(resolve));
        if (generation !== this.generation) return;
      }
    }
    const analysis = analyzeInputs(inputs, this.host.options());
    this.analysis = analysis;
    this.publishAll(analysis.findings);
    this.host.status({
      inputs: inputs.length,
      entries: analysis.kst.entries.length,
      conflicts: analysis.kst.conflicts.length,
      errors: analysis.findings.filter((f) => f.severity === 'error').length,
      validatedAt: new Date().toISOString(),
      durationMs: Math.round((performance.now() - started) * 10) / 10,
    });
  }

  /**
   * The validation itself failed (a bug outside any one rule, which analyze isolates): the
   * diagnostics shown so far may be wrong now, so each file that had some gets one INT001
   * instead of silently keeping them.
   */
  private failed(e: unknown): void {
    this.host.error(`Validation failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    const findings: Finding[] = [];
    for (const uri of this.published.keys()) {
      const file = this.host.files.get(uri);
      if (file) findings.push(internalError(file, 'validating the workspace; the diagnostics shown before may be out of date', e));
    }
    this.publishAll(findings);
  }

  private publishAll(findings: Finding[]): void {
    const related = this.host.relatedInformation();
    const byUri = new Map<string, Diagnostic[]>();
    for (const f of findings) {
      const uri = f.span.file.path;
      pushAt(byUri, uri, toDiagnostic(f, related));
    }
    for (const uri of this.published.keys()) if (!byUri.has(uri)) byUri.set(uri, []);
    for (const [uri, diagnostics] of byUri) {
      const json = JSON.stringify(diagnostics);
      if (this.published.get(uri) === json) continue;
      if (diagnostics.length === 0) this.published.delete(uri);
      else this.published.set(uri, json);
      this.host.publish(uri, this.host.files.versionOf(uri), diagnostics);
    }
  }
}
