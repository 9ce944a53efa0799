import { defineRule } from '../types.js';
import { rulesOf } from '../walk.js';
import { pointer, pointerUnder } from '../../model/pointer.js';

export default defineRule({
  meta: {
    id: 'label/required',
    defaultSeverity: 'error',
    scope: 'container',
    summary:
      'A rule lacks a required label, or its value is outside the allowed set (default: alerts need a `severity` that `Severities` declares — critical, warning, info, none and those the project adds).',
  },
  check({ model, settings, report }) {
    for (const { group, rule, at, name } of rulesOf(model.ruleGroups)) {
      const required = rule.alert !== undefined ? settings.alertLabels : settings.recordLabels;
      for (const [label, allowed] of Object.entries(required)) {
        const value = rule.labels?.[label] ?? group.labels?.[label];
        if (value === undefined || value === '') {
          report({
            in: group,
            at: rule.labels ? pointerUnder(at, 'labels') : at,
            subject: name,
            message: `${rule.alert !== undefined ? 'alert' : 'recording rule'} has no \`${label}\` label${allowed.length ? ` (one of ${allowed.join(', ')})` : ''}`,
          });
        } else if (allowed.length > 0 && !value.includes('{{') && !allowed.includes(value)) {
          report({
            in: group,
            // A value inherited from the group is wrong where the group sets it.
            at: rule.labels?.[label] !== undefined ? pointerUnder(at, 'labels', label) : pointer('labels', label),
            subject: name,
            message: `\`${label}: ${value}\` is not one of the allowed values ${allowed.join(', ')}`,
          });
        }
      }
    }
  },
});
