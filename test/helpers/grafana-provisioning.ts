import YAML from 'yaml';

/**
 * Loads the provisioning files of out/ as one Grafana would, with out/grafana/provisioning mounted
 * as its provisioning folder and out/grafana/dashboards at `dashboardsPath`, and returns every rule
 * of Grafana's provisioning the files break. The rules and where they come from (grafana/grafana,
 * pkg/services/provisioning/):
 * - datasources/config_reader.go validateDefaultUniqueness: all files of datasources/ are read
 *   together; a second `isDefault` in one organisation (orgId 0 is 1) fails datasource provisioning;
 * - datasources/datasources.go: each datasource is upserted by (orgId, name), so a name repeated in
 *   one organisation replaces the earlier datasource; uids are the datasource table's unique key;
 * - dashboards/file_reader.go: `options.path` must be a string; `folder` with
 *   `foldersFromFilesStructure` is refused; a provider reads every .json below its path;
 * - dashboards/validator.go: a dashboard uid used more than once across providers, or a title
 *   repeated in one folder, is reported and the duplicates are not written;
 * - and, for the systems to work together, every datasource a dashboard refers to by uid is
 *   provisioned in its provider's organisation, with the same plugin type.
 */
export function grafanaProvisioningProblems(files: Record<string, string>, dashboardsPath: string): string[] {
  const problems: string[] = [];
  const datasources: Array<{ file: string; org: number; name: string; uid: string; type: string; isDefault: boolean }> = [];
  for (const [file, text] of Object.entries(files)) {
    if (!/^grafana\/provisioning\/datasources\/[^/]+\.ya?ml$/.test(file)) continue;
    const doc = YAML.parse(text) as { apiVersion?: number; datasources?: Array<Record<string, unknown>> };
    if (doc.apiVersion !== 1) problems.push(`${file}: apiVersion is not 1`);
    for (const ds of doc.datasources ?? []) {
      if (typeof ds.name !== 'string' || typeof ds.type !== 'string') problems.push(`${file}: a datasource without name or type`);
      datasources.push({ file, org: Number(ds.orgId ?? 0) || 1, name: String(ds.name), uid: String(ds.uid ?? ''), type: String(ds.type), isDefault: ds.isDefault === true });
    }
  }
  const defaults = new Map<number, string[]>();
  for (const ds of datasources.filter((d) => d.isDefault)) defaults.set(ds.org, [...(defaults.get(ds.org) ?? []), `${ds.name} (${ds.file})`]);
  for (const [org, list] of defaults) if (list.length > 1) problems.push(`org ${org}: only one datasource per organization can be marked as default: ${list.join(', ')}`);
  for (const key of ['name', 'uid'] as const) {
    const seen = new Map<string, string>();
    for (const ds of datasources) {
      const id = `${ds.org}\0${ds[key]}`;
      if (seen.has(id)) problems.push(`org ${ds.org}: datasource ${key} "${ds[key]}" in ${seen.get(id)} and ${ds.file}`);
      else seen.set(id, ds.file);
    }
  }

  const root = dashboardsPath.replace(/\/+$/, '');
  const uids = new Map<string, string[]>();
  const titles = new Map<string, string[]>();
  const providerNames = new Set<string>();
  let providerCount = 0;
  for (const [file, text] of Object.entries(files)) {
    if (!/^grafana\/provisioning\/dashboards\/[^/]+\.ya?ml$/.test(file)) continue;
    const doc = YAML.parse(text) as { apiVersion?: number; providers?: Array<Record<string, unknown>> };
    for (const provider of doc.providers ?? []) {
      providerCount++;
      const name = String(provider.name);
      if (providerNames.has(name)) problems.push(`${file}: provider name "${name}" used twice`);
      providerNames.add(name);
      const options = (provider.options ?? {}) as Record<string, unknown>;
      const fromFiles = options.foldersFromFilesStructure === true;
      if (fromFiles && (provider.folder || provider.folderUid)) problems.push(`${file}: provider ${name}: 'folder' and 'folderUID' should be empty using 'foldersFromFilesStructure'`);
      if (typeof options.path !== 'string') {
        problems.push(`${file}: provider ${name}: path is not a string`);
        continue;
      }
      const mounted = options.path.replace(/\/+$/, '');
      if (mounted !== root && !mounted.startsWith(`${root}/`)) {
        problems.push(`${file}: provider ${name}: ${options.path} is not below ${dashboardsPath}`);
        continue;
      }
      const prefix = `grafana/dashboards${mounted.slice(root.length)}/`;
      const org = Number(provider.orgId ?? 0) || 1;
      const dashboards = Object.keys(files).filter((f) => f.startsWith(prefix) && f.endsWith('.json'));
      if (dashboards.length === 0) problems.push(`${file}: provider ${name}: no dashboards below ${options.path}`);
      for (const path of dashboards) {
        const dashboard = JSON.parse(files[path]!) as { uid?: string; title?: string };
        const folder = fromFiles ? path.slice(prefix.length).split('/').slice(0, -1).join('/') : String(provider.folder ?? '');
        uids.set(`${dashboard.uid}`, [...(uids.get(`${dashboard.uid}`) ?? []), `${name}:${path}`]);
        titles.set(`${org}\0${folder}\0${dashboard.title}`, [...(titles.get(`${org}\0${folder}\0${dashboard.title}`) ?? []), `${name}:${path}`]);
        for (const ref of datasourceRefs(JSON.parse(files[path]!))) {
          if (ref.uid.startsWith('$') || ref.uid === '-- Grafana --' || ref.type === 'datasource') continue;
          const found = datasources.find((ds) => ds.org === org && ds.uid === ref.uid);
          if (!found) problems.push(`${path}: datasource uid "${ref.uid}" is not provisioned in org ${org}`);
          else if (ref.type && found.type !== ref.type) problems.push(`${path}: datasource uid "${ref.uid}" is a ${found.type}, the dashboard says ${ref.type}`);
        }
      }
    }
  }
  if (providerCount === 0) problems.push('no dashboard provider');
  for (const [uid, list] of uids) if (list.length > 1) problems.push(`the same uid is used more than once: ${uid} (${list.join(', ')})`);
  for (const [key, list] of titles) if (list.length > 1) problems.push(`dashboard title is not unique in folder: ${key.split('\0').join(' / ')} (${list.join(', ')})`);
  return problems;
}

function datasourceRefs(value: unknown, refs: Array<{ uid: string; type?: string }> = []): Array<{ uid: string; type?: string }> {
  if (Array.isArray(value)) for (const item of value) datasourceRefs(item, refs);
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === 'datasource' && item && typeof item === 'object' && typeof (item as { uid?: unknown }).uid === 'string') {
        refs.push({ uid: (item as { uid: string }).uid, type: (item as { type?: string }).type });
      } else datasourceRefs(item, refs);
    }
  }
  return refs;
}
