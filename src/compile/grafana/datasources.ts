import type { DatasourceDeclaration, LoadedResource } from '../../model/project-model.js';
import { datasourceUid, type Datasource } from '../../model/datasource.js';
import { whereOf } from '../../model/source-location.js';
import { INVALID, type Problems } from '../../model/diagnostic.js';

export interface DatasourceRefJson {
  type: string;
  uid: string;
}

type Resolution = { ref?: DatasourceRefJson; error?: string };

const VARIABLE_REF = /^\$\{?(\w+)\}?$/;

/**
 * The datasources of a project: those exported by each system, and those its
 * dashboards refer to. Panels name them by value (`datasource: metrics`) or
 * by name/uid string; `$var` refers to a datasource variable.
 */
export class DatasourceRegistry {
  private readonly bySystem = new Map<string, Datasource[]>();
  private readonly used = new Map<string, Set<Datasource>>();
  private readonly all: Datasource[] = [];

  constructor(resources: readonly LoadedResource[], problems: Problems) {
    for (const resource of resources) {
      if (resource.kind !== 'datasource') continue;
      const ds = resource.value as Datasource;
      const list = this.bySystem.get(resource.system) ?? [];
      const clash = list.find((other) => other.name === ds.name || datasourceUid(other) === datasourceUid(ds));
      if (clash) {
        problems.error(INVALID, `datasource "${ds.name}" (uid ${datasourceUid(ds)}) is declared twice in ${resource.system}`, whereOf(ds, 'name'), ds.name);
        continue;
      }
      list.push(ds);
      this.bySystem.set(resource.system, list);
      this.all.push(ds);
    }
  }

  /** Resolves a datasource a panel, target or variable names, for a query of plugin `type`. */
  resolve(system: string, named: Datasource | string | undefined, type: string, variables: ReadonlySet<string>): Resolution {
    if (named === undefined) {
      const fallback = this.defaultFor(system, type);
      if (fallback) this.markUsed(system, fallback);
      return { ref: fallback ? { type: fallback.type, uid: datasourceUid(fallback) } : undefined };
    }
    if (typeof named !== 'string') {
      this.markUsed(system, named);
      return { ref: { type: named.type, uid: datasourceUid(named) } };
    }
    const variable = VARIABLE_REF.exec(named);
    if (variable) {
      if (!variables.has(variable[1]!)) return { error: `datasource "${named}" refers to no variable of this dashboard` };
      return { ref: { type, uid: `\${${variable[1]}}` } };
    }
    const candidates = [...(this.bySystem.get(system) ?? []), ...this.all];
    const found = candidates.find((ds) => ds.name === named) ?? candidates.find((ds) => datasourceUid(ds) === named);
    if (!found) {
      const known = [...new Set(candidates.map((ds) => ds.name))];
      return {
        error: `unknown datasource "${named}"${known.length ? `: declared are ${known.map((n) => `"${n}"`).join(', ')}` : ': declare it with datasource({ … }) and export it'}`,
      };
    }
    this.markUsed(system, found);
    return { ref: { type: found.type, uid: datasourceUid(found) } };
  }

  /** The system's default datasource of a plugin type: marked `isDefault`, or the only one. */
  defaultFor(system: string, type: string): Datasource | undefined {
    const own = (this.bySystem.get(system) ?? []).filter((ds) => ds.type === type);
    const pick = (list: Datasource[]) => list.find((ds) => ds.isDefault) ?? (list.length === 1 ? list[0] : undefined);
    return pick(own) ?? pick(this.all.filter((ds) => ds.type === type));
  }

  /** Datasources a system provisions: those it exports and those its dashboards use. */
  forSystem(system: string): Datasource[] {
    const list = [...(this.bySystem.get(system) ?? [])];
    for (const ds of this.used.get(system) ?? []) if (!list.includes(ds)) list.push(ds);
    return list;
  }

  /** Every datasource known, for checks of dashboards read from files. */
  declarations(): DatasourceDeclaration[] {
    const list: DatasourceDeclaration[] = [];
    for (const [system, datasources] of this.bySystem) for (const ds of datasources) list.push({ name: ds.name, uid: datasourceUid(ds), type: ds.type, system });
    return list;
  }

  systems(): string[] {
    return [...new Set([...this.bySystem.keys(), ...this.used.keys()])].sort();
  }

  private markUsed(system: string, ds: Datasource): void {
    const set = this.used.get(system) ?? new Set();
    set.add(ds);
    this.used.set(system, set);
  }
}
