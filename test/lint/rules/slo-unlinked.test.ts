import { ruleTester } from '../tester.js';
import { availabilitySlo, sloAlert } from '../slo-fixtures.js';

const ratio = 'sum(rate(http_requests_total{job="api", code=~"5.."}[5m])) / sum(rate(http_requests_total{job="api"}[5m])) > 0.01';

ruleTester('slo/unlinked', {
  valid: [
    { name: 'generated burn-rate alerts', files: { 'slo.yaml': availabilitySlo() } },
    { name: 'an alert with the slo label', files: { 'slo.yaml': availabilitySlo({ policies: [] }), 'r.yml': sloAlert('E', 'up == 0', { slo: 'api-availability' }) } },
    { name: 'an alert on the SLI metric', files: { 'slo.yaml': availabilitySlo({ policies: [] }), 'r.yml': sloAlert('E', ratio) } },
  ],
  invalid: [
    {
      name: 'no alert at all',
      files: { 'slo.yaml': availabilitySlo({ policies: [] }), 'r.yml': sloAlert('Other', 'up{job="db"} == 0') },
      expect: [{ rule: 'slo/unlinked', line: 1, column: 1, endLine: 18, endColumn: 98, subject: 'SLO api-availability', message: 'no alert governs SLO api-availability' }],
    },
  ],
});
