import { Feature } from '../core';
import { DiffRequest } from '../protocol';

/** "Compare with published topology…": the KST as the other version of a file gives it, against the workspace as it is now. */
export const diffFeature: Feature = {
  register(server) {
    server.connection.onRequest(
      DiffRequest,
      server.guard('comparison', { problem: 'lync-kst could not compare; see the output.' }, async (params) => {
        await server.current();
        return server.engine.diff(params.uri, params.against);
      }),
    );
  },
};
