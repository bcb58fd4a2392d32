import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';
import * as path from 'node:path';
import {
  CLIENT_COMMANDS,
  DiffAgainst,
  DiffRequest,
  InitializationOptions,
  KnownServersTableRequest,
  KST_VIEW_SCHEME,
  StatusNotification,
} from '../../server/src/lsp/protocol';

/** The language of the Known Servers Table view (grammar: syntaxes/kst.tmLanguage.json). */
const KST_LANGUAGE = 'lync-kst-table';

const VIEWS = {
  table: vscode.Uri.from({ scheme: KST_VIEW_SCHEME, path: '/Known Servers Table' }),
  restart: vscode.Uri.from({ scheme: KST_VIEW_SCHEME, path: '/Known Servers Table after an RTCSRV restart' }),
};

let client: LanguageClient | undefined;

/**
 * Starts the language server and adds what only VS Code has: the KST view, the commands and
 * the language status item. Everything else (diagnostics, hovers, fixes) is the server's.
 */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath('server/out/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    // Only file-backed documents of the kinds lync-kst reads, and its own view; other XML tooling is untouched.
    documentSelector: [
      { scheme: 'file', language: 'xml' },
      { scheme: 'file', language: 'tbxml' },
      { scheme: 'file', language: 'powershell' },
      { scheme: 'file', language: 'json' },
      // Event-log exports as CSV or Event Viewer text; the OWA web.config (whatever language the editor gives it).
      { scheme: 'file', pattern: '**/*.{csv,txt}' },
      { scheme: 'file', pattern: '**/web.config' },
      { scheme: KST_VIEW_SCHEME, language: KST_LANGUAGE },
    ],
    initializationOptions: { kstView: true } satisfies InitializationOptions,
  };
  client = new LanguageClient('lyncKst', 'Lync KST', serverOptions, clientOptions);

  const views = new KstViews(() => client);
  const status = vscode.languages.createLanguageStatusItem('lyncKst.status', [
    { language: 'xml' },
    { language: 'tbxml' },
    { language: 'powershell' },
    { language: 'json' },
    { language: KST_LANGUAGE },
  ]);
  status.name = 'Lync Known Servers Table';
  status.text = 'KST: indexing…';
  status.busy = true;
  status.command = { title: 'Show table', command: CLIENT_COMMANDS.showKnownServersTable };

  context.subscriptions.push(
    status,
    vscode.workspace.registerTextDocumentContentProvider(KST_VIEW_SCHEME, views),
    vscode.commands.registerCommand(CLIENT_COMMANDS.showKnownServersTable, (fqdn?: string) => views.show(VIEWS.table, fqdn)),
    vscode.tasks.registerTaskProvider(TASK_TYPE, new CheckTasks(context.asAbsolutePath('server/out/cli.js'))),
    vscode.commands.registerCommand(CLIENT_COMMANDS.simulateRestart, () => views.show(VIEWS.restart)),
    vscode.commands.registerCommand(CLIENT_COMMANDS.restartServer, () => client?.restart()),
    vscode.commands.registerCommand(CLIENT_COMMANDS.showOutput, () => client?.outputChannel.show(true)),
    vscode.commands.registerCommand(CLIENT_COMMANDS.compareWithPublished, (uri?: vscode.Uri, against?: vscode.Uri | string) =>
      compareWithPublished(views, uri, against),
    ),
    client.onNotification(StatusNotification, (s) => {
      status.busy = false;
      status.text = `KST: ${plural(s.entries, 'entry', 'entries')}, ${plural(s.conflicts, 'conflict', 'conflicts')}`;
      status.detail = `validated ${new Date(s.validatedAt).toLocaleTimeString()} in ${s.durationMs} ms`;
      status.severity = s.conflicts > 0 ? vscode.LanguageStatusSeverity.Error : vscode.LanguageStatusSeverity.Information;
      views.refresh();
    }),
  );
  await client.start();
}

export function deactivate(): Thenable<void> | undefined {
  return client?.stop();
}

/**
 * "Compare with published topology…": what publishing the file as it is now would do to the KST,
 * against the backup Publish-CsTopology left (a file picked) or git's HEAD version. With
 * arguments (the file, then a URI or a git revision), it asks nothing: for keybindings and tests.
 */
