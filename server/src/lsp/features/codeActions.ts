import { CodeAction, CodeActionKind, CodeActionParams, Diagnostic } from 'vscode-languageserver';
import { CATALOGUE } from '../../rules/catalogue';
import { DiagnosticData, SOURCE } from '../convert';
import { Feature, Server } from '../core';
import { mapSpan } from '../documents';
import { keyOf } from '../keys';
import { CLIENT_COMMANDS, SERVER_COMMANDS } from '../protocol';
import { fixAction, FixSummary, Snapshot } from '../snapshot';

/** What a fix's code action carries to `codeAction/resolve`. */
interface ActionData {
  fix: string;
}

/**
 * Quick fixes: the engine's fixes (found through the ids a diagnostic carries in `data`, or by
 * its code and place when the client drops `data`), Option 2 for a KST001 conflict with
 * Exchange UM, and the rule's documentation. Listed from the newest snapshot at once; a fix's
 * edits are made and checked on the analysis thread, when the client resolves the action (or
 * before answering, for a client that cannot resolve).
 */
export const codeActionsFeature: Feature = {
  capabilities: (server) => ({
    codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix], resolveProvider: resolves(server) },
  }),
  register(server) {
    server.connection.onCodeAction(server.guard('code action', [], (params) => codeActions(server, params)));
    server.connection.onCodeActionResolve(
      server.guard('code action resolve', undefined as unknown as CodeAction, async (action) => {
        const data = action.data as Partial<ActionData> | undefined;
        if (typeof data?.fix !== 'string') return action;
        const s = await server.snapshot();
        const fix = s.fixes.get(data.fix);
        const done = fix && (await resolved(server, fix, action.diagnostics ?? []));
        if (done) return done;
        return {
          ...action,
          command: { title: 'Why the fix was not made', command: SERVER_COMMANDS.fixRefused, arguments: [refusals.get(data.fix) ?? ''] },
        };
      }),
    );
  },
};

/** Why each fix was last refused, for the message `fixRefused` shows. */
const refusals = new Map<string, string>();

/** The client can fill in a code action's edit later (VS Code can; not every editor). */
function resolves(server: Server): boolean {
  return server.client.textDocument?.codeAction?.resolveSupport?.properties.includes('edit') === true;
}

async function codeActions(server: Server, params: CodeActionParams): Promise<CodeAction[]> {
  const only = params.context.only;
  if (only && !only.some((k) => CodeActionKind.QuickFix.startsWith(k) || k.startsWith(CodeActionKind.QuickFix))) return [];
  const s = await server.snapshot();
  const key = keyOf(params.textDocument.uri);
  const actions: CodeAction[] = [];
  const docs = new Set<string>();
  for (const d of params.context.diagnostics) {
    const rule = d.source === SOURCE && typeof d.code === 'string' ? CATALOGUE.get(d.code) : undefined;
    if (!rule) continue;
    for (const fix of fixesOf(s, key, d)) {
      if (stale(server, s, fix)) {
        server.log(
          `Not offering "${fix.title}": a file it changes was edited since it was worked out; it comes back with the next analysis.`,
        );
        continue;
      }
      if (resolves(server)) actions.push({ ...fixAction(fix, [d]), data: { fix: fix.id } satisfies ActionData });
      else {
        const action = await resolved(server, fix, [d]);
        if (action) actions.push(action);
      }
    }
    if (rule.code === 'KST001' && restartHelps(server, s, key, d)) actions.push(option2(server, d));
    if (!docs.has(rule.code)) {
      docs.add(rule.code);
      actions.push({
        title: `Show documentation for ${rule.code}: ${rule.title}`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [d],
        command: { title: 'Show documentation', command: SERVER_COMMANDS.showDocumentation, arguments: [rule.code] },
      });
    }
  }
  return actions;
}

/** The fix with its edits, or undefined (and why in the log) when it is not safe to make as the files are now. */
async function resolved(server: Server, fix: FixSummary, diagnostics: Diagnostic[]): Promise<CodeAction | undefined> {
  const result = await server.engine.resolve(fix.id, server.documentChanges);
  let problem: string | undefined;
  if ('problem' in result) problem = result.problem;
  else {
    // Worked out for the text the analysis thread has; the client must still have that text.
    const moved = Object.entries(result.versions).find(([uri, v]) => {
      const doc = server.docs.get(uri);
      return doc ? doc.version !== v : v !== null;
    });
    if (moved) problem = `${moved[0]} was edited since; ask again`;
    else return fixAction(fix, diagnostics, result);
  }
  refusals.set(fix.id, `lync-kst did not make "${fix.title}": ${problem}.`);
  server.log(`Not offering "${fix.title}": ${problem}`);
  return undefined;
}

/** The fixes a diagnostic names in `data`; for a client that drops `data`, those of the snapshot's diagnostic with its code and place. */
function fixesOf(s: Snapshot, key: string, d: Diagnostic): FixSummary[] {
  const data = d.data as Partial<DiagnosticData> | undefined;
  let ids = Array.isArray(data?.fixes) ? data.fixes : undefined;
  if (!ids) {
    // Lines and messages must agree; columns may be counted in another encoding by the client.
    const same = (s.diagnostics.get(key) ?? []).find(
      (x) => x.code === d.code && x.range.start.line === d.range.start.line && x.message === d.message,
    );
    ids = (same?.data as DiagnosticData | undefined)?.fixes ?? [];
  }
  // An id from an older analysis either still names the same fix (ids are built from content) or nothing.
  return ids.flatMap((id) => (typeof id === 'string' && s.fixes.has(id) ? [s.fixes.get(id) as FixSummary] : []));
}

/** A file the fix changes was edited since the analysis it comes from. */
function stale(server: Server, s: Snapshot, fix: FixSummary): boolean {
  return fix.uris.some((uri) => {
    const doc = server.docs.get(uri);
    return doc !== undefined && server.analysedVersion(s, doc) !== doc.version;
  });
}

/** Option 2 only brings back an Exchange server: the conflict at this diagnostic must involve Exchange UM. */
function restartHelps(server: Server, s: Snapshot, key: string, d: Diagnostic): boolean {
  const doc = server.docs.get(key);
  if (!doc) return false;
  const version = server.analysedVersion(s, doc);
  const edits = version === undefined ? undefined : server.docs.editsSince(key, version);
  if (!edits) return false;
  const codec = doc.codec(server.encoding);
  // The line is enough: a client may count columns in another encoding.
  return (s.restartable.get(key) ?? []).some((start) => {
    const at = mapSpan(start, start, edits);
    return at !== undefined && codec.position(at.start).line === d.range.start.line;
  });
}

function option2(server: Server, d: Diagnostic): CodeAction {
  return {
    title: 'Option 2: simulate an RTCSRV restart (14563, 44030, then 14493 adds the Exchange server back)',
    kind: CodeActionKind.QuickFix,
    diagnostics: [d],
    command: server.init.kstView
      ? { title: 'Simulate RTCSRV Restart', command: CLIENT_COMMANDS.simulateRestart }
      : { title: 'Simulate RTCSRV Restart', command: SERVER_COMMANDS.explainRestart },
  };
}
