import type { AppConfig } from '@tlo/config';
import helmet from 'helmet';

/**
 * helmet's defaults on every answer: HSTS, nosniff, frame and opener isolation, no referrer, no
 * `X-Powered-By`, and a same-origin CSP under which Swagger UI (/docs: its own scripts, inline styles,
 * data: images) works. A page with a CSP of its own (the Standard Payments sign-in page) sets it
 * after this and replaces it. Outside production the API is plain http on loopback, so
 * `upgrade-insecure-requests` would send /docs' assets to an https port that does not exist.
 */
export function securityHeaders(config: Pick<AppConfig, 'production'>) {
  return helmet({
    contentSecurityPolicy: {
      directives: { 'upgrade-insecure-requests': config.production ? [] : null },
    },
  });
}
