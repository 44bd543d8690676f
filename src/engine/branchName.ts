/**
 * The branch name for a new repository, from a template such as
 * `<USER>-<DEPLOY_ENV>` (the original's naming).
 *
 * A variable that is missing or empty drops out together with the separator
 * before it (`<USER>-<DEPLOY_ENV>` with no DEPLOY_ENV gives `jovyan`), so a
 * laptop without DEPLOY_ENV gets the user's name. If nothing is left the name
 * is `checkpoints`. The result is made a valid ref name (git check-ref-format).
 */
export function branchName(
  template: string,
  env: Record<string, string | undefined>
): string {
  const filled = template.replace(
    /([^<>A-Za-z0-9]*)<([A-Za-z_][A-Za-z0-9_]*)>/g,
    (_match, separator: string, name: string) => {
      const value = env[name]?.trim();
      return value ? separator + value : '';
    }
  );
  return sanitizeRefName(filled) || 'checkpoints';
}

/** Replaces what git forbids in a ref name with '-', keeping '/' between valid parts. */
export function sanitizeRefName(name: string): string {
  return name
    .replace(/[\x00-\x20\x7f~^:?*[\\]+/g, '-')
    .replace(/@\{/g, '-')
    .replace(/\.{2,}/g, '.')
    .split('/')
    .map(part =>
      part
        .replace(/^[.-]+/, '')
        .replace(/(\.lock)+$/i, '')
        .replace(/\.+$/, '')
    )
    .filter(part => part.length > 0)
    .join('/')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '');
}
