import { datasource } from 'moncode';

/** Seed 002 created these through Grafana's API; here they are provisioned. */
export const prometheus = datasource({ name: 'toolboxai Prometheus', type: 'prometheus', uid: 'toolboxai-prometheus', url: 'http://prometheus-toolboxai:9090', access: 'proxy', isDefault: true });
export const loki = datasource({ name: 'toolboxai Loki', type: 'loki', uid: 'toolboxai-loki', url: 'http://grafana-loki-toolboxai:3100', access: 'proxy' });
export const jaeger = datasource({ name: 'toolboxai Jaeger', type: 'jaeger', uid: 'toolboxai-jaeger', url: 'http://jaegertracing-toolboxai:16686', access: 'proxy' });
