import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/project.js';

const index = path.join(REPO_ROOT, 'src', 'index.ts');
const program = ts.createProgram([index], { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, strict: true, types: [], noEmit: true });
const checker = program.getTypeChecker();
const exported = checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(index)!)!).map((symbol) => {
  const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  const file = target.declarations?.[0]?.getSourceFile().fileName ?? '';
  const see = target
    .getJsDocTags(checker)
    .filter((tag) => tag.name === 'see')
    .map((tag) => ts.displayPartsToString(tag.text));
  return {
    name: symbol.name,
    value: (target.flags & ts.SymbolFlags.Value) !== 0,
    file: path.relative(REPO_ROOT, file),
    docs: ts.displayPartsToString(target.getDocumentationComment(checker)).trim(),
    see,
  };
});

describe('JSDoc of the authoring API (what the editor shows on hover and completion)', () => {
  it('documents every helper src/index.ts exports', () => {
    expect(exported.filter((e) => e.value).length).toBeGreaterThan(40);
    expect(exported.filter((e) => e.value && e.docs === '').map((e) => `${e.name} (${e.file})`)).toEqual([]);
  });

  it('documents every type src/index.ts exports too (hover on a type name, an option, an error message naming it)', () => {
    expect(exported.filter((e) => !e.value).length).toBeGreaterThan(80);
    expect(exported.filter((e) => !e.value && e.docs === '').map((e) => `${e.name} (${e.file})`)).toEqual([]);
  });

  it("links the types of panels, variables, Alertmanager configs and rules to Grafana's or Prometheus' page for them", () => {
    const types = exported.filter((e) => !e.value);
    const linked = (e: (typeof exported)[number], prefix: string) => e.see.some((s) => s.startsWith(prefix));
    const panels = types.filter((e) => e.file === 'src/model/panel.ts' && /Panel$/.test(e.name));
    const variables = types.filter((e) => e.file === 'src/model/variable.ts' && /Variable$/.test(e.name));
    const alertmanager = types.filter((e) => e.file === 'src/model/alertmanager.ts' && /Config$|^(Receiver|Route|InhibitRule|TimeInterval)$/.test(e.name));
    const rules = types.filter((e) => (e.file === 'src/model/rule.ts' || e.file === 'src/model/rule-test.ts') && !e.name.endsWith('Id'));
    expect([panels.length, variables.length, alertmanager.length, rules.length].every((n) => n >= 5)).toBe(true);
    const unlinked = [
      ...[...panels, ...variables].filter((e) => !linked(e, 'https://grafana.com/docs/grafana/')),
      ...alertmanager.filter((e) => !linked(e, 'https://prometheus.io/docs/alerting/')),
      ...rules.filter((e) => !linked(e, 'https://prometheus.io/docs/prometheus/')),
    ];
    expect(unlinked.map((e) => e.name)).toEqual([]);
  });

  it("links every panel and variable helper to Grafana's page for it", () => {
    const helpers = exported.filter((e) => e.value && (e.file === 'src/model/variable.ts' || (e.file === 'src/model/panel.ts' && /Panel$|^[a-z]/.test(e.name))));
    const panelHelpers = helpers.filter((e) => e.file === 'src/model/panel.ts' && !['row', 'pluginPanel', 'BUILT_IN_PANEL_TYPES'].includes(e.name));
    expect(panelHelpers.length).toBeGreaterThanOrEqual(16);
    const unlinked = [...panelHelpers, ...helpers.filter((e) => e.file === 'src/model/variable.ts')].filter((e) => !e.see.some((s) => s.startsWith('https://grafana.com/docs/grafana/')));
    expect(unlinked.map((e) => e.name)).toEqual([]);
  });
});
