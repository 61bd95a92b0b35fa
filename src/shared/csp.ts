/**
 * The windows' Content-Security-Policy: only the app's own scripts and styles, no inline
 * script, no eval, no remote anything. src/renderer/index.html carries it as a meta tag, and
 * the app's protocol (and the e2e host) send it as a header too. connect-src 'self' lets the
 * e2e bridge reach its host; in the app, 'self' serves only the bundled files.
 */
export const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
].join('; ');
