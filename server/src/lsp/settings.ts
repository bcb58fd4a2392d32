import { Minimatch } from 'minimatch';
import { Severity } from '../rules/finding';
import { CODES } from '../rules/catalogue';
import { DEFAULT_ASSUMED_VERSION, AnalysisOptions } from '../workspace/analyze';
import { DEFAULT_MAX_FILE_SIZE } from '../workspace/load';

/** The `lyncKst` configuration section, as package.json contributes it. */
export interface Settings {
  assumedVersion: number;
  files: { include: string[]; exclude: string[] };
  /** Megabytes. */
  maxFileSize: number;
  rules: Partial<Record<string, Severity | 'off'>>;
}

export const SECTION = 'lyncKst';

export const DEFAULT_SETTINGS: Settings = {
  assumedVersion: DEFAULT_ASSUMED_VERSION,
  files: { include: [], exclude: [] },
  maxFileSize: DEFAULT_MAX_FILE_SIZE / 1024 / 1024,
  rules: {},
};

const LEVELS = new Set(['error', 'warning', 'information', 'hint', 'off']);

/**
 * Settings arrive from whatever the user typed in any editor's configuration: keep what is
 * valid, fall back to the default for the rest, and say what was ignored.
 */
export function sanitize(raw: unknown): { settings: Settings; problems: string[] } {
  const problems: string[] = [];
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const settings: Settings = structuredClone(DEFAULT_SETTINGS);

  if (r.assumedVersion !== undefined) {
    if (Number.isInteger(r.assumedVersion) && (r.assumedVersion as number) > 0) settings.assumedVersion = r.assumedVersion as number;
    else problems.push(`lyncKst.assumedVersion must be a version number such as 5 or 6, not ${JSON.stringify(r.assumedVersion)}`);
  }
  const files = (r.files && typeof r.files === 'object' ? r.files : {}) as Record<string, unknown>;
  for (const key of ['include', 'exclude'] as const) {
    const v = files[key];
    if (v === undefined) continue;
    if (Array.isArray(v) && v.every((g) => typeof g === 'string')) settings.files[key] = v;
    else problems.push(`lyncKst.files.${key} must be a list of glob patterns`);
  }
  if (r.maxFileSize !== undefined) {
    if (typeof r.maxFileSize === 'number' && r.maxFileSize > 0) settings.maxFileSize = r.maxFileSize;
    else problems.push(`lyncKst.maxFileSize must be a positive number of megabytes, not ${JSON.stringify(r.maxFileSize)}`);
  }
  if (r.rules && typeof r.rules === 'object') {
    for (const [code, level] of Object.entries(r.rules as Record<string, unknown>)) {
      const c = code.toUpperCase();
      if (!CODES.includes(c)) problems.push(`lyncKst.rules: unknown rule ${code}`);
      else if (typeof level !== 'string' || !LEVELS.has(level)) problems.push(`lyncKst.rules.${code} must be one of error, warning, information, hint, off`);
      else settings.rules[c] = level as Severity | 'off';
    }
  }
  return { settings, problems };
}

export function analysisOptions(s: Settings): AnalysisOptions {
  return { assumedVersion: s.assumedVersion, severities: s.rules };
}

/** Glob matching relative to a workspace folder, the way VS Code's files.exclude reads. */
export function globMatcher(patterns: string[]): (relativePath: string) => boolean {
  const compiled = patterns.map((p) => new Minimatch(p, { dot: true, nocase: process.platform === 'win32' }));
  return (rel) => compiled.some((m) => m.match(rel) || m.match(`${rel}/`));
}
