export const SIGN_IN_PATH = '/codec/sign-in';
export const SIGN_OUT_PATH = '/codec/sign-out';

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

const STYLE = `
    body { font-family: system-ui, sans-serif; background: #f4f5f7; display: grid; place-items: center; min-height: 100vh; margin: 0; }
    main { background: #fff; padding: 2rem; border-radius: 8px; box-shadow: 0 1px 4px #0002; width: 34rem; }
    label { display: block; margin-top: 1rem; font-size: .9rem; }
    textarea { width: 100%; box-sizing: border-box; padding: .5rem; margin-top: .25rem; font-family: monospace; }
    button { margin-top: 1.5rem; padding: .6rem 1.2rem; background: #1a73e8; color: #fff; border: 0; border-radius: 4px; }
    .error { color: #b00020; margin-top: 1rem; }
    code { background: #f0f0f0; padding: 0 .2rem; }`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${escapeHtml(title)}</title>
  <style>${STYLE}
  </style>
</head>
<body>
  <main>
${body}
  </main>
</body>
</html>
`;
}

/** What the operator does in the Web UI once signed in: the UI's own Codec Server settings. */
function uiSteps(codecEndpoint: string, uiOrigins: string[]): string {
  const links = uiOrigins.map((o) => `<a href="${escapeHtml(o)}">${escapeHtml(o)}</a>`).join(' or ');
  return `    <p>In the Temporal Web UI (${links}), open <b>Codec Server</b> in the top bar, choose
    <b>Use my browser setting</b>, set the endpoint to <code>${escapeHtml(codecEndpoint)}</code>,
    tick <b>Include cross-origin credentials</b> and apply: the UI then decodes payloads with this session.
    A UI whose server already sets the codec endpoint and <code>includeCredentials</code> needs nothing more.</p>`;
}

/** The codec operator's sign-in: paste an API token that has `codec.decode`. Plain HTML, no scripts. */
export function codecSignInPage(options: {
  codecEndpoint: string;
  uiOrigins: string[];
  error?: string;
}): string {
  const { codecEndpoint, uiOrigins, error } = options;
  return page(
    'Codec server: operator sign-in',
    `    <h1>Codec server sign-in</h1>
    <p>Signing in lets the Temporal Web UI decrypt workflow payloads through this API for a few hours.
    Paste an API token with the <code>codec.decode</code> scope (and <code>codec.encode</code> if you
    start or signal workflows from the UI). Locally, <code>npm start</code> prints one, and
    <code>npm run -s token -- codec.decode</code> makes another.</p>
    ${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
    <form method="post" action="${escapeHtml(SIGN_IN_PATH)}">
      <label>API token <textarea name="token" rows="5" autocomplete="off" spellcheck="false" required></textarea></label>
      <button type="submit">Sign in</button>
    </form>
${uiSteps(codecEndpoint, uiOrigins)}`,
  );
}

export function codecSignedInPage(options: {
  subject: string;
  scopes: string[];
  expiresAt: Date;
  codecEndpoint: string;
  uiOrigins: string[];
}): string {
  const { subject, scopes, expiresAt, codecEndpoint, uiOrigins } = options;
  return page(
    'Codec server: signed in',
    `    <h1>Signed in</h1>
    <p role="status">Signed in to the codec server as <b>${escapeHtml(subject)}</b>
    (${scopes.map((s) => `<code>${escapeHtml(s)}</code>`).join(', ')}) until ${escapeHtml(expiresAt.toISOString())}.</p>
${uiSteps(codecEndpoint, uiOrigins)}
    <form method="post" action="${escapeHtml(SIGN_OUT_PATH)}"><button type="submit">Sign out</button></form>`,
  );
}

export function codecSignedOutPage(): string {
  return page(
    'Codec server: signed out',
    `    <h1>Signed out</h1>
    <p role="status">The codec session is closed. <a href="${escapeHtml(SIGN_IN_PATH)}">Sign in again</a>.</p>`,
  );
}
