/**
 * The alert labels a Prometheus alert template reads: `{{ $labels.job }}`,
 * `{{ .Labels.job }}`, `{{ index $labels "job" }}`. Inside `with`/`range`
 * blocks the dot is something else (query results), so `.Labels` there is not
 * the alert's; `$labels` and `$.Labels` always are.
 */

interface TemplateLabelRef {
  label: string;
  /** Offsets of the reference in the template text. */
  from: number;
  to: number;
}

const ACTION = /\{\{-?([\s\S]*?)-?\}\}/g;
const NAME = '[A-Za-z_][A-Za-z0-9_]*';
const ALWAYS = new RegExp(`(?:\\$labels|\\$\\.Labels)\\.(${NAME})|index\\s+(?:\\$labels|\\$\\.Labels)\\s+"(${NAME})"`, 'g');
const DOT = new RegExp(`(?<![\\w$\\])])\\.Labels\\.(${NAME})|index\\s+\\.Labels\\s+"(${NAME})"`, 'g');

export function templateLabelRefs(template: string): TemplateLabelRef[] {
  const refs: TemplateLabelRef[] = [];
  const dotIsAlert: boolean[] = [true];
  for (const action of template.matchAll(ACTION)) {
    const body = action[1]!;
    const start = action.index + action[0].indexOf(body);
    const keyword = /^\s*(\w+)/.exec(body)?.[1];
    const scan = (pattern: RegExp): void => {
      for (const match of body.matchAll(pattern)) {
        const label = match[1] ?? match[2]!;
        const offset = start + match.index + match[0].lastIndexOf(label);
        refs.push({ label, from: offset, to: offset + label.length });
      }
    };
    scan(ALWAYS);
    const current = dotIsAlert[dotIsAlert.length - 1]!;
    // `{{ with .Labels.x }}` reads the alert's labels before the dot changes.
    if (current) scan(DOT);
    if (keyword === 'with' || keyword === 'range') dotIsAlert.push(false);
    else if (keyword === 'if' || keyword === 'define' || keyword === 'block') dotIsAlert.push(keyword === 'if' ? current : true);
    else if (keyword === 'end' && dotIsAlert.length > 1) dotIsAlert.pop();
  }
  return refs;
}
