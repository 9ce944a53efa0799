import { defineRule } from '../types.js';
import { alertsOf } from '../walk.js';
import { pointerUnder } from '../../model/pointer.js';

/** Values people write where a runbook should be. */
const PLACEHOLDER = /^(todo|tbd|fixme|none|n\/a|na|-|xxx|\?+)$/i;

export default defineRule({
  meta: { id: 'runbook/missing', defaultSeverity: 'error', scope: 'container', summary: 'An alert of severity warning or above has no runbook link.' },
  check({ model, settings, report }) {
    for (const { group, rule, at, name } of alertsOf(model.ruleGroups)) {
      const severity = rule.labels?.severity ?? group.labels?.severity;
      if (severity === undefined || severity.includes('{{') || settings.runbookExemptSeverities.includes(severity)) continue;
      const present = settings.runbookAnnotations.map((key) => [key, rule.annotations?.[key]] as const).filter(([, value]) => value !== undefined);
      const usable = present.find(([, value]) => value!.trim() !== '' && !PLACEHOLDER.test(value!.trim()));
      if (usable) continue;
      const placeholder = present[0];
      report({
        in: group,
        at: placeholder ? pointerUnder(at, 'annotations', placeholder[0]) : rule.annotations ? pointerUnder(at, 'annotations') : at,
        subject: name,
        message: placeholder
          ? `${severity} alert whose runbook is a placeholder ("${placeholder[1]}"): link the page on-call should open`
          : `${severity} alert without a runbook: add \`${settings.runbookAnnotations[0]}\` linking the page on-call should open`,
      });
    }
  },
});
