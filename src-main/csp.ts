/**
 * The renderer's Content-Security-Policy. Nothing remote, no eval, no inline script or style
 * elements; ECharts draws on canvas and sets element styles through the CSSOM (allowed);
 * images only from the app itself and from data:/blob: URLs it makes (chart export, thumbnails).
 * index.html carries the same policy in a meta tag; browser mode also sends it as a header.
 */
export const CSP_DIRECTIVES: Record<string, string> = {
  'default-src': "'none'",
  'script-src': "'self'",
  'style-src': "'self'",
  'img-src': "'self' data: blob:",
  'font-src': "'self'",
  'connect-src': "'self'",
  'worker-src': "'none'",
  'object-src': "'none'",
  'base-uri': "'none'",
  'form-action': "'none'"
}

export function cspHeader(extra: Record<string, string> = {}): string {
  return Object.entries({ ...CSP_DIRECTIVES, ...extra })
    .map(([k, v]) => `${k} ${v}`)
    .join('; ')
}
