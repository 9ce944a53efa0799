import { parseDuration, readableDuration } from '../../model/duration.js';
import { groupWaitMs } from '../slo-analysis.js';
import { defineRule } from '../types.js';

export default defineRule({
  meta: { id: 'slo/detection-time', defaultSeverity: 'error', scope: 'project', summary: "The worst-case time to notify a full outage exceeds the SLO's detection objective." },
  check({ model, analysis, settings, report }) {
    for (const slo of model.slos) {
      if (!slo.detectionTime) continue;
      const objective = parseDuration(slo.detectionTime)!;
      const scrape = settings.scrapeInterval(slo.system);
      let best: { total: number; parts: string; name: string } | undefined;
      for (const alert of analysis.governingAlerts.get(slo) ?? []) {
        const { group, rule } = alert.visit;
        const evaluation = parseDuration(group.interval ?? '') ?? settings.evaluationInterval(group.system);
        const labels: Record<string, string> = { ...group.labels, ...rule.labels, alertname: alert.visit.name };
        const wait = groupWaitMs(model.alertmanagers, group.system, labels);
        for (const conjunct of alert.conjuncts) {
          // A full outage: the error ratio over w crosses θ after w·θ (latency: the quantile after w·(1 − q)).
          const crossing = Math.max(...conjunct.map((leaf) => leaf.windowMs * (leaf.kind === 'ratio' ? Math.min(1, leaf.threshold) : 1 - leaf.quantile)));
          const recording = conjunct.some((leaf) => leaf.recorded) ? evaluation : 0;
          const pending = Math.ceil(alert.forMs / evaluation) * evaluation;
          const total = scrape + crossing + recording + evaluation + pending + wait;
          if (!best || total < best.total) {
            best = {
              total,
              name: alert.visit.name,
              parts: `scrape ${readableDuration(scrape, 'short')} + window crossing ${readableDuration(crossing, 'short')}${recording ? ` + recording rule ${readableDuration(recording, 'short')}` : ''} + evaluation ${readableDuration(evaluation, 'short')}${pending ? ` + for ${readableDuration(pending, 'short')}` : ''} + Alertmanager group_wait ${readableDuration(wait, 'short')}`,
            };
          }
        }
      }
      if (!best || best.total <= objective) continue;
      report({
        in: slo,
        at: '/detectionTime',
        subject: `SLO ${slo.name}`,
        message: `a full outage is notified after ${readableDuration(best.total, 'short')} at best (${best.name}: ${best.parts}), longer than the ${slo.detectionTime} detection objective`,
      });
    }
  },
});
