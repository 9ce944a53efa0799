import { checkGoTemplate } from '../../promql/go-template.js';
import { templateFunctions, templateFunctionSince, templateSyntaxOf } from '../../promql/versions.js';
import { defineRule } from '../types.js';
import { alertsOf } from '../walk.js';
import { pointerUnder } from '../../model/pointer.js';

/** What Prometheus defines before an alert's template (rulefmt's `testTemplateParsing`). */
const ALERT_VARIABLES = ['labels', 'externalLabels', 'externalURL', 'value'];

export default defineRule({
  meta: {
    id: 'template/syntax',
    defaultSeverity: 'error',
    scope: 'container',
    summary: "An alert label or annotation whose Go template does not parse, or calls a function the target's Prometheus lacks.",
  },
  check({ model, settings, report }) {
    const syntaxes = new Map<string, Parameters<typeof checkGoTemplate>[1]>();
    const syntaxFor = (version: string) => {
      let syntax = syntaxes.get(version);
      if (!syntax) {
        syntax = { functions: templateFunctions(version), variables: ALERT_VARIABLES, ...templateSyntaxOf(version) };
        syntaxes.set(version, syntax);
      }
      return syntax;
    };
    // Prometheus expands the labels and annotations of alerts only; a recording rule's labels are literal.
    for (const { group, rule, at, name } of alertsOf(model.ruleGroups)) {
      const { version } = settings.prometheus(group.system);
      const syntax = syntaxFor(version);
      for (const kind of ['labels', 'annotations'] as const) {
        for (const [key, value] of Object.entries(rule[kind] ?? {})) {
          if (typeof value !== 'string' || !value.includes('{{')) continue;
          const fault = checkGoTemplate(value, syntax);
          if (!fault) continue;
          report({
            in: group,
            at: pointerUnder(at, kind, key),
            within: { value, from: fault.from, to: fault.to },
            subject: name,
            message: `${kind === 'labels' ? 'label' : 'annotation'} \`${key}\`: ${explain(fault.message, version)}`,
          });
        }
      }
    }
  },
});

/** The fault, with the release that added a function the target lacks. */
function explain(message: string, version: string): string {
  const fn = /^function "([^"]+)" not defined$/.exec(message)?.[1];
  const since = fn ? templateFunctionSince(fn) : undefined;
  if (fn && since) return `template function \`${fn}\` needs Prometheus ${since} or later; the target is ${version} (set prometheus.version in mon.config.ts)`;
  if (fn) return `template function \`${fn}\` is not defined in Prometheus ${version}`;
  return `Go template: ${message}`;
}
