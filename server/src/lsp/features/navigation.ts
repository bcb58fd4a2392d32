import { CodeLensRefreshRequest, ErrorCodes, ResponseError } from 'vscode-languageserver';
import { Feature, Server } from '../core';
import { NavQuery } from '../engine/navigate';
import { CLIENT_COMMANDS, SERVER_COMMANDS } from '../protocol';

/**
 * Asks the analysis thread, once the analysis of everything sent so far is published: answers
 * about links and names must be about the text as it is, not as it was an edit ago.
 */
export async function ask<R>(server: Server, query: NavQuery): Promise<R> {
  await server.current();
  const documentChanges = server.client.workspace?.workspaceEdit?.documentChanges === true;
  const showTable = server.init.kstView ? CLIENT_COMMANDS.showKnownServersTable : SERVER_COMMANDS.showServer;
  return (await server.engine.query(query, showTable, documentChanges)) as R;
}

/** Outline (documentSymbol) and workspace symbols: sites, pools, machines, services, SQL instances, plans, cmdlets. */
export const symbolsFeature: Feature = {
  capabilities: () => ({ documentSymbolProvider: true, workspaceSymbolProvider: true }),
  register(server) {
    server.connection.onDocumentSymbol(server.guard('outline', [], (p) => ask(server, { kind: 'symbols', uri: p.textDocument.uri })));
    server.connection.onWorkspaceSymbol(
      server.guard('workspace symbols', [], (p) => ask(server, { kind: 'workspaceSymbols', query: p.query })),
    );
  },
};

/** Go to definition and find references: topology links, GUIDs, a script's pool and Registrar, a dial-plan server. */
export const definitionFeature: Feature = {
  capabilities: () => ({ definitionProvider: true, referencesProvider: true }),
  register(server) {
    server.connection.onDefinition(
      server.guard('definition', null, (p) => ask(server, { kind: 'definition', uri: p.textDocument.uri, position: p.position })),
    );
    server.connection.onReferences(
      server.guard('references', [], (p) => ask(server, { kind: 'references', uri: p.textDocument.uri, position: p.position })),
    );
  },
};

/** Each server's KST state above where it is written; refreshed with every validation; `lyncKst.codeLens` turns it off. */
export const codeLensFeature: Feature = {
  capabilities: () => ({ codeLensProvider: { resolveProvider: false } }),
  register(server) {
    server.connection.onCodeLens(
      server.guard('code lens', [], (p) => (server.settings.codeLens ? ask(server, { kind: 'lenses', uri: p.textDocument.uri }) : [])),
    );
  },
  snapshot(server) {
    if (server.client.workspace?.codeLens?.refreshSupport)
      void server.connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
  },
};

/** Rename a server everywhere it is written, simulated first: a rename that makes a conflict says so in its label. */
export const renameFeature: Feature = {
  capabilities: () => ({ renameProvider: { prepareProvider: true } }),
  register(server) {
    server.connection.onPrepareRename(
      server.guard('prepare rename', null, (p) => ask(server, { kind: 'prepareRename', uri: p.textDocument.uri, position: p.position })),
    );
    server.connection.onRenameRequest(
      server.guard('rename', null, async (p) => {
        const r = await ask<{ problem: string } | object | null>(server, {
          kind: 'rename',
          uri: p.textDocument.uri,
          position: p.position,
          newName: p.newName,
        });
        // Returned, not thrown: the editor shows it, where a thrown error would be logged as a bug.
        if (r && 'problem' in r)
          return new ResponseError(ErrorCodes.InvalidRequest, `lync-kst cannot rename: ${(r as { problem: string }).problem}`) as never;
        return r as never;
      }),
    );
  },
};

/** Completion of known values, parameter names and the workspace's FQDNs. */
export const completionFeature: Feature = {
  capabilities: () => ({ completionProvider: { triggerCharacters: ['"', '-', "'"] } }),
  register(server) {
    server.connection.onCompletion(
      server.guard('completion', [], (p) => ask(server, { kind: 'completion', uri: p.textDocument.uri, position: p.position })),
    );
  },
};
