import { datasource } from 'moncode';

export const prometheus = datasource({
  name: 'agent-api Prometheus',
  type: 'prometheus',
  uid: 'agent-api-prometheus',
  url: 'http://localhost:9090',
  isDefault: true,
});

export const loki = datasource({
  name: 'agent-api Loki',
  type: 'loki',
  uid: 'agent-api-loki',
  url: 'http://localhost:3100',
});
