import { RULES } from './catalogue';

/**
 * What the catalogue writes elsewhere, generated rather than written twice: the README's rule
 * table, the `lyncKst.rules` setting in package.json, and the rules part of `lync-kst.json`'s
 * schema. `npm run catalogue` writes them; a test fails when a committed copy differs.
 */

const LEVELS = ['error', 'warning', 'information', 'hint', 'off'];

/** The README's catalogue table, anchors included (diagnostic links point at them). */
export function catalogueTable(): string {
  const rows = RULES.map((r) => `| <a id="${r.code.toLowerCase()}"></a>${r.code} | ${r.severity} | ${r.description} | ${r.fix ?? ''} |`);
  return ['| Code | Severity | What it means | Fix |', '|---|---|---|---|', ...rows].join('\n');
}

/** A JSON schema for the per-rule severities, in both the VS Code setting and `lync-kst.json`. */
export function rulesSchema(description: string): Record<string, unknown> {
  return {
    type: 'object',
    default: {},
    markdownDescription: description,
    properties: Object.fromEntries(
      RULES.map((r) => [r.code, { type: 'string', enum: LEVELS, markdownDescription: `${r.title}. Default: \`${r.severity}\`.` }]),
    ),
    additionalProperties: false,
  };
}