async function compareWithPublished(views: KstViews, given?: vscode.Uri, other?: vscode.Uri | string): Promise<void> {
  const uri = given ?? vscode.window.activeTextEditor?.document.uri;
  if (!uri || uri.scheme !== 'file') {
    void vscode.window.showWarningMessage('Lync KST: open the topology export to compare first.');
    return;
  }
  let against: DiffAgainst | undefined = typeof other === 'string' ? { git: other } : other ? { uri: other.toString() } : undefined;
  if (!against) {
    const pick = await vscode.window.showQuickPick(
      [
        { label: 'Another file…', detail: 'The backup Publish-CsTopology left in %temp%, or any other export', git: false },
        { label: 'The git HEAD version', detail: 'The file as last committed', git: true },
      ],
      { title: `Compare ${path.basename(uri.fsPath)} with` },
    );
    if (!pick) return;
    if (pick.git) against = { git: 'HEAD' };
    else {
      const [file] =
        (await vscode.window.showOpenDialog({ canSelectMany: false, filters: { Topology: ['xml', 'tbxml'], 'All files': ['*'] } })) ?? [];
      if (!file) return;
      against = { uri: file.toString() };
    }
  }
  const c = client;
  if (!c?.isRunning()) return;
  const result = await c.sendRequest(DiffRequest, { uri: uri.toString(), against });
  if ('problem' in result) {
    void vscode.window.showErrorMessage(`Lync KST: cannot compare: ${result.problem}.`);
    return;
  }
  const view = vscode.Uri.from({ scheme: KST_VIEW_SCHEME, path: `/Publishing ${path.basename(uri.fsPath)}`, query: String(Date.now()) });
  views.fixed.set(view.toString(), result.text);
  await views.show(view);
}

/** The read-only Known Servers Table documents; refreshed after every validation. Comparisons keep the text they were made with. */
class KstViews implements vscode.TextDocumentContentProvider {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  readonly fixed = new Map<string, string>();

  constructor(private readonly client: () => LanguageClient | undefined) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const kept = this.fixed.get(uri.toString());
    if (kept !== undefined) return kept;
    const c = this.client();
    if (!c?.isRunning()) return 'The lync-kst language server is not running. Run "Lync KST: Show Output" to see why.';
    const result = await c.sendRequest(KnownServersTableRequest, { restart: uri.toString() === VIEWS.restart.toString() });
    return result.text;
  }

  /** Opens a view beside the editor; with an FQDN (a code lens), at that server's first row. */
  async show(uri: vscode.Uri, fqdn?: string): Promise<void> {
    let doc = await vscode.workspace.openTextDocument(uri);
    if (doc.languageId !== KST_LANGUAGE) doc = await vscode.languages.setTextDocumentLanguage(doc, KST_LANGUAGE);
    const editor = await vscode.window.showTextDocument(doc, { preview: false, viewColumn: vscode.ViewColumn.Beside });
    const line = fqdn
      ? doc
          .getText()
          .split(/\r?\n/)
          .findIndex((l) => l.startsWith(`${fqdn} `))
      : -1;
    if (line >= 0) {
      const row = new vscode.Range(line, 0, line, fqdn?.length ?? 0);
      editor.selection = new vscode.Selection(row.start, row.end);
      editor.revealRange(row, vscode.TextEditorRevealType.InCenter);
    }
  }

  refresh(): void {
    for (const doc of vscode.workspace.textDocuments)
      if (doc.uri.scheme === KST_VIEW_SCHEME && !this.fixed.has(doc.uri.toString())) this.changed.fire(doc.uri);
  }
}

const TASK_TYPE = 'lync-kst';

/**
 * `lync-kst check` as a task of each workspace folder, run with the CLI the extension ships (on
 * the editor's own Node: no install needed), its output read by the `$lync-kst` problem matcher.
 */
class CheckTasks implements vscode.TaskProvider {
  constructor(private readonly cli: string) {}

  provideTasks(): vscode.Task[] {
    return (vscode.workspace.workspaceFolders ?? []).map((folder) => this.task({ type: TASK_TYPE, command: 'check' }, folder));
  }

  resolveTask(task: vscode.Task): vscode.Task | undefined {
    const folder = typeof task.scope === 'object' ? task.scope : vscode.workspace.workspaceFolders?.[0];
    return folder && task.definition.command === 'check' ? this.task(task.definition, folder) : undefined;
  }

  private task(definition: vscode.TaskDefinition, folder: vscode.WorkspaceFolder): vscode.Task {
    const paths: string[] = Array.isArray(definition.paths) ? definition.paths : ['.'];
    const execution = new vscode.ProcessExecution(process.execPath, [this.cli, 'check', ...paths], {
      cwd: folder.uri.fsPath,
      env: { ELECTRON_RUN_AS_NODE: '1' },
    });
    return new vscode.Task(definition, folder, 'check', 'lync-kst', execution, ['$lync-kst']);
  }
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
