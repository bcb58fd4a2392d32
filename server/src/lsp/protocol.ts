/**
 * What the server and its clients say beyond plain LSP, typed once for both sides: the VS Code
 * client imports these, and any other editor's glue can send the same. Every custom message is
 * optional for a client. Model: vscode-eslint's shared message types.
 */
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';

/** Request: the Known Servers Table view as text (the same report `lync-kst kst` prints). */
export const KST_VIEW_REQUEST = 'lyncKst/knownServersTable';

export interface KstViewParams {
  /** Add the event sequence an RTCSRV restart produces (Option 2). */
  restart: boolean;
}

export interface KstViewResult {
  text: string;
}

export const KnownServersTableRequest = new RequestType<KstViewParams, KstViewResult, void>(KST_VIEW_REQUEST);

/**
 * Request: what the Known Servers Table would become if the workspace, with `uri` as another
 * version of it, were published as it is now: `against` names the other version (the backup
 * Publish-CsTopology left, or the file at a git revision). The same report as `lync-kst diff`.
 */
export const DIFF_REQUEST = 'lyncKst/diff';

export type DiffAgainst = { uri: string } | { git: string };

export interface DiffParams {
  uri: string;
  against: DiffAgainst;
}

export interface DiffResult {
  text: string;
  /** Conflicts the change to `uri` adds. */
  conflictsAppear: number;
}

export const DiffRequest = new RequestType<DiffParams, DiffResult | { problem: string }, void>(DIFF_REQUEST);

/** Notification from the server after every validation of the workspace. */
export const STATUS_NOTIFICATION = 'lyncKst/status';

export interface StatusParams {
  /** Inputs read (topologies, dial plans, scripts), out of the files indexed. */
  inputs: number;
  entries: number;
  conflicts: number;
  errors: number;
  /** ISO time of the validation and how long it took. */
  validatedAt: string;
  durationMs: number;
}

export const StatusNotification = new NotificationType<StatusParams>(STATUS_NOTIFICATION);

/** Commands the server executes (workspace/executeCommand), so they work in every editor. */
export const SERVER_COMMANDS = {
  /** Args: [summary: string, uris: string[]]. Runs after a fix's edit is applied: says what it changed, reads the files again. */
  fixApplied: 'lyncKst.server.fixApplied',
  /** Args: [why: string]. Runs when a fix picked from the list turned out not to be safe to make: says why. */
  fixRefused: 'lyncKst.server.fixRefused',
  /** Args: [code: string]. Opens the rule's documentation (window/showDocument, external). */
  showDocumentation: 'lyncKst.server.showDocumentation',
  /** Args: none. Shows the restart event sequence as a message, for editors without the KST view. */
  explainRestart: 'lyncKst.server.explainRestart',
  /** Args: [fqdn: string]. A code lens's command in editors without the KST view: the server's entries as a message. */
  showServer: 'lyncKst.server.showServer',
} as const;

/** Commands the VS Code client contributes; the server points code actions at them when told they exist. */
export const CLIENT_COMMANDS = {
  showKnownServersTable: 'lyncKst.showKnownServersTable',
  simulateRestart: 'lyncKst.simulateRestart',
  restartServer: 'lyncKst.restartServer',
  showOutput: 'lyncKst.showOutput',
  compareWithPublished: 'lyncKst.compareWithPublished',
} as const;

/** URI scheme of the read-only KST view documents; the server answers hovers on them too. */
export const KST_VIEW_SCHEME = 'lync-kst';

/** `initializationOptions` a client may send. */
export interface InitializationOptions {
  /** The client has the KST view and the CLIENT_COMMANDS (the VS Code extension). */
  kstView?: boolean;
  /** Milliseconds to wait after an edit before validating; default 200. */
  debounceMs?: number;
}
