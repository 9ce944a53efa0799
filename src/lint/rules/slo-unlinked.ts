import { defineRule } from '../types.js';

const GENERATE = {
  ts: 'Let moncode generate the burn-rate alerts (remove `alerting: false`)',
  openslo: "Add burn-rate alert policies (the SRE Workbook's four window pairs) to generate alerts",
  sloth: 'Enable page_alert and ticket_alert to generate alerts',
} as const;

export default defineRule({
  meta: { id: 'slo/unlinked', defaultSeverity: 'warning', scope: 'project', summary: 'An SLO that no alert — generated or hand-written — governs.' },
  check({ model, analysis, report }) {
    const governing = analysis.governingAlerts;
    for (const slo of model.slos) {
      if ((governing.get(slo) ?? []).length > 0) continue;
      report({
        in: slo,
        at: '/alerting',
        subject: `SLO ${slo.name}`,
        message: `no alert governs SLO ${slo.name}: its budget can run out without anyone being told. ${GENERATE[slo.from]}, or tie an alert to it (${slo.from === 'ts' ? `\`slo: ${slo.name}\`` : `the label \`slo: ${slo.name}\``})`,
      });
    }
  },
});
