import { governingAlerts } from '../slo-analysis.js';
import { defineRule } from '../types.js';

export default defineRule({
  meta: { id: 'slo/unlinked', defaultSeverity: 'warning', summary: 'An SLO that no alert — generated or hand-written — governs.' },
  check({ model, analysis, report }) {
    const governing = governingAlerts(model, analysis);
    for (const slo of model.slos) {
      if ((governing.get(slo) ?? []).length > 0) continue;
      report({
        in: slo,
        at: '/alerting',
        subject: `SLO ${slo.name}`,
        message: `no alert governs SLO ${slo.name}: its budget can run out without anyone being told. Let moncode generate the burn-rate alerts (remove \`alerting: false\`), or tie an alert to it (\`slo: ${slo.name}\` in TS, the label \`slo: ${slo.name}\` in YAML)`,
      });
    }
  },
});
