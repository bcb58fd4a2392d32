import { Feature } from '../core';
import { KnownServersTableRequest } from '../protocol';

/** The Known Servers Table view's text (what `lync-kst kst` prints), on request, for the text as it is now. */
export const kstViewFeature: Feature = {
  register(server) {
    server.connection.onRequest(
      KnownServersTableRequest,
      server.guard(
        'Known Servers Table',
        { text: 'lync-kst could not simulate the Known Servers Table; see the output.' },
        async (params) => {
          const s = await server.current();
          return { text: params?.restart === true ? s.kstAfterRestart : s.kst };
        },
      ),
    );
  },
};
