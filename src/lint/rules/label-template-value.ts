import { defineRule } from '../types.js';
import { alertsOf } from '../walk.js';
import { pointerUnder } from '../../model/pointer.js';

/** The query value in a Go template: `$value`, `.Value`, `$value | humanize`. */
const VALUE = /\{\{[^}]*?(\$value\b|\.Value\b)/g;

export default defineRule({
  meta: { id: 'label/template-value', defaultSeverity: 'error', scope: 'container', summary: 'An alert label that uses the query value (`$value`): every change of the value makes a new alert.' },
  check({ model, report }) {
    for (const { group, rule, at, name } of alertsOf(model.ruleGroups)) {
      for (const [key, value] of Object.entries(rule.labels ?? {})) {
        if (typeof value !== 'string') continue;
        for (const match of value.matchAll(VALUE)) {
          const from = match.index + match[0].length - match[1]!.length;
          report({
            in: group,
            at: pointerUnder(at, 'labels', key),
            within: { value, from, to: from + match[1]!.length },
            subject: name,
            message: `label \`${key}\` uses ${match[1]}: labels are the alert's identity, so each new value resolves the alert and fires a new one (and resets its \`for\`); put the value in an annotation`,
          });
          break;
        }
      }
    }
  },
});
