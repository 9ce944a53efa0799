import { defineRule } from '../types.js';
import { alertsOf } from '../walk.js';
import { pointerUnder } from '../../model/pointer.js';

export default defineRule({
  meta: { id: 'alert/annotation-missing', defaultSeverity: 'warning', scope: 'container', summary: 'An alert without `summary` or `description`.' },
  check({ model, settings, report }) {
    for (const { group, rule, at, name } of alertsOf(model.ruleGroups)) {
      const missing = settings.alertAnnotations.filter((key) => !rule.annotations?.[key]?.trim());
      if (missing.length === 0) continue;
      report({
        in: group,
        at: rule.annotations ? pointerUnder(at, 'annotations') : at,
        subject: name,
        message: `alert without ${missing.map((m) => `\`${m}\``).join(' and ')}: the notification tells on-call ${missing.includes('summary') ? 'nothing but the alert name' : 'what fired but not what it means'}`,
      });
    }
  },
});
