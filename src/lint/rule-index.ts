import type { LintRuleMeta } from './types.js';

/** docs/rules/README.md: the rule catalog, generated from the rules' metadata. */
export function renderRuleIndex(metas: readonly LintRuleMeta[]): string {
  const rows = [...metas]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((meta) => `| [\`${meta.id}\`](${meta.docs.slice('docs/rules/'.length)}) | ${meta.defaultSeverity} | ${meta.summary.replace(/\|/g, '\\|')} |`);
  return [
    '# Lint rules',
    '',
    "<!-- Generated from the rules' metadata by `npm run gen`. Do not edit. -->",
    '',
    'Every rule runs in `mon-lint` (over TS definitions and YAML/JSON files) and in `mon-build`',
    '(over the compiled output). Change a severity or turn a rule off in `mon.config.ts`',
    "(`lint: { rules: { 'promql/range-too-short': 'error' } }`) or for one run",
    '(`mon-lint --rule promql/range-too-short=off`); silence it for one object with a reasoned',
    'suppression — see [linting](../linting.md#suppressions).',
    '',
    '| rule | default | catches |',
    '|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
