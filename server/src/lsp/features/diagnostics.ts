import {
  Diagnostic,
  DocumentDiagnosticReport,
  DocumentDiagnosticReportKind,
  Range,
  WorkspaceDocumentDiagnosticReport,
} from 'vscode-languageserver';
import { FILE001 } from '../../rules/file';
import { finding } from '../../rules/finding';
import { SourceFile } from '../../text/source';
import { toDiagnostic } from '../convert';
import { Feature, Server } from '../core';
import { mapSpan, OpenDocument } from '../documents';
import { keyOf } from '../keys';
import { hash } from '../hash';
import { Snapshot } from '../snapshot';

/**
 * Diagnostics, pulled by clients that pull (`textDocument/diagnostic`, `workspace/diagnostic` with
 * result ids) and pushed to the rest, never both to one client. Pushed ones are moved onto the
 * text as it is now, and a range whose text changed since the analysis is left out until the next.
 */
export function diagnosticsFeature(): Feature {
  const published = new Map<string, string>();
  /** Open documents over the size limit: their FILE001 is known before any analysis runs. */
  const oversized = new Map<string, Diagnostic[]>();
  const held: ((s: Snapshot) => void)[] = [];
  /**
   * The result id the last workspace report gave per file. Only workspace reports count: a client
   * may drop a document report (VS Code does when the document's tab closes) and then relies on these.
   */
  const reported = new Map<string, string>();

  const pulls = (server: Server): boolean =>
    !!server.client.textDocument?.diagnostic && server.client.workspace?.diagnostics?.refreshSupport === true;

  const reportOf = (s: Snapshot, key: string): { items: Diagnostic[]; resultId: string } => {
    const items = oversized.get(key) ?? s.diagnostics.get(key) ?? [];
    return { items, resultId: hash(JSON.stringify(items)) };
  };

  const publish = (server: Server, uri: string, version: number | undefined, diagnostics: Diagnostic[]): void => {
    // An open document's diagnostics are sent again for each new version, so the client knows they are current.
    const json = `${version ?? ''}:${JSON.stringify(diagnostics)}`;
    if (published.get(uri) === json) return;
    if (diagnostics.length === 0 && version === undefined) published.delete(uri);
    else published.set(uri, json);
    void server.connection.sendDiagnostics({ uri, version, diagnostics });
  };

  return {
    capabilities: (server) =>
      pulls(server) ? { diagnosticProvider: { identifier: 'lync-kst', interFileDependencies: true, workspaceDiagnostics: true } } : {},

    // Registered before the client's capabilities are known; only asked for when diagnosticProvider was declared.
    register(server) {
      const diagnostics = server.connection.languages.diagnostics;
      diagnostics.on(
        server.guard(
          'document diagnostics',
          { kind: DocumentDiagnosticReportKind.Full, items: [] } as DocumentDiagnosticReport,
          async (params) => {
            const key = keyOf(params.textDocument.uri);
            const s = oversized.has(key) ? (server.engine.snapshot ?? (await server.current())) : await server.current();
            const { items, resultId } = reportOf(s, key);
            return params.previousResultId === resultId
              ? { kind: DocumentDiagnosticReportKind.Unchanged, resultId }
              : { kind: DocumentDiagnosticReportKind.Full, resultId, items };
          },
        ),
      );
      diagnostics.onWorkspace(
        server.guard('workspace diagnostics', { items: [] }, async (params, token) => {
          const previous = new Map(params.previousResultIds.map((p) => [keyOf(p.uri), p.value]));
          let s = await server.current();
          for (;;) {
            const items: WorkspaceDocumentDiagnosticReport[] = [];
            // A file the client sends no result id for (VS Code leaves out open documents) is compared
            // with what was last reported for it, so one whose diagnostics all went is still reported.
            for (const key of new Set([...s.diagnostics.keys(), ...previous.keys(), ...reported.keys(), ...oversized.keys()])) {
              const { items: found, resultId } = reportOf(s, key);
              if ((previous.get(key) ?? reported.get(key) ?? EMPTY) === resultId) continue;
              items.push({
                kind: DocumentDiagnosticReportKind.Full,
                uri: key,
                version: s.versions.get(key) ?? null,
                resultId,
                items: found,
              });
              reported.set(key, resultId);
            }
            // Nothing new: the request stays open until an analysis changes something (or the client cancels).
            if (items.length > 0 || token.isCancellationRequested) return { items };
            s = await new Promise<Snapshot>((resolve) => {
              held.push(resolve);
              token.onCancellationRequested(() => resolve(s));
            });
          }
        }),
      );
    },

    opened(server, doc) {
      if (!server.tooLarge(doc)) {
        if (oversized.delete(doc.uri) && !pulls(server)) published.delete(doc.uri);
        return;
      }
      // FILE001 at once: an oversized document costs no parse and waits for no analysis.
      const size = Buffer.byteLength(doc.text, 'utf8');
      const file = SourceFile.skipped(doc.uri, size, server.maxFileSize);
      const f = finding(FILE001, { file, start: 0, end: 0 }, { size, limit: server.maxFileSize });
      const d = toDiagnostic(f, false, () => ({ start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }));
      oversized.set(doc.uri, [d]);
      if (pulls(server)) void server.connection.languages.diagnostics.refresh();
      else publish(server, doc.uri, doc.version, [d]);
    },

    snapshot(server, s) {
      for (const key of [...oversized.keys()]) if (!server.docs.get(key)) oversized.delete(key);
      if (pulls(server)) {
        for (const resolve of held.splice(0)) resolve(s);
        void server.connection.languages.diagnostics.refresh();
        return;
      }
      for (const key of new Set([...s.diagnostics.keys(), ...published.keys()])) {
        if (oversized.has(key)) continue;
        const doc = server.docs.get(key);
        const list = s.diagnostics.get(key) ?? [];
        publish(server, key, doc?.version, doc ? moved(server, s, doc, list) : list);
      }
    },
  };
}

/** The result id of no diagnostics. */
const EMPTY = hash('[]');

/** The snapshot's diagnostics of an open document on its current text: moved with the edits since, dropped where they touch one. */
function moved(server: Server, s: Snapshot, doc: OpenDocument, list: Diagnostic[]): Diagnostic[] {
  const version = server.analysedVersion(s, doc);
  if (version === undefined || version === doc.version) return list;
  const edits = server.docs.editsSince(doc.uri, version);
  if (!edits) return [];
  const spans = s.spans.get(doc.uri) ?? [];
  const codec = doc.codec(server.encoding);
  const out: Diagnostic[] = [];
  list.forEach((d, i) => {
    const span = spans[i] && mapSpan(spans[i][0], spans[i][1], edits);
    if (!span) return;
    const range: Range = { start: codec.position(span.start), end: codec.position(span.end) };
    out.push({ ...d, range });
  });
  return out;
}
