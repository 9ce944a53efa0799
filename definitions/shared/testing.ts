import type { AlertRule, RuleGroup } from 'moncode';

/**
 * The alert rule `name` as `group` holds it. Rule tests need the object itself (a copy is
 * not tested), and the shared helpers build some rules inside the group's list.
 */
export function alertOf(group: RuleGroup, name: string): AlertRule {
  const rule = group.rules.find((r): r is AlertRule => 'alert' in r && r.alert === name);
  if (!rule) throw new Error(`rule group ${group.name} has no alert ${name}`);
  return rule;
}
