import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { VERSION } from '../version';
import { Server } from './core';
import { codeActionsFeature } from './features/codeActions';
import { commandsFeature } from './features/commands';
import { diagnosticsFeature } from './features/diagnostics';
import { diffFeature } from './features/diff';
import { hoverFeature } from './features/hover';
import { kstViewFeature } from './features/kstView';
import { codeLensFeature, completionFeature, definitionFeature, renameFeature, symbolsFeature } from './features/navigation';

const TRANSPORTS = ['--stdio', '--node-ipc', '--socket', '--pipe'];
const args = process.argv.slice(2);

if (args.includes('--version')) {
  process.stdout.write(`${VERSION}\n`);
} else if (args.includes('--help') || !args.some((a) => TRANSPORTS.some((t) => a === t || a.startsWith(`${t}=`)))) {
  const out = args.includes('--help') ? process.stdout : process.stderr;
  out.write(`Usage: lync-kst-language-server --stdio | --node-ipc | --socket=<port> | --pipe=<name>

The lync-kst language server: simulates the Lync / Skype for Business Known Servers Table
from the topology exports, UM dial plans and PowerShell scripts in the workspace folders and
reports conflicts (event 14563) as LSP diagnostics, with hovers and quick fixes.
`);
  process.exitCode = args.includes('--help') ? 0 : 2;
} else {
  const connection = createConnection(ProposedFeatures.all);
  // A bug in one handler is logged; the editor keeps its server.
  process.on('uncaughtException', (e) => connection.console.error(`Uncaught: ${e.stack ?? e.message}`));
  process.on('unhandledRejection', (e) =>
    connection.console.error(`Unhandled rejection: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`),
  );
  new Server(connection, [
    diagnosticsFeature(),
    hoverFeature,
    codeActionsFeature,
    commandsFeature,
    kstViewFeature,
    diffFeature,
    symbolsFeature,
    definitionFeature,
    codeLensFeature,
    renameFeature,
    completionFeature,
  ]).start();
  connection.listen();
}
