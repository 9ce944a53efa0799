import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/cli.js';
import { makeProject, readTree, REPO_ROOT } from '../helpers/project.js';

/** The README's TypeScript examples, in order. */
function examples(): string[] {
  const text = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  return [...text.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((match) => match[1]!);
}

describe('README', () => {
  it('its examples, put together as one system, build with no problem', () => {
    const [dashboardAndAlerts, alertmanager, slos, ...rest] = examples();
    expect(rest).toEqual([]);
    const dir = makeProject({
      'definitions/checkout/index.ts': dashboardAndAlerts!,
      'definitions/checkout/alertmanager.ts': alertmanager!,
      'definitions/checkout/slos.ts': slos!,
    });
    const build = runBin('mon-build', [], dir);
    expect(build.stderr + build.stdout).toContain('0 errors, 0 warnings');
    expect(build.code).toBe(0);
    const written = Object.keys(readTree(path.join(dir, 'out')));
    expect(written).toEqual(
      expect.arrayContaining([
        'alertmanager/checkout/alertmanager.yml',
        'grafana/dashboards/checkout/checkout-api.json',
        'prometheus/rules/checkout.rules.yml',
        'prometheus/rules/checkout-slos.rules.yml',
        'prometheus/tests/checkout-slos.test.yml',
      ]),
    );
  });
});
