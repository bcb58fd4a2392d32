import type * as Sarif from 'sarif';
import { Finding, Severity } from '../rules/finding';
import { CODES, docsUrl, RULES } from '../rules/catalogue';
import { location, Span } from '../text/source';

export function textReport(findings: Finding[], filesRead: number): string {
  const out: string[] = [];
  for (const f of findings) {
    const l = location(f.span);
    out.push(`${f.span.file.path}:${l.line}:${l.column} ${f.severity} ${f.code} ${f.message}`);
    for (const r of f.related) {
      const rl = location(r.span);
      out.push(`    ${r.span.file.path}:${rl.line}:${rl.column} related: ${r.message}`);
    }
  }
  out.push(summary(findings, filesRead));
  return out.join('\n') + '\n';
}

export function summary(findings: Finding[], filesRead: number): string {
  const n = (s: Severity): number => findings.filter((f) => f.severity === s).length;
  const plural = (k: number, word: string): string => `${k} ${word}${k === 1 ? '' : 's'}`;
  return (
    `${plural(n('error'), 'error')}, ${plural(n('warning'), 'warning')}, ${n('information')} ` +
    `information, ${plural(n('hint'), 'hint')} in ${plural(filesRead, 'file')}.`
  );
}

export function jsonReport(findings: Finding[]): string {
  return (
    JSON.stringify(
      findings.map((f) => ({
        file: f.span.file.path,
        ...location(f.span),
        severity: f.severity,
        code: f.code,
        message: f.message,
        related: f.related.map((r) => ({
          file: r.span.file.path,
          line: location(r.span).line,
          column: location(r.span).column,
          message: r.message,
        })),
      })),
      null,
      2,
    ) + '\n'
  );
}

const SARIF_LEVEL: Record<Severity, Sarif.Result.level> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

function sarifLocation(s: Span): Sarif.Location {
  const l = location(s);
  return {
    physicalLocation: {
      artifactLocation: { uri: s.file.path.split('\\').join('/') },
      region: { startLine: l.line, startColumn: l.column, endLine: l.endLine, endColumn: l.endColumn },
    },
  };
}

export function sarifReport(findings: Finding[], version: string): string {
  const log: Sarif.Log = {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [
      {
        tool: {
          driver: {
            name: 'lync-kst',
            version,
            informationUri: docsUrl('KST001').split('#')[0],
            rules: RULES.map((r) => ({
              id: r.code,
              name: r.code,
              shortDescription: { text: r.title },
              fullDescription: { text: r.description },
              helpUri: docsUrl(r.code),
              defaultConfiguration: { level: SARIF_LEVEL[r.severity] },
            })),
          },
        },
        results: findings.map((f) => ({
          ruleId: f.code,
          ruleIndex: CODES.indexOf(f.code),
          level: SARIF_LEVEL[f.severity],
          message: { text: f.message },
          locations: [sarifLocation(f.span)],
          relatedLocations: f.related.map((r, i) => ({ id: i, ...sarifLocation(r.span), message: { text: r.message } })),
        })),
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
