import { datasource } from 'moncode';

export const metrics = datasource({ name: 'Shop Prometheus', uid: 'shop-prometheus', type: 'prometheus', url: 'http://prometheus:9090' });
