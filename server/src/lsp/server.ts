import {
  CodeActionKind, Connection, DidChangeConfigurationNotification, Disposable, DidChangeWatchedFilesNotification, FileChangeType, InitializeParams, InitializeResult,
  MarkupKind, MessageType, ShowMessageNotification, TextDocuments, TextDocumentSyncKind,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { startupEvents } from '../simulate/events';
import { kstReport } from '../simulate/report';
import { CODES, docsUrl } from '../rules/catalogue';
import { codeActions } from './actions';
import { keyOf, WorkspaceFiles } from './files';
import { hoverInFile, hoverInKstView } from '../explain/hover';
import {
  InitializationOptions, KST_VIEW_REQUEST, KST_VIEW_SCHEME, KstViewParams, KstViewResult, SERVER_COMMANDS, STATUS_NOTIFICATION, StatusParams,
} from './protocol';
import { analysisOptions, DEFAULT_SETTINGS, sanitize, SECTION, Settings } from './settings';
import { Validation } from './validation';
import { VERSION } from '../version';

/** Extensions a folder scan reads; file watching covers the same, plus the include globs. */
const WATCHED = '**/*.{xml,tbxml,json,ps1,psm1,clixml,txt}';

/** Wires the engine to one LSP connection. Every handler is guarded: one bad document must not stop the server. */
export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const files = new WorkspaceFiles();
  let settings: Settings = DEFAULT_SETTINGS;
  let init: InitializationOptions = {};
  const caps = { configuration: false, relatedInformation: false, dynamicConfiguration: false, dynamicWatch: false, showDocument: false, workspaceFolders: false };
  let validation: Validation | undefined;
  let ready: Promise<void> = Promise.resolve();
  let lastSettingProblems = '';

  const log = (message: string): void => connection.console.log(message);
  // A plain notification: nothing to answer, and it works in every client (showMessageRequest waits for a button).
  const show = (type: MessageType, message: string): void => void connection.sendNotification(ShowMessageNotification.type, { type, message });
  const error = (message: string): void => connection.console.error(message);

  function guard<A extends unknown[], R>(name: string, fallback: R, fn: (...args: A) => R | Promise<R>): (...args: A) => Promise<R> {
    return async (...args: A) => {
      try {
        return await fn(...args);
      } catch (e) {
        error(`${name} failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
        return fallback;
      }
    };
  }

  async function analysisNow() {
    await ready;
    return validation?.current();
  }

  async function loadSettings(pushed?: unknown): Promise<void> {
    const raw = caps.configuration ? await connection.workspace.getConfiguration(SECTION) : pushed;
    const { settings: next, problems } = sanitize(raw);
    settings = next;
    files.configure(settings);
    const text = problems.join('; ');
    if (text && text !== lastSettingProblems) show(MessageType.Warning, `lync-kst: ignoring invalid settings: ${text}`);
    lastSettingProblems = text;
  }

  async function scan(): Promise<void> {
    const { files: n, errors } = await files.scan();
    log(`Indexed ${n} candidate file(s) in the workspace folders.`);
    for (const e of errors) error(`Could not read ${e}`);
  }

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const c = params.capabilities;
    caps.configuration = !!c.workspace?.configuration;
    caps.relatedInformation = !!c.textDocument?.publishDiagnostics?.relatedInformation;
    caps.dynamicConfiguration = !!c.workspace?.didChangeConfiguration?.dynamicRegistration;
    caps.dynamicWatch = !!c.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    caps.showDocument = !!c.window?.showDocument?.support;
    caps.workspaceFolders = !!c.workspace?.workspaceFolders;
    init = (params.initializationOptions ?? {}) as InitializationOptions;
    const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    files.setFolders(folders);
    validation = new Validation(
      {
        files,
        options: () => analysisOptions(settings),
        relatedInformation: () => caps.relatedInformation,
        publish: (uri, version, diagnostics) => void connection.sendDiagnostics({ uri, version: version ?? undefined, diagnostics }),
        status: (s: StatusParams) => void connection.sendNotification(STATUS_NOTIFICATION, s),
        error,
      },
      typeof init.debounceMs === 'number' && init.debounceMs >= 0 ? init.debounceMs : 200,
    );
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        executeCommandProvider: { commands: Object.values(SERVER_COMMANDS) },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'lync-kst', version: VERSION },
    };
  });

  connection.onInitialized(
    guard('initialized', undefined, () => {
      if (caps.dynamicConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, { section: SECTION });
      if (caps.workspaceFolders) connection.workspace.onDidChangeWorkspaceFolders(
        guard('workspace folders', undefined, (e) => {
          const removed = new Set(e.removed.map((f) => f.uri));
          const current = [...(files.folders().filter((u) => !removed.has(u))), ...e.added.map((f) => f.uri)];
          files.setFolders(current);
          ready = scan();
          validation?.schedule(0);
        }),
      );
      // Watchers follow the include globs, so they are registered once the settings are known.
      ready = loadSettings().then(() => Promise.all([scan(), registerWatchers()])).then(() => undefined);
      void ready.then(() => validation?.schedule(0));
    }),
  );

  let watching: Disposable | undefined;
  async function registerWatchers(): Promise<void> {
    if (!caps.dynamicWatch) return;
    const watchers = [WATCHED, ...settings.files.include].map((globPattern) => ({ globPattern }));
    const previous = watching;
    try {
      watching = await connection.client.register(DidChangeWatchedFilesNotification.type, { watchers });
      previous?.dispose();
    } catch (e) {
      // Without watchers the index still follows open documents; say why files on disk are not followed.
      error(`The client refused file watchers: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  documents.onDidChangeContent(
    guard('document change', undefined, (e) => {
      if (URI.parse(e.document.uri).scheme !== 'file') return;
      files.setOpen(e.document.uri, e.document.getText(), e.document.version);
      validation?.schedule();
    }),
  );

  documents.onDidClose(
    guard('document close', undefined, (e) => {
      if (URI.parse(e.document.uri).scheme !== 'file') return;
      files.close(e.document.uri);
      validation?.schedule();
    }),
  );

  connection.onDidChangeWatchedFiles(
    guard('watched files', undefined, async (params) => {
      await ready;
      let changed = false;
      for (const c of params.changes) {
        if (c.type === FileChangeType.Deleted) changed = files.remove(c.uri) || changed;
        else changed = (await files.reload(c.uri)) || changed;
      }
      if (changed) validation?.schedule();
    }),
  );

  connection.onDidChangeConfiguration(
    guard('configuration', undefined, async (params) => {
      const before = JSON.stringify(settings.files) + settings.maxFileSize;
      await loadSettings((params.settings as Record<string, unknown> | undefined)?.[SECTION]);
      if (JSON.stringify(settings.files) + settings.maxFileSize !== before) {
        ready = scan();
        void registerWatchers();
      }
      await ready;
      validation?.schedule(0);
    }),
  );

  connection.onHover(
    guard('hover', null, async (params) => {
      const analysis = await analysisNow();
      const display = (k: string): string => files.display(k);
      if (URI.parse(params.textDocument.uri).scheme === KST_VIEW_SCHEME) {
        const doc = documents.get(params.textDocument.uri);
        const h = doc && hoverInKstView(analysis, doc.getText(), doc.offsetAt(params.position), display);
        return h ? { contents: { kind: MarkupKind.Markdown, value: h.markdown } } : null;
      }
      const file = files.get(keyOf(params.textDocument.uri));
      if (!analysis || !file || file.tooLarge) return null;
      const h = hoverInFile(analysis, file, file.lines.offsetAt(params.position), display);
      if (!h) return null;
      const range = h.span && { start: file.lines.positionAt(h.span.start), end: file.lines.positionAt(h.span.end) };
      return { contents: { kind: MarkupKind.Markdown, value: h.markdown }, range };
    }),
  );

  connection.onCodeAction(
    guard('code action', [], async (params) => {
      const analysis = await analysisNow();
      if (!analysis) return [];
      return codeActions(analysis, params, {
        versionOf: (uri) => files.versionOf(uri),
        display: (k) => files.display(k),
        kstView: init.kstView === true,
        log,
      });
    }),
  );

  connection.onExecuteCommand(
    guard('command', undefined, async (params) => {
      const args = params.arguments ?? [];
      switch (params.command) {
        case SERVER_COMMANDS.fixApplied:
          if (typeof args[0] === 'string') show(MessageType.Info, args[0]);
          return;
        case SERVER_COMMANDS.showDocumentation: {
          const code = String(args[0]).toUpperCase();
          if (!CODES.includes(code)) return;
          if (caps.showDocument) await connection.window.showDocument({ uri: docsUrl(code), external: true });
          else show(MessageType.Info, `${code}: ${docsUrl(code)}`);
          return;
        }
        case SERVER_COMMANDS.explainRestart: {
          const analysis = await analysisNow();
          if (!analysis) return;
          const events = startupEvents(analysis.kst, true).map((e) => `${e.id} ${e.level}: ${e.message}`);
          show(MessageType.Info, `After an RTCSRV restart:\n${events.join('\n')}`);
          return;
        }
      }
    }),
  );

  connection.onRequest(
    KST_VIEW_REQUEST,
    guard('Known Servers Table', { text: 'lync-kst could not simulate the Known Servers Table; see the output.' }, async (params: KstViewParams): Promise<KstViewResult> => {
      const analysis = await analysisNow();
      if (!analysis) return { text: 'No workspace has been validated yet.' };
      return { text: kstReport(analysis.kst, params?.restart === true, (k) => files.display(k)) };
    }),
  );

  connection.onShutdown(() => validation?.dispose());

  documents.listen(connection);
}
