import {
  ClientCapabilities,
  Connection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  Disposable,
  FileChangeType,
  InitializeResult,
  MessageType,
  ServerCapabilities,
  ShowMessageNotification,
  TextDocumentSyncKind,
  WorkDoneProgressReporter,
} from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import { VERSION } from '../version';
import { checkConfig, Config, CONFIG_FILE, DEFAULT_CONFIG, layered, readConfigFile } from '../workspace/config';
import { OpenDocument, OpenDocuments } from './documents';
import { EngineHost } from './engine/host';
import { negotiateEncoding, PositionEncoding } from './positions';
import { InitializationOptions, StatusNotification } from './protocol';
import { Snapshot } from './snapshot';
import { CANDIDATE_EXTENSIONS, CANDIDATE_NAMES } from '../workspace/load';

/** Extensions a folder scan reads (and lync-kst.json, a .json too); file watching covers the same, plus the include globs. */
const WATCHED = [`**/*.{${CANDIDATE_EXTENSIONS.join(',')}}`, ...CANDIDATE_NAMES.map((n) => `**/${n}`)];

/** The configuration section of the editor's settings. */
const SECTION = 'lyncKst';

/**
 * One LSP feature: what it declares to the client, next to the handlers it registers. The
 * core below keeps the documents, the settings and the analysis thread; features only read
 * from it. Model: yaml-language-server's handler registration.
 */
export interface Feature {
  capabilities?(server: Server): ServerCapabilities;
  register(server: Server): void;
  /** Called when the client opens a document, before any analysis of it. */
  opened?(server: Server, doc: OpenDocument): void;
  /** Called with each new snapshot, after the core has taken it. */
  snapshot?(server: Server, snapshot: Snapshot, previous: Snapshot | undefined): void;
}

/**
 * The lifecycle core, on the main thread: the open documents (in the negotiated position
 * encoding, with their edit history), the settings, the file watchers, and the analysis thread
 * every feature reads snapshots from. Requests are answered from the newest snapshot, so none
 * waits for an analysis in progress. Every handler is guarded: one bad document must not stop
 * the server.
 */
export class Server {
  readonly docs = new OpenDocuments(() => this.encoding);
  /** The configuration in effect: lync-kst.json of the workspace folders, then the editor's settings. */
  settings: Config = DEFAULT_CONFIG;
  init: InitializationOptions = {};
  client: ClientCapabilities = {};
  encoding: PositionEncoding = 'utf-16';
  readonly engine: EngineHost;
  private folders: string[] = [];
  private editorSettings: unknown;
  private lastSettingProblems = '';
  private watching?: Disposable;
  private configurationFailed = false;
  private progress?: Promise<WorkDoneProgressReporter | undefined>;

  constructor(
    readonly connection: Connection,
    private readonly features: readonly Feature[],
  ) {
    this.engine = new EngineHost(
      {
        snapshot: (s, previous) => {
          // Nothing answers from an older analysis any more: the edits before this one's versions can go.
          for (const doc of this.docs.all()) {
            const v = s.versions.get(doc.uri);
            if (typeof v === 'number') this.docs.forgetUpTo(doc.uri, v);
          }
          void connection.sendNotification(StatusNotification, s.status);
          for (const f of this.features) f.snapshot?.(this, s, previous);
        },
        log: (error, message) => (error ? this.error(message) : this.log(message)),
        indexing: (state, files) => this.indexing(state, files),
        restarted: (reason) => this.error(`The analysis thread stopped (${reason}); starting it again.`),
      },
      () => this.docs.all().flatMap((d) => this.openMessage(d)),
    );
  }

  log(message: string): void {
    this.connection.console.log(message);
  }

  error(message: string): void {
    this.connection.console.error(message);
  }

  /** A plain notification: nothing to answer, and it works in every client (showMessageRequest waits for a button). */
  show(type: MessageType, message: string): void {
    void this.connection.sendNotification(ShowMessageNotification.type, { type, message });
  }

