import { datasourceUid, isSecretRef, type Datasource } from '../../model/datasource.js';
import { whereOf } from '../../model/source-location.js';
import { INVALID, type Problems } from '../../model/diagnostic.js';

/**
 * Grafana's datasource provisioning file for one system. Credentials are only
 * ever references Grafana expands at start-up (`$__file{…}`, `$__env{…}`).
 */
export function datasourcesProvisioning(datasources: readonly Datasource[], problems: Problems): Record<string, unknown> {
  return {
    apiVersion: 1,
    datasources: datasources.map((ds) => {
      const json: Record<string, unknown> = { name: ds.name, type: ds.type, uid: datasourceUid(ds), access: ds.access ?? 'proxy' };
      for (const key of ['url', 'isDefault', 'editable', 'basicAuth', 'basicAuthUser', 'user', 'database', 'orgId', 'jsonData'] as const) {
        if (ds[key] !== undefined) json[key] = ds[key];
      }
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
      return json;
    }),
  };
}

/**
 * Grafana's dashboard provider for one system: a file provider over the
 * dashboards folder, with folders taken from the file structure
 * (`out/grafana/dashboards/<folder>/<uid>.json`).
 */
export function dashboardsProvisioning(system: string, dashboardsPath: string): Record<string, unknown> {
  return {
    apiVersion: 1,
    providers: [
      {
        name: system,
        orgId: 1,
        type: 'file',
        disableDeletion: false,
        allowUiUpdates: false,
        updateIntervalSeconds: 30,
        options: { path: dashboardsPath, foldersFromFilesStructure: true },
      },
    ],
  };
}
