import { datasource } from 'moncode';

/** Seed 004's Grafana has one datasource; logs go to Elasticsearch/Kibana, outside Grafana. */
export const prometheus = datasource({ name: 'freeagentics Prometheus', type: 'prometheus', uid: 'freeagentics-prometheus', url: 'http://prometheus:9090', access: 'proxy', isDefault: true });
