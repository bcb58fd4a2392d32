import { MarkupKind } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import { hoverInFile, hoverInKstView } from '../../explain/hover';
import { Feature } from '../core';
import { keyOf } from '../files';
import { KST_VIEW_SCHEME } from '../protocol';

/** Hovers on FQDNs, versions and event IDs, in every input and in the KST view (texts: explain/hover.ts). */
export const hoverFeature: Feature = {
  capabilities: () => ({ hoverProvider: true }),
  register(server) {
    server.connection.onHover(
      server.guard('hover', null, async (params) => {
        const analysis = await server.analysis();
        if (URI.parse(params.textDocument.uri).scheme === KST_VIEW_SCHEME) {
          const doc = server.documents.get(params.textDocument.uri);
          const h = doc && hoverInKstView(analysis, doc.getText(), doc.offsetAt(params.position), server.display);
          return h ? { contents: { kind: MarkupKind.Markdown, value: h.markdown } } : null;
        }
        const file = server.files.get(keyOf(params.textDocument.uri));
        if (!analysis || !file || file.tooLarge) return null;
        const h = hoverInFile(analysis, file, file.lines.offsetAt(params.position), server.display);
        if (!h) return null;
        const range = h.span && { start: file.lines.positionAt(h.span.start), end: file.lines.positionAt(h.span.end) };
        return { contents: { kind: MarkupKind.Markdown, value: h.markdown }, range };
      }),
    );
  },
};
