import { utf8NamesAllowed, validLabelName, validRecordName } from '../../promql/versions.js';
import { pointerUnder } from '../../model/pointer.js';
import { defineRule } from '../types.js';
import { rulesOf } from '../walk.js';

/** Why Prometheus rejects a rule's label or annotation name, or undefined when it loads it. */
function nameFault(name: string, kind: 'labels' | 'annotations', version: string): string | undefined {
  // rulefmt refuses `__name__` among a rule's labels in every version: the rule cannot rename its series that way.
  if (kind === 'labels' && name === '__name__') return 'a rule cannot set `__name__`';
  if (validLabelName(name, version)) return undefined;
  if (utf8NamesAllowed(version)) return name === '' ? 'a name cannot be empty' : 'a name must be valid UTF-8';
  return `before Prometheus 3.0 a name is [a-zA-Z_][a-zA-Z0-9_]*; the target is ${version} (set prometheus.version in mon.config.ts if it runs 3.0 or later)`;
}

export default defineRule({
  meta: {
    id: 'label/invalid-name',
    defaultSeverity: 'error',
    scope: 'container',
    summary: "A rule's label or annotation name, or a recorded series name, the target's Prometheus refuses to load (`plug-l1` before 3.0).",
  },
  check({ model, settings, report }) {
    // Names in TS definitions are checked as they compile (definition/invalid).
    for (const { group, rule, at, name } of rulesOf(model.ruleGroups)) {
      if (group.from === 'ts' || group.generatedFrom) continue;
      const { version, flavor } = settings.prometheus(group.system);
      if (flavor !== 'prometheus') continue;
      const record = (rule as { record?: unknown }).record;
      if (typeof record === 'string' && !validRecordName(record, version)) {
        report({
          in: group,
          at: pointerUnder(at, 'record'),
          subject: name,
          message: `recorded series name "${record}" is not a valid metric name: ${utf8NamesAllowed(version) ? 'a UTF-8 name without `{` or `}`' : `before Prometheus 3.0 a metric name is [a-zA-Z_:][a-zA-Z0-9_:]*; the target is ${version} (set prometheus.version in mon.config.ts if it runs 3.0 or later)`}; promtool check rules fails the file`,
        });
      }
      for (const kind of ['labels', 'annotations'] as const) {
        for (const key of Object.keys((rule as { labels?: object; annotations?: object })[kind] ?? {})) {
          const fault = nameFault(key, kind, version);
          if (!fault) continue;
          report({
            in: group,
            at: pointerUnder(at, kind, key),
            subject: name,
            message: `${kind === 'labels' ? 'label' : 'annotation'} name "${key}" is invalid: ${fault}; promtool check rules fails the file`,
          });
        }
      }
    }
  },
});
