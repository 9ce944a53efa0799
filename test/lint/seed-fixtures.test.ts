import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SourceIndex } from '../../src/source/source-index.js';
import { runLint } from '../../src/commands/lint.js';
import { resolveDiagnostics } from '../../src/report/resolve.js';
import { REPO_ROOT } from '../helpers/project.js';

// The seeds' own YAML and JSON (test/fixtures/seeds/, copied verbatim from the seed documents),
// linted as the seeds run them (15s scrape interval). docs/seed-findings.md explains each finding.
const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'seeds');

async function lintSeed(folder: string): Promise<string[]> {
  const cwd = path.join(FIXTURES, folder);
  const run = await runLint({ cwd, paths: ['.'] });
  return resolveDiagnostics(run.diagnostics, new SourceIndex(), cwd)
    .filter((d) => d.rule !== 'dashboard/deprecated-panel' && d.rule !== 'runbook/missing')
    .map((d) => `${d.file}:${d.line} ${d.rule}${d.subject ? ` ${d.subject}` : ''}`);
}

describe("lint of the seeds' original files", () => {
  it('000: literal Slack and PagerDuty credentials; HighCPULoad reaches only the root route', async () => {
    expect(await lintSeed('000-alfred-platform')).toEqual([
      'alertmanager.yml:4 secret/literal slack_api_url',
      'alertmanager.yml:33 secret/literal service_key',
      'rules/alerts.yml:18 label/route-unmatched HighCPULoad',
    ]);
  });

  it('001 (alerts written from its prose): a 5% error alert leaves burns of 1–10× unwatched; trade success has no alert', async () => {
    expect(await lintSeed('001-bot-core')).toEqual(['slos.yaml:6 slo/budget-uncovered SLO availability', 'slos.yaml:22 slo/unlinked SLO trade-success']);
  });

  it('003: HighErrorRate divides each 5xx series by itself and pages on 1× over 5 minutes; placeholder credentials', async () => {
    expect(await lintSeed('003-agent-api')).toEqual([
      'alert_rules.yml:7 slo/low-precision HighErrorRate',
      'alert_rules.yml:7 label/vector-mismatch HighErrorRate',
      'alertmanager.yml:3 secret/literal slack_api_url',
      'alertmanager.yml:35 secret/literal service_key',
    ]);
  });

  it('004: error "rates" that the descriptions call percentages, so no alert governs its SLOs; environment placeholders Alertmanager never expands', async () => {
    expect(await lintSeed('004-freeagentics')).toEqual([
      'alertmanager.yml:27 secret/literal service_key',
      'alertmanager.yml:32 secret/literal api_url',
      'dashboards/system-overview.json:5 dashboard/unit-missing FreeAgentics System Overview / System Health',
      'rules/freeagentics.yml:33 promql/unit-mismatch APIHighErrorRate',
      'rules/freeagentics.yml:42 promql/unit-mismatch AgentCoordinationFailures',
      'slos.yaml:3 slo/unlinked SLO availability',
      'slos.yaml:24 slo/unlinked SLO latency',
    ]);
  });
});
