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
  TextDocuments,
  TextDocumentSyncKind,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { VERSION } from '../version';
import { Analysis } from '../workspace/analyze';
import { WorkspaceFiles } from './files';
import { InitializationOptions, StatusNotification } from './protocol';
import { analysisOptions, checkConfig, Config, CONFIG_FILE, DEFAULT_CONFIG, layered, readConfigFile } from '../workspace/config';
import { Validation } from './validation';

/** Extensions a folder scan reads (and lync-kst.json, a .json too); file watching covers the same, plus the include globs. */
const WATCHED = '**/*.{xml,tbxml,json,ps1,psm1,clixml,txt}';

/** The configuration section of the editor's settings. */
const SECTION = 'lyncKst';

/**
 * One LSP feature: what it declares to the client, next to the handlers it registers. The
 * core below keeps the workspace model and the lifecycle; features only read from it.
 * Model: yaml-language-server's handler registration.
 */
export interface Feature {
  capabilities?(client: ClientCapabilities, init: InitializationOptions): ServerCapabilities;
  register(server: Server): void;
}

/**
 * The lifecycle core: the document sync, the workspace index (files on disk overlaid by open
 * documents), the settings, the file watchers and the validation every feature asks for its
 * analysis. Every handler is guarded: one bad document must not stop the server.
 */
export class Server {
  readonly documents = new TextDocuments(TextDocument);
  readonly files = new WorkspaceFiles();
  /** The configuration in effect: lync-kst.json of the workspace folders, then the editor's settings. */
  settings: Config = DEFAULT_CONFIG;
  private editorSettings: unknown;
  init: InitializationOptions = {};
  client: ClientCapabilities = {};
  validation!: Validation;
  private ready: Promise<void> = Promise.resolve();
  private lastSettingProblems = '';
  private watching?: Disposable;

  constructor(
    readonly connection: Connection,
    private readonly features: readonly Feature[],
  ) {}

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

  /** The analysis of the workspace as it is now (a waiting validation runs at once). */
  async analysis(): Promise<Analysis | undefined> {
    await this.ready;
    return this.validation.current();
  }

  /** A file's key as the user reads it. */
  display = (key: string): string => this.files.display(key);

  start(): void {
    const { connection, documents, files } = this;
    connection.onInitialize((params): InitializeResult => {
      this.client = params.capabilities;
      this.init = (params.initializationOptions ?? {}) as InitializationOptions;
      files.setFolders(params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []));
      this.validation = new Validation(
        {
          files,
          options: () => analysisOptions(this.settings),
          relatedInformation: () => !!this.client.textDocument?.publishDiagnostics?.relatedInformation,
          publish: (uri, version, diagnostics) => void connection.sendDiagnostics({ uri, version: version ?? undefined, diagnostics }),
          status: (s) => void connection.sendNotification(StatusNotification, s),
          error: (m) => this.error(m),
        },
        typeof this.init.debounceMs === 'number' && this.init.debounceMs >= 0 ? this.init.debounceMs : 200,
      );
      const capabilities: ServerCapabilities = {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      };
      for (const f of this.features) Object.assign(capabilities, f.capabilities?.(this.client, this.init));
      return { capabilities, serverInfo: { name: 'lync-kst', version: VERSION } };
    });

    connection.onInitialized(
      this.guard('initialized', undefined, () => {
        if (this.client.workspace?.didChangeConfiguration?.dynamicRegistration)
          void connection.client.register(DidChangeConfigurationNotification.type, { section: SECTION });
        if (this.client.workspace?.workspaceFolders) {
          connection.workspace.onDidChangeWorkspaceFolders(
            this.guard('workspace folders', undefined, (e) => {
              const removed = new Set(e.removed.map((f) => f.uri));
              files.setFolders([...files.folders().filter((u) => !removed.has(u)), ...e.added.map((f) => f.uri)]);
              this.ready = this.scan();
              this.validation.schedule(0);
            }),
          );
        }
        // Watchers follow the include globs, so they are registered once the settings are known.
        this.ready = this.loadSettings()
          .then(() => Promise.all([this.scan(), this.registerWatchers()]))
          .then(() => undefined);
        void this.ready.then(() => this.validation.schedule(0));
      }),
    );

