import { performance } from 'node:perf_hooks';
import { Input } from '../../readers/registry';
import { Analysis, AnalysisOptions, analyzeInputs, Superseded } from '../../workspace/analyze';
import { WorkspaceFiles } from './files';

export interface ValidationHost {
  files: WorkspaceFiles;
  options(): AnalysisOptions;
  /** The newest change the main thread has sent, received here or not yet. */
  latest(): number;
  /** The newest change received here. */
  received(): number;
  analysed(analysis: Analysis, seq: number, durationMs: number): void;
  failed(e: unknown, seq: number): void;
}

/**
 * Validates the whole workspace as one deployment, on the analysis thread: a debounce after
 * each change, then one analysis of the texts as received. An analysis for text that has since
 * changed stops at the next file read or group of rules (the main thread's change counter tells),
 * and the next change starts a new one.
 */
export class Validation {
  analysis?: Analysis;
  private pending?: () => void;
  private running = false;
  /** A run was asked for while one was going on: start another when it ends. */
  private again = false;

  constructor(
    private readonly host: ValidationHost,
    private readonly debounceMs: number,
  ) {}

  /** Something changed: validate after the debounce (or at once). */
  schedule(delay = this.debounceMs): void {
    this.pending?.();
    // setTimeout(0) still waits a millisecond or more; an immediate runs right after pending messages.
    if (delay === 0) {
      const handle = setImmediate(() => void this.run());
      this.pending = () => clearImmediate(handle);
    } else {
      const handle = setTimeout(() => void this.run(), delay);
      this.pending = () => clearTimeout(handle);
    }
  }

  dispose(): void {
    this.pending?.();
    this.pending = undefined;
  }

  private async run(): Promise<void> {
    this.pending = undefined;
    // One at a time: a run in progress sees that it is superseded, and the next starts when it ends.
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    const seq = this.host.received();
    try {
      await this.validate(seq);
    } catch (e) {
      if (!(e instanceof Superseded)) this.host.failed(e, seq);
    } finally {
      this.running = false;
      if (this.again) {
        this.again = false;
        this.schedule(0);
      }
    }
  }

  private async validate(seq: number): Promise<void> {
    const started = performance.now();
    const stale = () => this.host.latest() > seq;
    const inputs: Input[] = [];
    for (const file of this.host.files.current()) {
      // A file not read yet costs a parse: none for a text that has already moved on.
      if (!this.host.files.isRead(file) && stale()) return;
      const { input, fresh } = this.host.files.input(file);
      inputs.push(input);
      if (fresh) {
        // Let newer changes in between files; give up if the text moved on.
        await new Promise((resolve) => setImmediate(resolve));
        if (stale() || this.host.received() !== seq) return;
      }
    }
    const analysis = analyzeInputs(inputs, this.host.options(), stale);
    this.analysis = analysis;
    this.host.analysed(analysis, seq, Math.round((performance.now() - started) * 10) / 10);
  }
}
