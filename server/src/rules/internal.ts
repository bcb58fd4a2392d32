import { SourceFile, span } from '../text/source';
import { finding, Finding } from './finding';
import { rule } from './rule';

export const INT001 = rule<{ what: string; error: unknown }>({
  code: 'INT001',
  severity: 'error',
  title: 'Internal error: a rule or reader failed',
  description:
    "lync-kst itself failed on part of the work (a rule, a reader): that part's findings are missing, so the result is marked incomplete " +
    'instead of passing as clean.',
  message: (a) =>
    `lync-kst failed while ${a.what} ` +
    `(${(a.error instanceof Error ? `${a.error.name}: ${a.error.message}` : String(a.error)).slice(0, 300)}). What that part would have ` +
    `reported is missing, so this result is incomplete. Please report it with the file that caused it.`,
});

/** INT001 at the start of a file: raised by the analysis and the language server, outside any checker. */
export function internalError(file: SourceFile, what: string, error: unknown): Finding {
  return finding(INT001, span(file, 0, 0), { what, error });
}
