import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Minimatch } from 'minimatch';
import { parse, ParseError, printParseErrorCode } from 'jsonc-parser';
import { CODES } from '../rules/catalogue';
import { Severity } from '../rules/finding';
import { AnalysisOptions, DEFAULT_ASSUMED_VERSION } from './analyze';
import { CONFIG_FILE, DEFAULT_MAX_FILE_SIZE } from './load';

export { CONFIG_FILE };

/**
 * One configuration for CI and the editor: `lync-kst.json` at the workspace root, read by the
 * CLI and the language server alike, with the editor's `lyncKst.*` settings layered on top.
 * Both are checked here, the same way: what is valid is kept, the rest is named and ignored.
 */
export interface Config {
  assumedVersion: number;
  /** Glob patterns relative to the folder the configuration belongs to. */
  files: { include: string[]; exclude: string[] };
  /** Megabytes. */
  maxFileSize: number;
  rules: Partial<Record<string, Severity | 'off'>>;
  /** The editor's KST code lenses (an editor setting; CI has no use for it). */
  codeLens: boolean;
}

export const DEFAULT_CONFIG: Config = {
  assumedVersion: DEFAULT_ASSUMED_VERSION,
  files: { include: [], exclude: [] },
  maxFileSize: DEFAULT_MAX_FILE_SIZE / 1024 / 1024,
  rules: {},
  codeLens: true,
};

const LEVELS = new Set(['error', 'warning', 'information', 'hint', 'off']);

/** The valid parts of a configuration object; `where` prefixes the keys in problems (`lyncKst` for the editor's, none for a file's). */
export function checkConfig(raw: unknown, where = ''): { config: Partial<Config>; problems: string[] } {
  const problems: string[] = [];
  const key = (k: string) => (where ? `${where}.${k}` : k);
  const config: Partial<Config> = {};
  if (raw === undefined || raw === null) return { config, problems };
  if (typeof raw !== 'object' || Array.isArray(raw)) return { config, problems: [`${where || 'the configuration'} must be an object`] };
  const r = raw as Record<string, unknown>;
  for (const k of Object.keys(r)) {
    if (!['assumedVersion', 'files', 'maxFileSize', 'rules', 'codeLens', '$schema', 'trace'].includes(k))
      problems.push(`unknown setting ${key(k)}`);
  }
  if (r.assumedVersion !== undefined) {
    if (Number.isInteger(r.assumedVersion) && (r.assumedVersion as number) > 0) config.assumedVersion = r.assumedVersion as number;
    else problems.push(`${key('assumedVersion')} must be a version number such as 5 or 6, not ${JSON.stringify(r.assumedVersion)}`);
  }
  if (r.files !== undefined) {
    const files = (r.files && typeof r.files === 'object' ? r.files : {}) as Record<string, unknown>;
    if (typeof r.files !== 'object' || Array.isArray(r.files)) problems.push(`${key('files')} must be an object with include and exclude`);
    for (const which of ['include', 'exclude'] as const) {
      const v = files[which];
      if (v === undefined) continue;
      if (Array.isArray(v) && v.every((g) => typeof g === 'string'))
        config.files = { ...(config.files ?? { include: [], exclude: [] }), [which]: v };
      else problems.push(`${key(`files.${which}`)} must be a list of glob patterns`);
    }
  }
  if (r.maxFileSize !== undefined) {
    if (typeof r.maxFileSize === 'number' && r.maxFileSize > 0) config.maxFileSize = r.maxFileSize;
    else problems.push(`${key('maxFileSize')} must be a positive number of megabytes, not ${JSON.stringify(r.maxFileSize)}`);
  }
  if (r.codeLens !== undefined) {
    if (typeof r.codeLens === 'boolean') config.codeLens = r.codeLens;
    else problems.push(`${key('codeLens')} must be true or false, not ${JSON.stringify(r.codeLens)}`);
  }
  if (r.rules !== undefined) {
    if (!r.rules || typeof r.rules !== 'object' || Array.isArray(r.rules))
      problems.push(`${key('rules')} must be an object of codes and severities`);
    else {
      const rules: Config['rules'] = {};
      for (const [code, level] of Object.entries(r.rules as Record<string, unknown>)) {
        const c = code.toUpperCase();
        if (!CODES.includes(c)) problems.push(`${key('rules')}: unknown rule ${code}`);
        else if (typeof level !== 'string' || !LEVELS.has(level))
          problems.push(`${key(`rules.${code}`)} must be one of error, warning, information, hint, off`);
        else rules[c] = level as Severity | 'off';
      }
      config.rules = rules;
    }
  }
  return { config, problems };
}

/**
 * Later layers win where they say something: the defaults, then `lync-kst.json`, then the
 * editor's settings. Rules merge per code; the editor's own defaults (VS Code reports every
 * setting, set or not) do not override the file.
 */
export function layered(...layers: Partial<Config>[]): Config {
  const out: Config = structuredClone(DEFAULT_CONFIG);
  for (const l of layers) {
    if (l.assumedVersion !== undefined && l.assumedVersion !== DEFAULT_CONFIG.assumedVersion) out.assumedVersion = l.assumedVersion;
    if (l.maxFileSize !== undefined && l.maxFileSize !== DEFAULT_CONFIG.maxFileSize) out.maxFileSize = l.maxFileSize;
    if (l.files?.include.length) out.files.include = l.files.include;
    if (l.files?.exclude.length) out.files.exclude = l.files.exclude;
    if (l.codeLens !== undefined && l.codeLens !== DEFAULT_CONFIG.codeLens) out.codeLens = l.codeLens;
    Object.assign(out.rules, l.rules);
  }
  return out;
}

/** The `lync-kst.json` (or `name`) in `folder`, checked; undefined when there is none. */
export async function readConfigFile(
  folder: string,
  name = CONFIG_FILE,
): Promise<{ path: string; config: Partial<Config>; problems: string[] } | undefined> {
  const file = path.join(folder, name);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return { path: file, config: {}, problems: [`it cannot be read: ${(e as Error).message}`] };
  }
  const errors: ParseError[] = [];
  const raw = parse(text.replace(/^\uFEFF/, ''), errors, { allowTrailingComma: true });
  if (errors.length > 0)
    return {
      path: file,
      config: {},
      problems: [`it is not valid JSON (${printParseErrorCode(errors[0].error)} at offset ${errors[0].offset})`],
    };
  return { path: file, ...checkConfig(raw) };
}

/** The nearest `lync-kst.json` at or above `start` (a folder or a file), for the CLI. */
export async function findConfigFile(start: string): Promise<Awaited<ReturnType<typeof readConfigFile>>> {
  let dir = path.resolve(start);
  try {
    if (!(await fs.stat(dir)).isDirectory()) dir = path.dirname(dir);
  } catch {
    dir = path.dirname(dir);
  }
  for (;;) {
    const found = await readConfigFile(dir);
    if (found) return found;
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

export function analysisOptions(c: Config): AnalysisOptions {
  return { assumedVersion: c.assumedVersion, severities: c.rules };
}

/** Glob matching relative to a configuration's folder, the way VS Code's files.exclude reads. */
export function globMatcher(patterns: string[]): (relativePath: string) => boolean {
  const compiled = patterns.map((p) => new Minimatch(p, { dot: true, nocase: process.platform === 'win32' }));
  return (rel) => compiled.some((m) => m.match(rel) || m.match(`${rel}/`));
}
