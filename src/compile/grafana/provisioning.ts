import type { DashboardProvider } from './one-grafana.js';
import { datasourceUid, isSecretRef, type Datasource } from '../../model/datasource.js';
import { whereOf } from '../../model/source-location.js';
import { INVALID, type Problems } from '../../model/diagnostic.js';
import { mergeExtra } from './extra.js';

/**
 * Grafana's datasource provisioning file for one system. Credentials are only
 * ever references Grafana expands at start-up (`$__file{…}`, `$__env{…}`).
 */
export function datasourcesProvisioning(datasources: readonly Datasource[], orgDefaults: ReadonlySet<Datasource>, problems: Problems): Record<string, unknown> {
  return {
    apiVersion: 1,
    datasources: datasources.map((ds) => {
      const json: Record<string, unknown> = { name: ds.name, type: ds.type, uid: datasourceUid(ds), access: ds.access ?? 'proxy' };
      // `isDefault` in a definition is its system's default for panels; Grafana's is the organisation's, one for all systems.
      for (const key of ['url', 'editable', 'basicAuth', 'basicAuthUser', 'user', 'database', 'orgId', 'jsonData'] as const) {
        if (ds[key] !== undefined) json[key] = ds[key];
      }
      if (orgDefaults.has(ds)) json.isDefault = true;
      if (ds.editable === undefined) json.editable = false;
      if (ds.secureJsonData) {
        const secure: Record<string, string> = {};
        for (const [key, secret] of Object.entries(ds.secureJsonData)) {
          if (!isSecretRef(secret)) {
            problems.error('secret/literal', `secureJsonData.${key} must be fromFile(…) or fromEnv(…), never a literal`, whereOf(ds.secureJsonData, key), ds.name);
            continue;
          }
          if (!/^[\w./-]+$/.test(secret.name)) problems.error(INVALID, `"${secret.name}" is not a usable file path or variable name`, whereOf(ds.secureJsonData, key), ds.name);
          secure[key] = secret.from === 'file' ? `$__file{${secret.name}}` : `$__env{${secret.name}}`;
        }
        json.secureJsonData = secure;
      }
      if (ds.extra !== undefined) mergeExtra(json, ds.extra);
      return json;
    }),
  };
}

/**
 * Grafana's dashboard providers of one system: one file provider per folder it writes, over that
 * folder alone (`<dashboardsPath>/<folder>`, as out/grafana/dashboards/<folder>/ is mounted), so
 * the providers of every system load side by side into one Grafana.
 */
export function dashboardsProvisioning(providers: readonly DashboardProvider[], dashboardsPath: string): Record<string, unknown> {
  return {
    apiVersion: 1,
    providers: providers.map((provider) => ({
      name: provider.name,
      orgId: 1,
      folder: provider.folder,
      type: 'file',
      disableDeletion: false,
      allowUiUpdates: false,
      updateIntervalSeconds: 30,
      options: { path: `${dashboardsPath.replace(/\/+$/, '')}/${provider.folder}` },
    })),
  };
}
