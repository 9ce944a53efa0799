import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { defineRule } from '../types.js';
import { alertsOf } from '../walk.js';
import { pointerUnder } from '../../model/pointer.js';

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes, repeats numbered. */
export function headingSlugs(markdown: string): Set<string> {
  const slugs = new Set<string>();
  const counts = new Map<string, number>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    if (fenced) continue;
    const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const text = heading[1]!
      .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/<[^>]+>/g, '')
      .replace(/[*`]/g, '');
    const base = text
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\p{M}\p{Pc} -]/gu, '')
      .replace(/ /g, '-');
    const seen = counts.get(base) ?? 0;
    slugs.add(seen === 0 ? base : `${base}-${seen}`);
    counts.set(base, seen + 1);
  }
  return slugs;
}

export default defineRule({
  meta: { id: 'runbook/unresolved', defaultSeverity: 'error', scope: 'project', summary: 'A runbook link into this repository whose file or `#anchor` heading does not exist.' },
  check({ model, settings, report }) {
    const slugCache = new Map<string, Set<string>>();
    for (const { group, rule, at, name } of alertsOf(model.ruleGroups)) {
      for (const key of settings.runbookAnnotations) {
        const value = rule.annotations?.[key]?.trim();
        // Placeholders are runbook/missing's; only what looks like a link or a path is resolved.
        if (!value || value.includes('{{') || !/[/#]|\.(md|markdown|html?|txt)$/i.test(value)) continue;
        let target = value;
        if (/^[a-z][a-z0-9+.-]*:/i.test(value)) {
          const base = settings.runbookBaseUrls.find((prefix) => value.startsWith(prefix));
          if (!base) continue; // an external page: not checked offline
          target = value.slice(base.length);
          try {
            target = decodeURI(target);
          } catch {
            // a malformed escape: look the path up as written
          }
        }
        const [filePart, anchor] = target.split('#', 2) as [string, string?];
        if (!filePart && anchor === undefined) continue;
        const root = settings.repositoryRoot(group.file);
        const candidates = [
          ...(filePart.startsWith('/') && root ? [path.join(root, filePart)] : []),
          ...(root && !filePart.startsWith('/') ? [path.join(root, filePart)] : []),
          path.resolve(path.dirname(group.file), filePart),
        ];
        for (const candidate of filePart ? candidates : []) settings.consulted(candidate);
        const file = filePart ? candidates.find((c) => existsSync(c) && statSync(c).isFile()) : group.file;
        const where = pointerUnder(at, 'annotations', key);
        if (!file) {
          report({
            in: group,
            at: where,
            within: { value: rule.annotations![key]!, from: rule.annotations![key]!.indexOf(filePart), to: rule.annotations![key]!.indexOf(filePart) + filePart.length },
            subject: name,
            message: `runbook \`${filePart}\` does not exist (looked in ${[...new Set(candidates.map((c) => path.relative(process.cwd(), c) || '.'))].join(' and ')})`,
          });
          continue;
        }
        if (!anchor || !/\.(md|markdown)$/i.test(file)) continue;
        let slugs = slugCache.get(file);
        if (!slugs) {
          slugs = headingSlugs(readFileSync(file, 'utf8'));
          slugCache.set(file, slugs);
        }
        if (!slugs.has(decodeURIComponent(anchor).toLowerCase())) {
          const from = rule.annotations![key]!.lastIndexOf(`#${anchor}`);
          report({
            in: group,
            at: where,
            within: { value: rule.annotations![key]!, from, to: from + anchor.length + 1 },
            subject: name,
            message: `runbook ${path.basename(file)} has no heading for \`#${anchor}\`${
              slugs.size
                ? `; its headings are ${[...slugs]
                    .slice(0, 8)
                    .map((s) => `#${s}`)
                    .join(', ')}${slugs.size > 8 ? ', …' : ''}`
                : ''
            }`,
          });
        }
      }
    }
  },
});
