import path from 'node:path';
import { datasourceUid, type Datasource } from '../model/datasource.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { LoadedResource } from '../model/project-model.js';
import { whereOf } from '../model/source-location.js';
import type { AugmentedMember } from './augmentation.js';

/** The `Datasources` augmentation lists something other than the datasources the project declares. */
export const DATASOURCES_AUGMENTATION = 'definition/datasources-augmentation';

/**
 * The `Datasources` augmentation against the declared datasources. The `datasource()`
 * declarations are what Grafana gets provisioned and what a string resolves to, so they are
 * the source of truth; the augmentation is their names as a type, which only TypeScript can
 * read while checking. It must name each declared datasource (by name or uid) and nothing
 * else, or the editor and the build would disagree about a string. No augmentation, no check:
 * any string type-checks and the build alone resolves it.
 */
export function checkDatasourceNames(listed: readonly AugmentedMember[], resources: readonly LoadedResource[], root: string): Diagnostic[] {
  if (listed.length === 0) return [];
  const declared = resources.filter((r) => r.kind === 'datasource').map((r) => r.value as Datasource);
  const names = new Set(listed.map((m) => m.name));
  const diagnostics: Diagnostic[] = [];
  const first = listed[0]!;
  const at = `${path.relative(root, first.file).split(path.sep).join('/')}`;
  for (const ds of declared) {
    if (names.has(ds.name) || names.has(datasourceUid(ds))) continue;
    diagnostics.push({
      rule: DATASOURCES_AUGMENTATION,
      severity: 'error',
      message: `datasource "${ds.name}" is not in the \`Datasources\` augmentation (${at}), so the types refuse it as a string: add \`${key(ds.name)}: true\``,
      where: whereOf(ds, 'name'),
      subject: ds.name,
    });
  }
  const known = new Set(declared.flatMap((ds) => [ds.name, datasourceUid(ds)]));
  const described = declared.map((ds) => `"${ds.name}"`).join(', ');
  for (const member of listed) {
    if (known.has(member.name)) continue;
    diagnostics.push({
      rule: DATASOURCES_AUGMENTATION,
      severity: 'error',
      message: `\`Datasources\` lists "${member.name}", the name or uid of no exported datasource() (${described ? `declared are ${described}` : 'none is declared'}), so the types accept a string the build refuses`,
      where: { file: member.file, start: member.start, end: member.end },
      subject: member.name,
    });
  }
  return diagnostics;
}

function key(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : `'${name.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
