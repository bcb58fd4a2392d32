import { CodeAction, CodeActionKind, CodeActionParams, Diagnostic, Position } from 'vscode-languageserver';
import { brokenFiles, fixProblem } from '../../fixes/check';
import { Fix } from '../../fixes/model';
import { CATALOGUE } from '../../rules/catalogue';
import { SourceFile } from '../../text/source';
import { Analysis } from '../../workspace/analyze';
import { DiagnosticData, SOURCE, toCodeAction, toRange } from '../convert';
import { Feature } from '../core';
import { keyOf } from '../files';
import { CLIENT_COMMANDS, SERVER_COMMANDS } from '../protocol';

/** Quick fixes: the engine's fixes, Option 2 and each rule's documentation. */
export const codeActionsFeature: Feature = {
  capabilities: () => ({ codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] } }),
  register(server) {
    server.connection.onCodeAction(
      server.guard('code action', [], async (params) => {
        const analysis = await server.analysis();
        if (!analysis) return [];
        return codeActions(analysis, params, {
          versionOf: (uri) => server.files.versionOf(uri),
          display: server.display,
          kstView: server.init.kstView === true,
          log: (m) => server.log(m),
        });
      }),
    );
  },
};

interface ActionHost {
  versionOf(uri: string): number | null;
  display(uri: string): string;
  /** The client has the KST view (VS Code): Option 2 opens it; elsewhere the server explains. */
  kstView: boolean;
  log(message: string): void;
}

/** Per analysis, the files with XML001 and whether each fix is safe to offer (computed once: it re-parses the files it changes). */
const checked = new WeakMap<Analysis, { broken: Map<SourceFile, number>; problems: Map<string, string | undefined> }>();

/**
 * Quick fixes for our diagnostics: the engine's fixes (found through the ids the diagnostic
 * carries in `data`), Option 2 for a KST001 conflict with Exchange UM, and the rule's docs.
 */
function codeActions(analysis: Analysis, params: CodeActionParams, host: ActionHost): CodeAction[] {
  const only = params.context.only;
  if (only && !only.some((k) => CodeActionKind.QuickFix.startsWith(k) || k.startsWith(CodeActionKind.QuickFix))) return [];
  const actions: CodeAction[] = [];
  const docs = new Set<string>();
  for (const d of params.context.diagnostics) {
    const rule = d.source === SOURCE && typeof d.code === 'string' ? CATALOGUE.get(d.code) : undefined;
    if (!rule) continue;
    const code = rule.code;
    for (const fix of fixesOf(analysis, d, host)) actions.push(toCodeAction(fix, [d], host.versionOf, host.display));
    if (code === 'KST001' && restartHelps(analysis, keyOf(params.textDocument.uri), d)) actions.push(option2(d, host));
    if (!docs.has(code)) {
      docs.add(code);
      actions.push({
        title: `Show documentation for ${code}: ${rule.title}`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [d],
        command: { title: 'Show documentation', command: SERVER_COMMANDS.showDocumentation, arguments: [code] },
      });
    }
  }
  return actions;
}

function fixesOf(analysis: Analysis, d: Diagnostic, host: ActionHost): Fix[] {
  const data = d.data as Partial<DiagnosticData> | undefined;
  if (!Array.isArray(data?.fixes)) return [];
  let cache = checked.get(analysis);
  if (!cache) checked.set(analysis, (cache = { broken: brokenFiles(analysis.findings), problems: new Map() }));
  const out: Fix[] = [];
  for (const id of data.fixes) {
    // An id from an older analysis either still names the same fix (ids are built from content) or nothing.
    const fix = typeof id === 'string' ? analysis.fixes.get(id) : undefined;
    if (!fix) continue;
    if (!cache.problems.has(id)) cache.problems.set(id, fixProblem(fix, cache.broken));
    const problem = cache.problems.get(id);
    if (problem) host.log(`Not offering "${fix.title}": ${problem}`);
    else out.push(fix);
  }
  return out;
}

/** Option 2 only brings back an Exchange server: the conflict at this diagnostic must involve Exchange UM. */
function restartHelps(analysis: Analysis, uri: string, d: Diagnostic): boolean {
  return analysis.kst.conflicts.some(
    (c) =>
      c.entries.some((e) => e.origin.kind === 'umDialPlan') &&
      c.entries.some((e) => e.token.span.file.path === uri && samePosition(toRange(e.token.span).start, d.range.start)),
  );
}

function samePosition(a: Position, b: Position): boolean {
  return a.line === b.line && a.character === b.character;
}

function option2(d: Diagnostic, host: ActionHost): CodeAction {
  return {
    title: 'Option 2: simulate an RTCSRV restart (14563, 44030, then 14493 adds the Exchange server back)',
    kind: CodeActionKind.QuickFix,
    diagnostics: [d],
    command: host.kstView
      ? { title: 'Simulate RTCSRV Restart', command: CLIENT_COMMANDS.simulateRestart }
      : { title: 'Simulate RTCSRV Restart', command: SERVER_COMMANDS.explainRestart },
  };
}
