import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { DiffAgainst, DiffResult } from '../protocol';
import { ResolvedFix, Snapshot } from '../snapshot';
import { NavQuery } from './navigate';
import { FromEngine, ToEngine } from './messages';

type Init = Extract<ToEngine, { t: 'init' }>;
/** A message that changes what is analysed, before it is numbered. */
type Change = ToEngine extends infer M ? (M extends { seq: number } ? Omit<M, 'seq'> : never) : never;

export interface EngineEvents {
  snapshot(snapshot: Snapshot, previous: Snapshot | undefined): void;
  log(error: boolean, message: string): void;
  indexing(state: 'begin' | 'end', files?: number): void;
  /** The analysis thread stopped (a crash, memory): it is started again with `replay`'s messages. */
  restarted(reason: string): void;
}

/**
 * The main thread's side of the analysis thread (engine/worker.ts): numbers every change, keeps
 * the newest snapshot for the request handlers, and lets a request wait for the analysis of the
 * text as it is now when it must. If the thread dies it is started again from the current state.
 */
export class EngineHost {
  snapshot?: Snapshot;
  private worker!: Worker;
  private readonly cancel = new SharedArrayBuffer(4);
  private seq = 0;
  private waiters: { seq: number; resolve: (s: Snapshot) => void }[] = [];
  /** Requests the analysis thread answers by id (a fix's edits, a comparison). */
  private readonly pending = new Map<number, (r: { problem: string } | never) => void>();
  private nextId = 0;
  private disposed = false;
  private init?: Omit<Init, 't' | 'cancel'>;

  constructor(
    private readonly events: EngineEvents,
    /** The messages that bring a new analysis thread to the current state (the open documents), after `init`. */
    private readonly replay: () => Change[],
    private readonly script = path.join(__dirname, 'worker.js'),
  ) {}

  start(init: Omit<Init, 't' | 'cancel'>): void {
    this.init = init;
    this.spawn();
  }

  /** Sends a change; an analysis of older text stops as soon as it looks. */
  send(change: Change): void {
    // A new analysis thread starts from the folders and settings as they are now.
    if (this.init && change.t === 'config') this.init = { ...this.init, config: change.config };
    if (this.init && change.t === 'folders') this.init = { ...this.init, folders: change.folders };
    this.seq++;
    Atomics.store(new Int32Array(this.cancel), 0, this.seq);
    this.worker.postMessage({ ...change, seq: this.seq } as ToEngine);
  }

  /** The snapshot of everything sent so far (waits for the analysis in progress or due). */
  current(): Promise<Snapshot> {
    if (this.snapshot && this.snapshot.seq >= this.seq) return Promise.resolve(this.snapshot);
    return new Promise((resolve) => this.waiters.push({ seq: this.seq, resolve }));
  }

  /** A fix's edits, made and checked on the analysis thread. */
  resolve(fix: string, documentChanges: boolean): Promise<ResolvedFix | { problem: string }> {
    return this.request((id) => ({ t: 'resolve', id, fix, documentChanges }));
  }

  /** What the workspace's Known Servers Table was with another text for one file (another file's, or git's). */
  diff(uri: string, against: DiffAgainst): Promise<DiffResult | { problem: string }> {
    return this.request((id) => ({ t: 'diff', id, uri, against }));
  }

  /** A navigation request (outline, definition, rename, …) answered from the latest analysis. */
  async query(query: NavQuery, showTable: string, documentChanges: boolean): Promise<unknown> {
    const r = await this.request<string>((id) => ({ t: 'query', id, query, showTable, documentChanges }));
    return typeof r === 'string' ? JSON.parse(r) : r;
  }

  private request<R>(message: (id: number) => ToEngine): Promise<R | { problem: string }> {
    const id = ++this.nextId;
    return new Promise((resolve) => {
      this.pending.set(id, resolve as (r: unknown) => void);
      this.worker.postMessage(message(id));
    });
  }

  dispose(): Promise<number> {
    this.disposed = true;
    return this.worker.terminate();
  }

  private spawn(): void {
    const init = this.init;
    if (!init) return;
    this.worker = new Worker(this.script);
    this.worker.on('message', (m: FromEngine) => this.receive(m));
    this.worker.on('error', (e) => this.events.log(true, `Analysis thread failed: ${e.stack ?? e.message}`));
    this.worker.on('exit', (code) => {
      if (this.disposed) return;
      for (const [, resolve] of this.pending) resolve({ problem: 'the analysis thread stopped; ask again' });
      this.pending.clear();
      this.events.restarted(`exit code ${code}`);
      this.spawn();
    });
    this.worker.postMessage({ t: 'init', ...init, cancel: this.cancel } satisfies ToEngine);
    for (const m of this.replay()) this.send(m);
  }

  private receive(m: FromEngine): void {
    switch (m.t) {
      case 'snapshot': {
        const previous = this.snapshot;
        this.snapshot = m.snapshot;
        this.events.snapshot(m.snapshot, previous);
        const ready = this.waiters.filter((w) => w.seq <= m.snapshot.seq);
        this.waiters = this.waiters.filter((w) => w.seq > m.snapshot.seq);
        for (const w of ready) w.resolve(m.snapshot);
        return;
      }
      case 'resolved':
      case 'diffed':
      case 'answered':
        (this.pending.get(m.id) as ((r: unknown) => void) | undefined)?.(m.result);
        this.pending.delete(m.id);
        return;
      case 'log':
        return this.events.log(m.error, m.message);
      case 'indexing':
        return this.events.indexing(m.state, m.files);
    }
  }
}
