/** The `route` label of a request no route template matches: ids in unknown paths never become labels. */
export const UNMATCHED = 'unmatched';

/**
 * A route template as Express 5 writes it (`/tokenization-requests/:requestId/otp`,
 * `/codec/*path`, optional `{...}` parts) → a regular expression matching the paths it serves,
 * with Express's defaults: case-insensitive, an optional trailing slash.
 */
export function templatePattern(template: string): RegExp {
  let source = '';
  for (const token of template.match(/:[A-Za-z_$][\w$]*|\*[A-Za-z_$][\w$]*|[{}]|[^:*{}]+|[:*]/g) ?? []) {
    if (token.length > 1 && token.startsWith(':')) source += '[^/]+';
    else if (token.length > 1 && token.startsWith('*')) source += '.+';
    else if (token === '{') source += '(?:';
    else if (token === '}') source += ')?';
    else source += token.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${source.replace(/\\\/$/, '')}/?$`, 'i');
}

/** Finds the template that serves a path, for requests answered before routing (e.g. a body that is not JSON). */
export function routeMatcher(templates: readonly string[]): (path: string) => string | undefined {
  const patterns = [...new Set(templates)].map((template) => ({
    template,
    pattern: templatePattern(template),
  }));
  return (path) => patterns.find(({ pattern }) => pattern.test(path))?.template;
}

/**
 * The route label of a request: the template Express matched, else the template of the path (a
 * request refused before routing), else `unmatched`. Never the concrete path.
 */
export function routeLabel(
  matched: unknown,
  path: string,
  match: (path: string) => string | undefined,
): string {
  if (typeof matched === 'string' && matched !== '') return matched;
  return match(path) ?? UNMATCHED;
}
