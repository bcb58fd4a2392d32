import { ChildProcess, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  ClientCapabilities,
  CodeAction,
  CodeActionRequest,
  ErrorCodes,
  ResponseError,
  CodeActionResolveRequest,
  DiagnosticRefreshRequest,
  DocumentDiagnosticRequest,
  ServerCapabilities,
  WorkDoneProgress,
  WorkDoneProgressCreateParams,
  WorkDoneProgressCreateRequest,
  WorkspaceDiagnosticReport,
  WorkspaceDiagnosticRequest,
  ConfigurationRequest,
  createProtocolConnection,
  Diagnostic,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExecuteCommandRequest,
  FileChangeType,
  Hover,
  HoverRequest,
  InitializeRequest,
  InitializedNotification,
  LogMessageNotification,
  ProtocolConnection,
  PublishDiagnosticsNotification,
  PublishDiagnosticsParams,
  Range,
  RegistrationRequest,
  ShowDocumentRequest,
  ShowMessageNotification,
  ShutdownRequest,
  ExitNotification,
  StreamMessageReader,
  StreamMessageWriter,
  TextDocumentEdit,
  TextEdit,
  UnregistrationRequest,
  WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { pathToFileURL } from 'node:url';
import { STATUS_NOTIFICATION, StatusParams } from '../../server/src/lsp/protocol';
import { ROOT } from '../helpers';

export const SERVER = path.join(ROOT, 'server', 'out', 'server.js');

/** What VS Code declares, trimmed to what the server looks at. */
export const VSCODE_LIKE: ClientCapabilities = {
  workspace: {
    configuration: true,
    workspaceEdit: { documentChanges: true },
    diagnostics: { refreshSupport: true },
    didChangeConfiguration: { dynamicRegistration: true },
    didChangeWatchedFiles: { dynamicRegistration: true },
    workspaceFolders: true,
  },
  textDocument: {
    publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
    diagnostic: { dynamicRegistration: false },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    codeAction: {
      codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } },
      isPreferredSupport: true,
      dataSupport: true,
      resolveSupport: { properties: ['edit'] },
    },
  },
  window: { showDocument: { support: true }, workDoneProgress: true },
};

/** A client like Neovim 0.9: no pull diagnostics, no related information, no dynamic registration. */
export const MINIMAL: ClientCapabilities = { textDocument: { publishDiagnostics: {} } };

export function fileUri(p: string): string {
  return pathToFileURL(p).toString();
}

/** A throwaway copy of a folder (default: the example workspace) to edit and delete files in. */
export function workspaceCopy(from = path.join(ROOT, 'examples', 'contoso')): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'lync-kst-lsp-'));
  cpSync(from, dir, { recursive: true });
  return dir;
}

/**
 * The real language server bundle, spawned over stdio and driven with the LSP protocol
 * library, as any editor does. Records everything the server pushes.
 */
export class LspSession {
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  /** publishDiagnostics notifications received (a pulling client must get none). */
  pushes = 0;
  /** The server's capabilities from initialize. */
  capabilities: ServerCapabilities = {};
  /** $/progress values, in order. */
  readonly progress: unknown[] = [];
  readonly messages: string[] = [];
  readonly logs: string[] = [];
  readonly shownDocuments: string[] = [];
  /** Glob patterns of the file watchers the server has registered and not unregistered, by registration id. */
  readonly watchers = new Map<string, string[]>();
  readonly statuses: StatusParams[] = [];
  settings: Record<string, unknown> = {};
  private readonly docs = new Map<string, TextDocument>();
  private listeners: (() => void)[] = [];
  private stderr = '';

  private constructor(
    readonly folder: string,
    private readonly proc: ChildProcess,
    readonly conn: ProtocolConnection,
  ) {}

