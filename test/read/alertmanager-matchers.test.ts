import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/cli.js';
import { makeProject } from '../helpers/project.js';
import { requireTool, runTool } from '../helpers/tools.js';

const amtool = requireTool('amtool');

const MATCHERS = [
  'severity="critical"',
  'code=~"5..(x"',
  'severity="crit',
  'code=~"5..\\.x"',
  'a="b\\"c"',
  'alertname=~"(?=x)"',
  'team=~"a|b"',
  'code!~"[z-a]"',
  'x="\\n"',
  'job=~"api.*"',
  'env=~"\\\\d+"',
  'name=~"a{2,1}"',
];

function config(routeMatcher: string): string {
  return `route:
  receiver: team
  routes:
    - receiver: team
      matchers: [${JSON.stringify(routeMatcher)}]
receivers:
  - name: team
`;
}

describe('Alertmanager matchers are valid where amtool says so', () => {
  it.skipIf(!amtool).each(MATCHERS)('in YAML linted by mon-lint: %s', (matcher) => {
    const dir = makeProject({ 'alertmanager.yml': config(matcher) });
    const loads = runTool(amtool!, ['check-config', path.join(dir, 'alertmanager.yml')]).code === 0;
    const result = runBin('mon-lint', ['--format', 'json', 'alertmanager.yml'], dir);
    const invalid = JSON.parse(result.stdout).diagnostics.filter((d: { rule: string }) => d.rule === 'input/invalid');
    expect(result.stderr).toBe('');
    expect(invalid.length > 0, `amtool ${loads ? 'accepts' : 'rejects'} it`).toBe(!loads);
    if (!loads) expect(invalid[0]).toMatchObject({ line: 5, column: expect.any(Number) });
  });

  it.skipIf(!amtool).each(MATCHERS)('in definitions built by mon-build: %s', (matcher) => {
    const dir = makeProject({
      'definitions/shop/alertmanager.ts': `import { alertmanager, receiver } from 'moncode';
const team = receiver({ name: 'team', webhook_configs: [{ url: 'http://hooks.internal/alert' }] });
export default alertmanager({
  route: { receiver: team, routes: [{ receiver: team, matchers: [${JSON.stringify(matcher)}] }] },
});
`,
    });
    const result = runBin('mon-build', ['--format', 'json'], dir);
    expect(result.stderr).not.toMatch(/internal error/);
    const diagnostics = JSON.parse(result.stdout).diagnostics.filter((d: { severity: string }) => d.severity === 'error');
    if (diagnostics.length === 0) {
      expect(result.code).toBe(0);
      expect(runTool(amtool!, ['check-config', path.join(dir, 'out/alertmanager/shop/alertmanager.yml')]).code).toBe(0);
    } else {
      expect(result.code).toBe(1);
      expect(diagnostics[0]).toMatchObject({ file: 'definitions/shop/alertmanager.ts', line: 4 });
      const yaml = path.join(dir, 'rejected.yml');
      writeFileSync(yaml, config(matcher));
      expect(runTool(amtool!, ['check-config', yaml]).code, 'amtool accepts what mon-build refused').not.toBe(0);
    }
  });
});
