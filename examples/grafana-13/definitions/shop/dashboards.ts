import { customVariable, dashboard, prom, row, stat, tab, tabs, timeseries } from 'moncode';

// Two tabs: an auto grid of the headline panels, and latency in rows with a section variable
// (the quantile picker shows on the Latency tab only).
export default dashboard({
  title: 'Shop',
  uid: 'shop',
  panels: [
    tabs(
      tab(
        'Overview',
        [
          stat({ title: 'Targets up', unit: 'short', targets: [prom('sum(up{job="shop"})')] }),
          timeseries({ title: 'Request rate', unit: 'reqps', targets: [prom('sum by (code) (rate(http_requests_total{job="shop"}[$__rate_interval]))', { legend: '{{code}}' })] }),
        ],
        { autoGrid: { maxColumns: 3 } },
      ),
      tab(
        'Latency',
        [
          row('Latency', [
            timeseries({
              title: 'Latency at the chosen quantile',
              unit: 's',
              targets: [prom('histogram_quantile($quantile, sum by (le) (rate(http_request_duration_seconds_bucket{job="shop"}[$__rate_interval])))')],
            }),
          ]),
        ],
        { variables: [customVariable({ name: 'quantile', label: 'Quantile', values: ['0.5', '0.95', '0.99'], current: '0.95' })] },
      ),
    ),
  ],
});
