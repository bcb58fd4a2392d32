import { MessageType } from 'vscode-languageserver';
import { CODES, docsUrl } from '../../rules/catalogue';
import { Feature } from '../core';
import { SERVER_COMMANDS } from '../protocol';

/** The commands the server runs for code actions, so they work in every editor. */
export const commandsFeature: Feature = {
  capabilities: () => ({ executeCommandProvider: { commands: Object.values(SERVER_COMMANDS) } }),
  register(server) {
    server.connection.onExecuteCommand(
      server.guard('command', undefined, async (params) => {
        const args = params.arguments ?? [];
        switch (params.command) {
          case SERVER_COMMANDS.fixApplied: {
            if (typeof args[0] === 'string') server.show(MessageType.Info, args[0]);
            // Whatever the client reports about the files it wrote (some cannot watch files), they are read again.
            const uris = Array.isArray(args[1]) ? args[1].filter((u): u is string => typeof u === 'string') : [];
            if (uris.length > 0) server.engine.send({ t: 'reload', uris });
            return;
          }
          case SERVER_COMMANDS.fixRefused:
            if (typeof args[0] === 'string' && args[0]) server.show(MessageType.Warning, args[0]);
            return;
          case SERVER_COMMANDS.showDocumentation: {
            const code = String(args[0]).toUpperCase();
            if (!CODES.includes(code)) return;
            if (server.client.window?.showDocument?.support)
              await server.connection.window.showDocument({ uri: docsUrl(code), external: true });
            else server.show(MessageType.Info, `${code}: ${docsUrl(code)}`);
            return;
          }
          case SERVER_COMMANDS.explainRestart:
            server.show(MessageType.Info, (await server.current()).restartMessage);
            return;
          case SERVER_COMMANDS.showServer: {
            const fqdn = typeof args[0] === 'string' ? args[0].toLowerCase() : '';
            const s = await server.current();
            const hover = s.hovers.fqdns.get(fqdn);
            // The hover's text, as plain lines: what the KST view would show for the server.
            if (hover !== undefined)
              server.show(MessageType.Info, (s.hovers.texts[hover] ?? '').replace(/\*\*|\*|\[([^\]]*)\]\([^)]*\)/g, '$1'));
            return;
          }
        }
      }),
    );
  },
};
