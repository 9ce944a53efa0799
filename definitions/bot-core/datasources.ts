import { datasource } from 'moncode';

export const prometheus = datasource({ name: 'bot-core Prometheus', type: 'prometheus', uid: 'bot-core-prometheus', url: 'http://prometheus:9090', isDefault: true, editable: false });
export const loki = datasource({ name: 'bot-core Loki', type: 'loki', uid: 'bot-core-loki', url: 'http://loki:3100', editable: false });
