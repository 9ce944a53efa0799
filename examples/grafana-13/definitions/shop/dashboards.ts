import { dashboard, prom, row, stat, timeseries } from 'moncode';

export default dashboard({
  title: 'Shop',
  uid: 'shop',
  autoGrid: { maxColumns: 3 },
  panels: [
    stat({ title: 'Targets up', unit: 'short', targets: [prom('sum(up{job="shop"})')] }),
    timeseries({ title: 'Request rate', unit: 'reqps', targets: [prom('sum by (code) (rate(http_requests_total{job="shop"}[$__rate_interval]))', { legend: '{{code}}' })] }),
  ],
  rows: [
    row('Latency', [
      timeseries({ title: 'p95 latency', unit: 's', targets: [prom('histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{job="shop"}[$__rate_interval])))')] }),
    ]),
  ],
});