  /** A handler that logs what it throws and answers `fallback` instead. */
  guard<A extends unknown[], R>(name: string, fallback: R, fn: (...args: A) => R | Promise<R>): (...args: A) => Promise<R> {
    return async (...args: A) => {
      try {
        return await fn(...args);
      } catch (e) {
        this.error(`${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        return fallback;
      }
    };
  }

  /** The newest snapshot, or (before the first) the first one. Never waits for a newer analysis. */
  async snapshot(): Promise<Snapshot> {
    return this.engine.snapshot ?? this.engine.current();
  }

  /** The snapshot of the text as it is now: waits for the analysis of every change sent so far. */
  current(): Promise<Snapshot> {
    return this.engine.current();
  }

  /**
   * The version of an open document a snapshot analysed: its own, or (for a file analysed from disk)
   * the version it was opened with, when the text it was opened with is the one on disk.
   */
  analysedVersion(s: Snapshot, doc: OpenDocument): number | undefined {
    const v = s.versions.get(doc.uri);
    if (typeof v === 'number') return v;
    return v === null && s.fingerprints.get(doc.uri) === doc.opened.fingerprint ? doc.opened.version : undefined;
  }

  /** Whether the client applies `documentChanges` (versioned edits); `changes` otherwise. */
  get documentChanges(): boolean {
    return this.client.workspace?.workspaceEdit?.documentChanges === true;
  }

  /** Bytes; an open document over it is skipped with FILE001 and never sent for analysis. */
  get maxFileSize(): number {
    return Math.round(this.settings.maxFileSize * 1024 * 1024);
  }

  start(): void {
    const { connection } = this;
    connection.onInitialize((params): InitializeResult => {
      this.client = params.capabilities;
      this.init = (params.initializationOptions ?? {}) as InitializationOptions;
      this.encoding = negotiateEncoding(this.client);
      this.folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
      const capabilities: ServerCapabilities = {
        positionEncoding: this.encoding,
        textDocumentSync: TextDocumentSyncKind.Incremental,
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      };
      for (const f of this.features) Object.assign(capabilities, f.capabilities?.(this));
      return { capabilities, serverInfo: { name: 'lync-kst', version: VERSION } };
    });

    connection.onInitialized(
      this.guard('initialized', undefined, async () => {
        if (this.client.workspace?.didChangeConfiguration?.dynamicRegistration)
          void connection.client.register(DidChangeConfigurationNotification.type, { section: SECTION });
        if (this.client.workspace?.workspaceFolders) {
          connection.workspace.onDidChangeWorkspaceFolders(
            this.guard('workspace folders', undefined, (e) => {
              const removed = new Set(e.removed.map((f) => f.uri));
              this.folders = [...this.folders.filter((u) => !removed.has(u)), ...e.added.map((f) => f.uri)];
              this.engine.send({ t: 'folders', folders: this.folders });
              void this.configurationChanged();
            }),
          );
        }
        await this.loadSettings();
        const debounceMs = typeof this.init.debounceMs === 'number' && this.init.debounceMs >= 0 ? this.init.debounceMs : 200;
        this.progress = this.client.window?.workDoneProgress ? connection.window.createWorkDoneProgress() : undefined;
        this.engine.start({
          folders: this.folders,
          config: this.settings,
          encoding: this.encoding,
          relatedInformation: !!this.client.textDocument?.publishDiagnostics?.relatedInformation,
          debounceMs,
          watch: !this.client.workspace?.didChangeWatchedFiles?.dynamicRegistration,
        });
        await this.registerWatchers();
      }),
    );

    connection.onDidOpenTextDocument(
      this.guard('document open', undefined, (p) => {
        const doc = this.docs.open(p.textDocument.uri, p.textDocument.version, p.textDocument.text);
        for (const m of this.openMessage(doc)) this.engine.send(m);
        for (const f of this.features) f.opened?.(this, doc);
      }),
    );
    connection.onDidChangeTextDocument(
      this.guard('document change', undefined, (p) => {
        const before = this.docs.get(p.textDocument.uri);
        const changed = this.docs.change(p.textDocument.uri, p.textDocument.version, p.contentChanges);
        if (!before || !changed || !isAnalysed(changed.doc.uri)) return;
        const { doc, applied } = changed;
        // Over the limit, the analysis thread keeps only the size; back under it, it gets the whole text again.
        if (this.tooLarge(before) || this.tooLarge(doc)) return void this.openMessage(doc).forEach((m) => this.engine.send(m));
        this.engine.send({ t: 'change', uri: doc.uri, version: doc.version, edits: applied });
      }),
    );
    connection.onDidCloseTextDocument(
      this.guard('document close', undefined, (p) => {
        const doc = this.docs.get(p.textDocument.uri);
        this.docs.close(p.textDocument.uri);
        if (doc && isAnalysed(doc.uri)) this.engine.send({ t: 'close', uri: doc.uri });
      }),
    );
    connection.onDidChangeWatchedFiles(
      this.guard('watched files', undefined, async (params) => {
        const changes: { uri: string; deleted: boolean }[] = [];
        let configuration = false;
        for (const c of params.changes) {
          // The configuration file changes what every other file means: it is read again, then all is revalidated.
          if (URI.parse(c.uri).path.endsWith(`/${CONFIG_FILE}`)) configuration = true;
          else changes.push({ uri: c.uri, deleted: c.type === FileChangeType.Deleted });
        }
        if (changes.length > 0) this.engine.send({ t: 'disk', changes });
        if (configuration) await this.configurationChanged();
      }),
    );
    connection.onDidChangeConfiguration(
      this.guard('configuration', undefined, (params) =>
        this.configurationChanged((params.settings as Record<string, unknown> | undefined)?.[SECTION]),
      ),
    );
    connection.onShutdown(() => void this.engine.dispose());
    // An editor that goes away without `shutdown`, or closes our stdin, must not leave the process behind.
    connection.onExit(() => void this.engine.dispose());

    for (const f of this.features) f.register(this);
  }

  /** What the analysis thread needs to know of an open document: its text, or only its size when it is over the limit. */
  private openMessage(
    doc: OpenDocument,
  ): ({ t: 'open'; uri: string; version: number; text: string } | { t: 'open-too-large'; uri: string; version: number; size: number })[] {
    if (!isAnalysed(doc.uri)) return [];
    if (this.tooLarge(doc)) return [{ t: 'open-too-large', uri: doc.uri, version: doc.version, size: Buffer.byteLength(doc.text, 'utf8') }];
    return [{ t: 'open', uri: doc.uri, version: doc.version, text: doc.text }];
  }

  /** UTF-8 needs at most 3 bytes per UTF-16 unit, so short texts skip the count (and the join of a document's pieces). */
  tooLarge(doc: OpenDocument): boolean {
    return doc.content.length * 3 > this.maxFileSize && Buffer.byteLength(doc.text, 'utf8') > this.maxFileSize;
  }

  /**
   * Settings or lync-kst.json changed: the new configuration, then (on the analysis thread) a new
   * scan if it changes which files are read, and a validation. One at a time: two changes read
   * together would register the file watchers twice.
   */
  configurationChanged(pushed?: unknown): Promise<void> {
    this.configuring = this.configuring.then(() => this.applyConfiguration(pushed));
    return this.configuring;
  }

  private configuring: Promise<void> = Promise.resolve();

  private async applyConfiguration(pushed?: unknown): Promise<void> {
    const before = JSON.stringify(this.settings.files);
    await this.loadSettings(pushed);
    this.engine.send({ t: 'config', config: this.settings });
    if (JSON.stringify(this.settings.files) !== before) await this.registerWatchers();
  }

  /** lync-kst.json of every workspace folder, then the editor's settings on top, each checked the same way. */
  private async loadSettings(pushed?: unknown): Promise<void> {
    if (pushed !== undefined) this.editorSettings = pushed;
    if (this.client.workspace?.configuration && !this.configurationFailed) {
      try {
        this.editorSettings = await this.connection.workspace.getConfiguration(SECTION);
      } catch (e) {
        // A client that cannot answer workspace/configuration still gets diagnostics: pushed settings, else the defaults.
        this.configurationFailed = true;
        this.error(
          `The client could not answer workspace/configuration (${e instanceof Error ? e.message : String(e)}); ` +
            'using the settings it pushes, else the defaults.',
        );
      }
    }
    const problems: string[] = [];
    const layers: Partial<Config>[] = [];
    for (const folder of this.folders.map((u) => URI.parse(u)).filter((u) => u.scheme === 'file')) {
      const file = await readConfigFile(folder.fsPath);
      if (!file) continue;
      layers.push(file.config);
      problems.push(...file.problems.map((p) => `${file.path}: ${p}`));
    }
    const editor = checkConfig(this.editorSettings, SECTION);
    problems.push(...editor.problems);
    this.settings = layered(...layers, editor.config);
    const text = problems.join('; ');
    if (text && text !== this.lastSettingProblems) this.show(MessageType.Warning, `lync-kst: ignoring invalid settings: ${text}`);
    this.lastSettingProblems = text;
  }

  private async registerWatchers(): Promise<void> {
    if (!this.client.workspace?.didChangeWatchedFiles?.dynamicRegistration) return;
    const watchers = [...WATCHED, ...this.settings.files.include].map((globPattern) => ({ globPattern }));
    const previous = this.watching;
    try {
      this.watching = await this.connection.client.register(DidChangeWatchedFilesNotification.type, { watchers });
      previous?.dispose();
    } catch (e) {
      // Without watchers the index still follows open documents; say why files on disk are not followed.
      this.error(`The client refused file watchers: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Progress for the first index of the workspace, where the client shows it. */
  private indexing(state: 'begin' | 'end', files?: number): void {
    const progress = this.progress;
    if (!progress) return;
    void progress.then((p) => {
      if (!p) return;
      if (state === 'begin') p.begin('lync-kst', undefined, 'Indexing the workspace and simulating the Known Servers Table');
      else {
        p.done();
        this.log(`First validation of ${files ?? 0} file(s) done.`);
      }
    });
  }
}

/** Only files are analysed; other schemes (the KST view, untitled buffers) are kept for hovers only. */
function isAnalysed(uri: string): boolean {
  return URI.parse(uri).scheme === 'file';
}