    documents.onDidChangeContent(
      this.guard('document change', undefined, (e) => {
        if (URI.parse(e.document.uri).scheme !== 'file') return;
        files.setOpen(e.document.uri, e.document.getText(), e.document.version);
        this.validation.schedule();
      }),
    );
    documents.onDidClose(
      this.guard('document close', undefined, (e) => {
        if (URI.parse(e.document.uri).scheme !== 'file') return;
        files.close(e.document.uri);
        this.validation.schedule();
      }),
    );
    connection.onDidChangeWatchedFiles(
      this.guard('watched files', undefined, async (params) => {
        await this.ready;
        let changed = false;
        let configuration = false;
        for (const c of params.changes) {
          // The configuration file changes what every other file means: it is read again, then all is revalidated.
          if (URI.parse(c.uri).path.endsWith(`/${CONFIG_FILE}`)) configuration = true;
          else if (c.type === FileChangeType.Deleted) changed = files.remove(c.uri) || changed;
          else changed = (await files.reload(c.uri)) || changed;
        }
        if (configuration) await this.configurationChanged();
        else if (changed) this.validation.schedule();
      }),
    );
    connection.onDidChangeConfiguration(
      this.guard('configuration', undefined, (params) =>
        this.configurationChanged((params.settings as Record<string, unknown> | undefined)?.[SECTION]),
      ),
    );
    connection.onShutdown(() => this.validation?.dispose());

    for (const f of this.features) f.register(this);
    documents.listen(connection);
  }

  /**
   * Settings or lync-kst.json changed: the new configuration, a new scan if it changes which
   * files are read, then a validation. One at a time: two changes read together would register
   * the file watchers twice.
   */
  private configurationChanged(pushed?: unknown): Promise<void> {
    this.configuring = this.configuring.then(() => this.applyConfiguration(pushed));
    return this.configuring;
  }

  private configuring: Promise<void> = Promise.resolve();

  private async applyConfiguration(pushed?: unknown): Promise<void> {
    const before = JSON.stringify(this.settings.files) + this.settings.maxFileSize;
    await this.loadSettings(pushed);
    if (JSON.stringify(this.settings.files) + this.settings.maxFileSize !== before) {
      this.ready = this.scan();
      void this.registerWatchers();
    }
    await this.ready;
    this.validation.schedule(0);
  }

  /** lync-kst.json of every workspace folder, then the editor's settings on top, each checked the same way. */
  private async loadSettings(pushed?: unknown): Promise<void> {
    if (pushed !== undefined || this.client.workspace?.configuration) {
      this.editorSettings = this.client.workspace?.configuration ? await this.connection.workspace.getConfiguration(SECTION) : pushed;
    }
    const problems: string[] = [];
    const layers: Partial<Config>[] = [];
    for (const folder of this.files
      .folders()
      .map((u) => URI.parse(u))
      .filter((u) => u.scheme === 'file')) {
      const file = await readConfigFile(folder.fsPath);
      if (!file) continue;
      layers.push(file.config);
      problems.push(...file.problems.map((p) => `${file.path}: ${p}`));
    }
    const editor = checkConfig(this.editorSettings, SECTION);
    problems.push(...editor.problems);
    this.settings = layered(...layers, editor.config);
    this.files.configure(this.settings);
    const text = problems.join('; ');
    if (text && text !== this.lastSettingProblems) this.show(MessageType.Warning, `lync-kst: ignoring invalid settings: ${text}`);
    this.lastSettingProblems = text;
  }

  private async scan(): Promise<void> {
    const { files: n, errors } = await this.files.scan();
    this.log(`Indexed ${n} candidate file(s) in the workspace folders.`);
    for (const e of errors) this.error(`Could not read ${e}`);
  }

  private async registerWatchers(): Promise<void> {
    if (!this.client.workspace?.didChangeWatchedFiles?.dynamicRegistration) return;
    const watchers = [WATCHED, ...this.settings.files.include].map((globPattern) => ({ globPattern }));
    const previous = this.watching;
    try {
      this.watching = await this.connection.client.register(DidChangeWatchedFilesNotification.type, { watchers });
      previous?.dispose();
    } catch (e) {
      // Without watchers the index still follows open documents; say why files on disk are not followed.
      this.error(`The client refused file watchers: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}
