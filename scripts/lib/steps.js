// One HTTP step of a script against the API: the call, the statuses it accepts, and what it reports.
// `call(method, route, body, options)` answers `{ status, body }` (scripts/lib/http.js);
// `report({ what, method, route, status, detail })` prints the step.

/** The API answered a status the step does not accept. */
class UnexpectedStatusError extends Error {
  constructor(step, response) {
    super(`${step.what}: ${step.method} ${step.route} answered ${response.status}`);
    this.step = step;
    this.status = response.status;
    this.body = response.body;
  }
}

/**
 * Calls the API once; throws UnexpectedStatusError unless the status is in `accept`, else reports the
 * step with `detail(body, status)`, the answer's interesting fields (never card data), and returns the
 * response. `shownRoute` replaces a route holding a credential (a formToken) in what is reported.
 */
async function step(
  call,
  report,
  { what, method, route, shownRoute, body, options, accept = [200], detail },
) {
  const response = await call(method, route, body, options);
  const done = { what, method, route: shownRoute ?? route, status: response.status };
  if (!accept.includes(response.status)) throw new UnexpectedStatusError(done, response);
  report({ ...done, detail: detail ? detail(response.body, response.status) : '' });
  return response;
}

module.exports = { UnexpectedStatusError, step };
