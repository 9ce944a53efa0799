import { datasource } from 'moncode';

export const prometheus = datasource({
  name: 'Prometheus',
  type: 'prometheus',
  uid: 'agent-api-prometheus',
  url: 'http://localhost:9090',
  isDefault: true,
});

export const loki = datasource({
  name: 'Loki',
  type: 'loki',
  uid: 'agent-api-loki',
  url: 'http://localhost:3100',
});
