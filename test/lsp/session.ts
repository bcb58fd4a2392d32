import { ChildProcess, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  ClientCapabilities,
  CodeAction,
  CodeActionRequest,
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
    didChangeConfiguration: { dynamicRegistration: true },
    didChangeWatchedFiles: { dynamicRegistration: true },
    workspaceFolders: true,
  },
  textDocument: {
    publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
    diagnostic: { dynamicRegistration: false },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } }, isPreferredSupport: true, dataSupport: true },
  },
  window: { showDocument: { support: true } },
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
    options: { capabilities?: ClientCapabilities; settings?: Record<string, unknown>; initializationOptions?: unknown } = {},
  ): Promise<LspSession> {
    const proc = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const conn = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    const s = new LspSession(folder, proc, conn);
    s.settings = options.settings ?? {};
    proc.stderr!.on('data', (d) => (s.stderr += String(d)));
    conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
      s.diagnostics.set(p.uri, p);
      s.notify();
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
    conn.onRequest(ConfigurationRequest.type, (p) => p.items.map((i) => (i.section === 'lyncKst' ? s.settings : null)));
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
    await conn.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: uri,
      workspaceFolders: [{ uri, name: path.basename(folder) }],
      capabilities: options.capabilities ?? VSCODE_LIKE,
      initializationOptions: options.initializationOptions ?? { debounceMs: 20 },
    });
    await conn.sendNotification(InitializedNotification.type, {});
    return s;
  }

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

  open(name: string, languageId: string, text = readFileSync(path.join(this.folder, name), 'utf8')): Promise<void> {
    const uri = this.uri(name);
    this.docs.set(uri, TextDocument.create(uri, languageId, 1, text));
    return this.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
  }

  openUri(uri: string, languageId: string, text: string): Promise<void> {
    this.docs.set(uri, TextDocument.create(uri, languageId, 1, text));
    return this.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
  }

  text(name: string): string {
    return this.docs.get(this.uri(name))?.getText() ?? readFileSync(path.join(this.folder, name), 'utf8');
  }

  /** Replaces the first occurrence of `from` in an open document, as an incremental change. */
  edit(name: string, from: string, to: string): Promise<void> {
    const uri = this.uri(name);
    const doc = this.docs.get(uri)!;
    const at = doc.getText().indexOf(from);
    if (at < 0) throw new Error(`${name} has no ${from}`);
    const range = { start: doc.positionAt(at), end: doc.positionAt(at + from.length) };
    const next = TextDocument.update(doc, [{ range, text: to }], doc.version + 1);
    this.docs.set(uri, next);
    return this.conn.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: next.version },
      contentChanges: [{ range, text: to }],
    });
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

  hover(name: string, needle: string, delta = 1): Promise<Hover | null> {
    const text = this.text(name);
    const at = text.indexOf(needle);
    if (at < 0) throw new Error(`${name} has no ${needle}`);
    return this.conn.sendRequest(HoverRequest.type, {
      textDocument: { uri: this.uri(name) },
      position: TextDocument.create('', '', 0, text).positionAt(at + delta),
    });
  }

  codeActions(name: string, diagnostics: Diagnostic[], range?: Range): Promise<CodeAction[]> {
    return this.conn.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: this.uri(name) },
      range: range ?? diagnostics[0].range,
      context: { diagnostics },
    }) as Promise<CodeAction[]>;
  }

  executeCommand(command: string, args: unknown[] = []): Promise<unknown> {
    return this.conn.sendRequest(ExecuteCommandRequest.type, { command, arguments: args });
  }

  /**
   * Applies a workspace edit the way an editor does: to the open document (as a change the
   * server hears about) when the version matches, to the file on disk otherwise.
   */
  async apply(edit: WorkspaceEdit): Promise<void> {
    for (const change of edit.documentChanges ?? []) {
      const c = change as TextDocumentEdit;
      const edits = c.edits as TextEdit[];
      const doc = this.docs.get(c.textDocument.uri);
      if (doc) {
        if (c.textDocument.version !== doc.version)
          throw new Error(`stale edit for ${c.textDocument.uri}: v${c.textDocument.version}, document v${doc.version}`);
        const next = TextDocument.update(
          doc,
          edits.map((e) => ({ range: e.range, text: e.newText })),
          doc.version + 1,
        );
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
    const exited = new Promise<number | null>((resolve) => this.proc.once('exit', (code) => resolve(code)));
    await this.conn.sendRequest(ShutdownRequest.type);
    await this.conn.sendNotification(ExitNotification.type);
    const code = await exited;
    this.conn.dispose();
    rmSync(this.folder, { recursive: true, force: true });
    return code;
  }

  get alive(): boolean {
    return this.proc.exitCode === null;
  }

  private notify(): void {
    for (const l of [...this.listeners]) l();
  }
}
