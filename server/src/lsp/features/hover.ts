import { Hover, MarkupKind } from 'vscode-languageserver';
import { hoverInKstView, targetAt, wordHover } from '../../explain/hover';
import { Feature, Server } from '../core';
import { mapBack, mapSpan } from '../documents';
import { KST_VIEW_SCHEME } from '../protocol';
import { URI } from 'vscode-uri';

/**
 * Hovers on FQDNs, versions and event IDs, in every input and in the KST view (texts:
 * explain/hover.ts), answered from the newest snapshot without waiting for an analysis in
 * progress. A position is moved back onto the text that was analysed, and the hovered range
 * forward onto the text as it is; where the text under it changed since, there is no hover.
 */
export const hoverFeature: Feature = {
  capabilities: () => ({ hoverProvider: true }),
  register(server) {
    server.connection.onHover(
      server.guard('hover', null, async (params): Promise<Hover | null> => {
        const doc = server.docs.get(params.textDocument.uri);
        if (!doc) return null;
        const s = await server.snapshot();
        const codec = doc.codec(server.encoding);
        const offset = codec.offset(params.position);
        if (URI.parse(doc.uri).scheme === KST_VIEW_SCHEME) {
          const h = hoverInKstView((fqdn) => textOf(s.hovers.texts, s.hovers.fqdns.get(fqdn)), doc.text, offset);
          return h ? { contents: content(server, h.markdown) } : null;
        }
        const version = server.analysedVersion(s, doc);
        const edits = version === undefined ? undefined : server.docs.editsSince(doc.uri, version);
        const then = edits && mapBack(offset, edits);
        const target = edits && then !== undefined ? targetAt(s.hovers, doc.uri, then) : undefined;
        const span = target && edits && mapSpan(target.start, target.end, edits);
        // A mention the engine holds no token for is read from the text as it is now.
        const line = doc.lineAt(offset);
        const h = span ? { ...target, ...span } : wordHover(s.hovers, line.text, line.start, offset);
        if (!h) return null;
        return { contents: content(server, h.markdown), range: { start: codec.position(h.start), end: codec.position(h.end) } };
      }),
    );
  },
};

function textOf(texts: string[], i: number | undefined): string | undefined {
  return i === undefined ? undefined : texts[i];
}

/** Markdown, or plain text for a client that does not render markdown. */
function content(server: Server, markdown: string): { kind: MarkupKind; value: string } {
  // The formats come in the client's order of preference; one that puts plain text first gets plain text.
  if (server.client.textDocument?.hover?.contentFormat?.[0] !== MarkupKind.PlainText) return { kind: MarkupKind.Markdown, value: markdown };
  return { kind: MarkupKind.PlainText, value: plainText(markdown) };
}

/** What markdown says, without its marks: links as text (target), emphasis and escapes dropped. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/\[([^\]]*)\]\(([^)]*)\)/g, (_m, text: string, href: string) => `${text} (${href})`)
    .replace(/\*\*|\*|`/g, '')
    .replace(/\\([\\`*_[\]|<>])/g, '$1');
}
