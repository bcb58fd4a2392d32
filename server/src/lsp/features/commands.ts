import { MessageType } from 'vscode-languageserver';
import { restartExplanation } from '../../explain/restart';
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
          case SERVER_COMMANDS.fixApplied:
            if (typeof args[0] === 'string') server.show(MessageType.Info, args[0]);
            return;
          case SERVER_COMMANDS.showDocumentation: {
            const code = String(args[0]).toUpperCase();
            if (!CODES.includes(code)) return;
            if (server.client.window?.showDocument?.support)
              await server.connection.window.showDocument({ uri: docsUrl(code), external: true });
            else server.show(MessageType.Info, `${code}: ${docsUrl(code)}`);
            return;
          }
          case SERVER_COMMANDS.explainRestart: {
            const analysis = await server.analysis();
            if (analysis) server.show(MessageType.Info, restartExplanation(analysis.kst));
            return;
          }
        }
      }),
    );
  },
};
