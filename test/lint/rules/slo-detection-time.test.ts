import { ruleTester } from '../tester.js';
import { availabilitySlo, sloAlert } from '../slo-fixtures.js';

const ratio = 'sum(rate(http_requests_total{job="api", code=~"5.."}[5m])) / sum(rate(http_requests_total{job="api"}[5m])) > 0.05';

ruleTester('slo/detection-time', {
  valid: [
    { name: 'the fast page notifies a full outage within 5 minutes', files: { 'slo.yaml': availabilitySlo({ detection: '5m' }) } },
    { name: 'no detection objective', files: { 'slo.yaml': availabilitySlo({ policies: [] }), 'r.yml': sloAlert('E', ratio, { slo: 'api-availability', for: '10m' }) } },
  ],
  invalid: [
    {
      name: 'for: 5m alone overruns a 5-minute objective',
      files: { 'slo.yaml': availabilitySlo({ policies: [], detection: '5m' }), 'r.yml': sloAlert('E', ratio, { slo: 'api-availability', for: '5m' }) },
      expect: [
        {
          rule: 'slo/detection-time',
          line: 6,
          column: 33,
          endLine: 6,
          endColumn: 35,
          subject: 'SLO api-availability',
          message:
            'a full outage is notified after 7.8 min at best (E: scrape 60 s + window crossing 15 s + evaluation 60 s + for 5 min + Alertmanager group_wait 30 s), longer than the 5m detection objective',
        },
      ],
    },
  ],
});
