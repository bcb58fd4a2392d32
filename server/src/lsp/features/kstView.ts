import { kstReport } from '../../simulate/report';
import { Feature } from '../core';
import { KnownServersTableRequest } from '../protocol';

/** The Known Servers Table view's text (what `lync-kst kst` prints), on request. */
export const kstViewFeature: Feature = {
  register(server) {
    server.connection.onRequest(
      KnownServersTableRequest,
      server.guard(
        'Known Servers Table',
        { text: 'lync-kst could not simulate the Known Servers Table; see the output.' },
        async (params) => {
          const analysis = await server.analysis();
          if (!analysis) return { text: 'No workspace has been validated yet.' };
          return { text: kstReport(analysis.kst, params?.restart === true, server.display) };
        },
      ),
    );
  },
};