  static async start(
    folder: string,
    options: {
      capabilities?: ClientCapabilities;
      settings?: Record<string, unknown>;
      initializationOptions?: unknown;
      /** Answer workspace/configuration with an error, as some clients do. */
      configurationFails?: boolean;
    } = {},
  ): Promise<LspSession> {
    const proc = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const conn = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    const s = new LspSession(folder, proc, conn);
    s.settings = options.settings ?? {};
    proc.stderr!.on('data', (d) => (s.stderr += String(d)));
    conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
      s.pushes++;
      s.diagnostics.set(p.uri, p);
      s.notify();
    });
    conn.onRequest(WorkDoneProgressCreateRequest.method, (p: WorkDoneProgressCreateParams) => {
      conn.onProgress(WorkDoneProgress.type, p.token, (value) => {
        s.progress.push(value);
        s.notify();
      });
      return null;
    });
    conn.onRequest(DiagnosticRefreshRequest.method, () => {
      // VS Code pulls every open document again on a refresh.
      for (const uri of s.docs.keys()) void s.pullDocument(uri);
      return null;
    });
    conn.onNotification(ShowMessageNotification.type, (p) => {
      s.messages.push(p.message);
      s.notify();
    });
    conn.onNotification(LogMessageNotification.type, (p) => {
      s.logs.push(p.message);
    });
    conn.onNotification(STATUS_NOTIFICATION, (p: StatusParams) => {
      s.statuses.push(p);
      s.notify();
    });
    conn.onRequest(ConfigurationRequest.type, (p) => {
      if (options.configurationFails) throw new ResponseError(ErrorCodes.MethodNotFound, 'workspace/configuration is not supported');
      return p.items.map((i) => (i.section === 'lyncKst' ? s.settings : null));
    });
    conn.onRequest(RegistrationRequest.type, (p) => {
      for (const r of p.registrations) {
        if (r.method !== DidChangeWatchedFilesNotification.method) continue;
        s.watchers.set(
          r.id,
          (r.registerOptions as { watchers: { globPattern: string }[] }).watchers.map((w) => w.globPattern),
        );
      }
      s.notify();
    });
    conn.onRequest(UnregistrationRequest.type, (p) => {
      for (const u of p.unregisterations) s.watchers.delete(u.id);
      s.notify();
    });
    conn.onRequest(ShowDocumentRequest.type, (p) => {
      s.shownDocuments.push(p.uri);
      return { success: true };
    });
    conn.listen();
    const uri = fileUri(folder);
    const init = await conn.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: uri,
      workspaceFolders: [{ uri, name: path.basename(folder) }],
      capabilities: options.capabilities ?? VSCODE_LIKE,
      initializationOptions: options.initializationOptions ?? { debounceMs: 20 },
    });
    s.capabilities = init.capabilities;
    await conn.sendNotification(InitializedNotification.type, {});
    const provider = init.capabilities.diagnosticProvider;
    const pulls = provider && typeof provider === 'object' && 'workspaceDiagnostics' in provider && provider.workspaceDiagnostics;
    if (pulls) void s.pullWorkspace();
    return s;
  }

  /**
   * What VS Code does with a server that offers workspace pull diagnostics: ask with the result ids
   * it holds, keep what comes back, ask again (the server holds the request until something changes).
   */
  private async pullWorkspace(): Promise<void> {
    const ids = new Map<string, string>();
    while (this.alive && !this.stopping) {
      let report: WorkspaceDiagnosticReport;
      try {
        report = await this.conn.sendRequest(WorkspaceDiagnosticRequest.type, {
          identifier: 'lync-kst',
          previousResultIds: [...ids].map(([uri, value]) => ({ uri, value })),
        });
      } catch (e) {
        this.pullError = String(e);
        return;
      }
      for (const item of report.items) {
        if (item.resultId) ids.set(item.uri, item.resultId);
        if (item.kind !== 'full' || this.docs.has(item.uri)) continue;
        this.diagnostics.set(item.uri, { uri: item.uri, version: item.version ?? undefined, diagnostics: item.items });
      }
      this.notify();
    }
  }

  /** Document pull results by URI (a pulling client prefers them to the workspace report for open documents). */
  readonly pulled = new Map<string, Diagnostic[]>();
  private readonly documentIds = new Map<string, string>();

  /** What VS Code does for an open document when it changes, or on a refresh. */
  async pullDocument(uri: string): Promise<void> {
    if (!this.capabilities.diagnosticProvider || this.stopping) return;
    // The report is for the text as it was when asked.
    const version = this.docs.get(uri)?.version;
    try {
      const r = await this.conn.sendRequest(DocumentDiagnosticRequest.type, {
        textDocument: { uri },
        previousResultId: this.documentIds.get(uri),
      });
      if (r.resultId) this.documentIds.set(uri, r.resultId);
      if (r.kind === 'full') {
        this.pulled.set(uri, r.items);
        this.diagnostics.set(uri, { uri, version, diagnostics: r.items });
        this.notify();
      }
    } catch (e) {
      this.pullError = String(e);
    }
  }

  private stopping = false;
  /** Why the workspace pull loop ended early, if it did. */
  pullError?: string;

  uri(name: string): string {
    return fileUri(path.join(this.folder, name));
  }

  /** Diagnostics now published for a file of the workspace. */
  diags(name: string): Diagnostic[] {
    return this.diagnostics.get(this.uri(name))?.diagnostics ?? [];
  }

  /** Resolves once `check` holds after something arrives; fails with what was seen instead of hanging. */
  waitFor<T>(what: string, check: () => T | undefined | false, timeoutMs = 20000): Promise<T> {
    return new Promise((resolve, reject) => {
      const attempt = (): boolean => {
        const v = check();
        if (v) {
          cleanup();
          resolve(v);
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(
          new Error(
            `Timed out waiting for ${what}. ` +
              `Diagnostics: ${JSON.stringify([...this.diagnostics.values()].map((p) => [p.uri, p.diagnostics.map((d) => d.code)]))} ` +
              `Messages: ${JSON.stringify(this.messages)} stderr: ${this.stderr}`,
          ),
        );
      }, timeoutMs);
      const listener = (): void => void attempt();
      const cleanup = (): void => {
        clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== listener);
      };
      this.listeners.push(listener);
      attempt();
    });
  }

  /** Waits for the next validation after an action (status notifications count them). */
  async settled(action: () => Promise<void> | void): Promise<void> {
    const n = this.statuses.length;
    await action();
    await this.waitFor('a validation', () => this.statuses.length > n);
  }

  async open(name: string, languageId: string, text = readFileSync(path.join(this.folder, name), 'utf8')): Promise<void> {
    const uri = this.uri(name);
    this.docs.set(uri, TextDocument.create(uri, languageId, 1, text));
    await this.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
    void this.pullDocument(uri);
  }

  openUri(uri: string, languageId: string, text: string): Promise<void> {
    this.docs.set(uri, TextDocument.create(uri, languageId, 1, text));
    return this.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
  }

  text(name: string): string {
    return this.docs.get(this.uri(name))?.getText() ?? readFileSync(path.join(this.folder, name), 'utf8');
  }

  /** Replaces the first occurrence of `from` in an open document, as an incremental change. */
  async edit(name: string, from: string, to: string): Promise<void> {
    const uri = this.uri(name);
    const doc = this.docs.get(uri)!;
    const at = doc.getText().indexOf(from);
    if (at < 0) throw new Error(`${name} has no ${from}`);
    const range = { start: doc.positionAt(at), end: doc.positionAt(at + from.length) };
    const next = TextDocument.update(doc, [{ range, text: to }], doc.version + 1);
    this.docs.set(uri, next);
    await this.conn.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: next.version },
      contentChanges: [{ range, text: to }],
    });
    void this.pullDocument(uri);
  }

  close(name: string): Promise<void> {
    const uri = this.uri(name);
    this.docs.delete(uri);
    return this.conn.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  /** Writes (or deletes, with undefined) a file on disk and tells the server, as a file watcher would. */
  async disk(name: string, text: string | undefined): Promise<void> {
    const file = path.join(this.folder, name);
    const existed = existsSync(file);
    if (text === undefined) rmSync(file, { recursive: true, force: true });
    else writeFileSync(file, text);
    const type = text === undefined ? FileChangeType.Deleted : existed ? FileChangeType.Changed : FileChangeType.Created;
    await this.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: this.uri(name), type }] });
  }

  async configure(settings: Record<string, unknown>): Promise<void> {
    this.settings = settings;
    await this.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: { lyncKst: settings } });
  }

  /** Opens the file as an editor does before it asks anything about it (a no-op when it is open). */
  async ensureOpen(name: string): Promise<void> {
    if (this.docs.has(this.uri(name))) return;
    const ext = path.extname(name);
    await this.open(name, ext === '.ps1' ? 'powershell' : ext === '.json' ? 'json' : ext === '.tbxml' ? 'tbxml' : 'xml');
  }

  async hover(name: string, needle: string, delta = 1): Promise<Hover | null> {
    await this.ensureOpen(name);
    const text = this.text(name);
    const at = text.indexOf(needle);
    if (at < 0) throw new Error(`${name} has no ${needle}`);
    return this.conn.sendRequest(HoverRequest.type, {
      textDocument: { uri: this.uri(name) },
      position: TextDocument.create('', '', 0, text).positionAt(at + delta),
    });
  }

  /** The code actions, each resolved as VS Code does before applying one (when the server left its edit for later). */
  async codeActions(name: string, diagnostics: Diagnostic[], range?: Range): Promise<CodeAction[]> {
    await this.ensureOpen(name);
    const actions = (await this.conn.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: this.uri(name) },
      range: range ?? diagnostics[0].range,
      context: { diagnostics },
    })) as CodeAction[];
    return Promise.all(actions.map((a) => (a.data !== undefined && !a.edit ? this.conn.sendRequest(CodeActionResolveRequest.type, a) : a)));
  }

  executeCommand(command: string, args: unknown[] = []): Promise<unknown> {
    return this.conn.sendRequest(ExecuteCommandRequest.type, { command, arguments: args });
  }

  /**
   * Applies a workspace edit the way an editor does: to the open document (as a change the
   * server hears about) when the version matches, to the file on disk otherwise.
   */
  async apply(edit: WorkspaceEdit): Promise<void> {
    // `changes` (for a client without documentChanges) carry no version: the open document is what they apply to.
    const unversioned = Object.entries(edit.changes ?? {}).map(([uri, edits]) => ({
      textDocument: { uri, version: this.docs.get(uri)?.version ?? null },
      edits,
    }));
    for (const change of [...(edit.documentChanges ?? []), ...unversioned]) {
      const c = change as TextDocumentEdit;
      const edits = c.edits as TextEdit[];
      const doc = this.docs.get(c.textDocument.uri);
      if (doc) {
        if (c.textDocument.version !== doc.version)
          throw new Error(`stale edit for ${c.textDocument.uri}: v${c.textDocument.version}, document v${doc.version}`);
        // The edits of one TextDocumentEdit all refer to the text before any of them (LSP), as applyEdits reads them.
        const next = TextDocument.create(doc.uri, doc.languageId, doc.version + 1, TextDocument.applyEdits(doc, edits));
        this.docs.set(doc.uri, next);
        await this.conn.sendNotification(DidChangeTextDocumentNotification.type, {
          textDocument: { uri: doc.uri, version: next.version },
          contentChanges: [{ text: next.getText() }],
        });
      } else {
        const file = new URL(c.textDocument.uri);
        const before = readFileSync(file, 'utf8');
        const applied = TextDocument.applyEdits(TextDocument.create(c.textDocument.uri, '', 0, before), edits);
        writeFileSync(file, applied);
        await this.conn.sendNotification(DidChangeWatchedFilesNotification.type, {
          changes: [{ uri: c.textDocument.uri, type: FileChangeType.Changed }],
        });
      }
    }
  }

  async stop(): Promise<number | null> {
    this.stopping = true;
    const exited = new Promise<number | null>((resolve) => this.proc.once('exit', (code) => resolve(code)));
    await this.conn.sendRequest(ShutdownRequest.type);
    await this.conn.sendNotification(ExitNotification.type);
    const code = await exited;
    this.conn.dispose();
    rmSync(this.folder, { recursive: true, force: true });
    return code;
  }

  /** Ends the session the way a crashed or careless editor does; resolves with the exit code, or 'hung' after `ms`. */
  async abandon(how: 'exit' | 'stdin', ms = 3000): Promise<number | null | 'hung'> {
    this.stopping = true;
    const exited = new Promise<number | null>((resolve) => this.proc.once('exit', (code) => resolve(code)));
    if (how === 'exit') await this.conn.sendNotification(ExitNotification.type);
    else this.proc.stdin?.end();
    const code = await Promise.race([exited, new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), ms))]);
    if (code === 'hung') this.proc.kill('SIGKILL');
    this.conn.dispose();
    rmSync(this.folder, { recursive: true, force: true });
    return code;
  }

  get alive(): boolean {
    return this.proc.exitCode === null;
  }

  /** The server process's peak resident memory so far (its analysis thread included), from /proc. */
  peakRssMb(): number {
    const status = readFileSync(`/proc/${this.proc.pid}/status`, 'utf8');
    const kb = /VmHWM:\s+(\d+) kB/.exec(status);
    if (!kb) throw new Error('no VmHWM in /proc/<pid>/status');
    return Number(kb[1]) / 1024;
  }

  private notify(): void {
    for (const l of [...this.listeners]) l();
  }
}
