import { ALERTMANAGER_FIELDS, type FieldShape } from '../../model/alertmanager-fields.gen.js';

/** The Alertmanager releases whose config structs moncode knows (src/model/alertmanager-fields.gen.ts). */
export const ALERTMANAGER_VERSIONS = Object.keys(ALERTMANAGER_FIELDS);

/** The version amtool here reads (Debian's prometheus-alertmanager): the only one a real validator checks. */
export const VALIDATED_ALERTMANAGER_VERSION = '0.25';

export type Section = 'receiver' | 'global' | 'route' | 'inhibit_rule';

/** The release line (`0.28`) of a declared version (`0.28.1`), when moncode knows it. */
export function alertmanagerRelease(version: string): string | undefined {
  const [major, minor] = version.split('.');
  const release = `${Number(major)}.${Number(minor)}`;
  return ALERTMANAGER_FIELDS[release] ? release : undefined;
}

/** The shape of a field path (`['receiver', 'slack_configs', 'api_url']`) in a release, or undefined when it has none. */
export function shapeAt(release: string, section: Section, path: readonly string[]): FieldShape | undefined {
  let shape: FieldShape | undefined = ALERTMANAGER_FIELDS[release]![section];
  for (const part of path) {
    if (shape === undefined || shape === true) return shape;
    shape = shape[part];
  }
  return shape;
}

/** The first release that has the field path, if any does. */
export function sinceRelease(section: Section, path: readonly string[]): string | undefined {
  return ALERTMANAGER_VERSIONS.find((release) => shapeAt(release, section, path) !== undefined);
}
