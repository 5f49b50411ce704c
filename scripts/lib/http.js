// The scripts' HTTP client (demo, Smart Tap seed and terminal): a call to the API as one bearer token,
// JSON or form body, no redirects followed, each call limited in time so a stuck lifecycle fails the
// script instead of hanging it.

const TIME_LIMIT_MS = 60_000;

/** The API could not be reached, or did not answer in time. */
class ApiUnreachableError extends Error {}

/** `call(method, route, body, { form, headers })` → `{ status, headers, body }`, body parsed when JSON. */
function apiCaller(apiUrl, token) {
  return async (method, route, body, options = {}) => {
    const headers = { ...options.headers };
    if (token) headers.authorization = `Bearer ${token}`;
    let payload;
    if (options.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      payload = new URLSearchParams(options.form).toString();
    } else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(`${apiUrl}${route}`, {
        method,
        headers,
        body: payload,
        redirect: 'manual',
        signal: AbortSignal.timeout(options.timeoutMs ?? TIME_LIMIT_MS),
      });
    } catch (error) {
      const reason =
        error.name === 'TimeoutError'
          ? `no answer within ${(options.timeoutMs ?? TIME_LIMIT_MS) / 1000} s (is the worker running?)`
          : `cannot reach the API at ${apiUrl} (${error.cause?.code ?? error.cause?.message ?? error.message})`;
      throw new ApiUnreachableError(`${method} ${route}: ${reason}`);
    }
    const text = await response.text();
    let parsed = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON: an HTML page */
    }
    return { status: response.status, headers: response.headers, body: parsed };
  };
}

module.exports = { ApiUnreachableError, apiCaller };
