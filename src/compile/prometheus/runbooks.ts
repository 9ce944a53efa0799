import { existsSync } from 'node:fs';
import path from 'node:path';
import type { RuleGroupModel } from '../../model/project-model.js';
import { INVALID, type Problems } from '../../model/diagnostic.js';
import { pointer } from '../../model/pointer.js';

/** A value of a runbook annotation that is a path in this repository rather than a link. */
export function isRepositoryPath(value: string): boolean {
  const text = value.trim();
  return !!text && !text.includes('{{') && !text.startsWith('#') && !/^[a-z][a-z0-9+.-]*:/i.test(text) && /[/#]|\.(md|markdown|html?|txt)$/i.test(text);
}

/** The nearest folder upwards holding `.git`, else the project's own folder. */
export function repositoryRoot(projectRoot: string): string {
  for (let current = path.resolve(projectRoot); ; current = path.dirname(current)) {
    if (existsSync(path.join(current, '.git'))) return current;
    if (path.dirname(current) === current) return path.resolve(projectRoot);
  }
}

/**
 * Runbook annotations written as paths in the repository (`docs/runbooks/api.md#down`, relative to
 * the repository root; `./x.md` and `../x.md` relative to the definition's file) become the URL a
 * person can click in a notification: the first of `lint.runbookBaseUrls` (the repository's
 * `blob/main/` URL) joined with the path from the repository root. Without a base, or for a path
 * that leaves the repository, the annotation is an error.
 */
export function absoluteRunbooks(groups: readonly RuleGroupModel[], options: { annotations: readonly string[]; base: string | undefined; root: string }, problems: Problems): void {
  for (const group of groups) {
    group.rules.forEach((rule, index) => {
      if (!rule.alert || !rule.annotations) return;
      for (const key of options.annotations) {
        const value = rule.annotations[key];
        if (value === undefined || !isRepositoryPath(value)) continue;
        const where = group.locator.get(pointer('rules', index, 'annotations', key));
        const [filePart, anchor] = value.trim().split('#', 2) as [string, string?];
        const absolute = filePart.startsWith('./') || filePart.startsWith('../') ? path.resolve(path.dirname(group.file), filePart) : path.join(options.root, filePart);
        const relative = path.relative(options.root, absolute).split(path.sep).join('/');
        if (relative.startsWith('..') || path.isAbsolute(relative)) {
          problems.error(INVALID, `runbook \`${filePart}\` is outside the repository (${options.root}): no base URL can link it; give the page's URL`, where, rule.alert);
          continue;
        }
        if (options.base === undefined) {
          problems.error(
            INVALID,
            `runbook \`${value.trim()}\` is a path in this repository, not a link a notification can open: set \`lint.runbookBaseUrls\` in mon.config.ts to the repository's URL (e.g. 'https://github.com/org/repo/blob/main/') and mon-build writes ${key} as that URL, or give the full URL`,
            where,
            rule.alert,
          );
          continue;
        }
        const base = options.base.endsWith('/') ? options.base : `${options.base}/`;
        rule.annotations[key] = `${base}${encodeURI(relative)}${anchor === undefined ? '' : `#${anchor}`}`;
      }
    });
  }
}
