/**
 * Runbook links. Pages live in this repository under docs/runbooks/; alerts carry the
 * URL people click in Slack or PagerDuty, and `mon-lint` checks the page (and its
 * `#anchor`) exists, because mon.config.ts lists this base under `runbookBaseUrls`.
 */
export const REPOSITORY_BLOB_URL = 'https://github.com/moncode/moncode/blob/main/';

/** `runbook('bot-core/service-down')` → the URL of docs/runbooks/bot-core/service-down.md. */
export function runbook(page: string, anchor?: string): string {
  return `${REPOSITORY_BLOB_URL}docs/runbooks/${page}.md${anchor ? `#${anchor}` : ''}`;
}
