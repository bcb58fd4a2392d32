import { Feature } from '../core';
import { KnownServersTableRequest } from '../protocol';
import { ask } from './navigation';

/** The Known Servers Table view's text (what `lync-kst kst` prints), on request, for the text as it is now. */
export const kstViewFeature: Feature = {
  register(server) {
    server.connection.onRequest(
      KnownServersTableRequest,
      server.guard(
        'Known Servers Table',
        { text: 'lync-kst could not simulate the Known Servers Table; see the output.' },
        // Made when the view asks, from the analysis of the text as it is: most validations are never shown as a table.
        (params) => ask<{ text: string }>(server, { kind: 'kstView', restart: params?.restart === true }),
      ),
    );
  },
};
