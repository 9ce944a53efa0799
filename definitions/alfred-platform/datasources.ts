import { datasource } from 'moncode';

/** Seed 000 provisions Prometheus (default) and Loki, both read-only in Grafana. */
export const prometheus = datasource({
  name: 'alfred-platform Prometheus',
  type: 'prometheus',
  uid: 'alfred-prometheus',
  url: 'http://monitoring-metrics:9090',
  access: 'proxy',
  isDefault: true,
  editable: false,
});

export const loki = datasource({
  name: 'alfred-platform Loki',
  type: 'loki',
  uid: 'alfred-loki',
  url: 'http://loki:3100',
  access: 'proxy',
  editable: false,
});
