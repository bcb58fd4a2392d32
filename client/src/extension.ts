import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';
import {
  CLIENT_COMMANDS,
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
    vscode.commands.registerCommand(CLIENT_COMMANDS.showKnownServersTable, () => views.show(VIEWS.table)),
    vscode.commands.registerCommand(CLIENT_COMMANDS.simulateRestart, () => views.show(VIEWS.restart)),
    vscode.commands.registerCommand(CLIENT_COMMANDS.restartServer, () => client?.restart()),
    vscode.commands.registerCommand(CLIENT_COMMANDS.showOutput, () => client?.outputChannel.show(true)),
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

/** The read-only Known Servers Table documents; refreshed after every validation. */
class KstViews implements vscode.TextDocumentContentProvider {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly client: () => LanguageClient | undefined) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const c = this.client();
    if (!c?.isRunning()) return 'The lync-kst language server is not running. Run "Lync KST: Show Output" to see why.';
    const result = await c.sendRequest(KnownServersTableRequest, { restart: uri.toString() === VIEWS.restart.toString() });
    return result.text;
  }

  async show(uri: vscode.Uri): Promise<void> {
    let doc = await vscode.workspace.openTextDocument(uri);
    if (doc.languageId !== KST_LANGUAGE) doc = await vscode.languages.setTextDocumentLanguage(doc, KST_LANGUAGE);
    await vscode.window.showTextDocument(doc, { preview: false, viewColumn: vscode.ViewColumn.Beside });
  }

  refresh(): void {
    for (const doc of vscode.workspace.textDocuments) if (doc.uri.scheme === KST_VIEW_SCHEME) this.changed.fire(doc.uri);
  }
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
