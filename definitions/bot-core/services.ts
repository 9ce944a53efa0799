import type { HttpService } from '../shared/http.ts';

/** The three application services seed 001 scrapes, by job. */
export const APP_JOBS = 'rust-core-engine|python-ai-service|nextjs-ui';

/** HTTP metrics of the application services; alerts carry the job as `service` for routing. */
export const apps: HttpService = {
  requests: 'http_requests_total',
  duration: 'http_request_duration_seconds',
  selector: `job=~"$service"`,
  statusLabel: 'status',
  by: 'job',
};

export const appsForAlerts: HttpService = { ...apps, selector: `job=~"${APP_JOBS}"`, alias: 'service' };
