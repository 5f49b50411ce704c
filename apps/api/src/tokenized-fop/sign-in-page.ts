const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** The integrator's sign-in page for Google's redirect authentication: plain HTML, no scripts. */
export function signInPage(options: { requestId: string; returnUrl: string; error?: string }): string {
  const { requestId, returnUrl, error } = options;
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Sign in to add your account to Google</title>
  <style>
    body { font-family: system-ui, sans-serif; background: #f4f5f7; display: grid; place-items: center; min-height: 100vh; margin: 0; }
    form { background: #fff; padding: 2rem; border-radius: 8px; box-shadow: 0 1px 4px #0002; width: 20rem; }
    label { display: block; margin-top: 1rem; font-size: .9rem; }
    input { width: 100%; box-sizing: border-box; padding: .5rem; margin-top: .25rem; }
    button { margin-top: 1.5rem; width: 100%; padding: .6rem; background: #1a73e8; color: #fff; border: 0; border-radius: 4px; }
    .error { color: #b00020; margin-top: 1rem; }
  </style>
</head>
<body>
  <form method="post" action="/standard-payments/auth">
    <h1>Sign in</h1>
    <p>Google asks to link your account as a form of payment.</p>
    ${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
    <input type="hidden" name="requestId" value="${escapeHtml(requestId)}">
    <input type="hidden" name="returnUrl" value="${escapeHtml(returnUrl)}">
    <label>Username <input name="username" autocomplete="username" required></label>
    <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
    <button type="submit">Sign in and return to Google</button>
  </form>
</body>
</html>
`;
}
