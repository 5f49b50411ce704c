// What each lifecycle of the demo works with: fresh ids, development tokens, checked HTTP steps, the
// answers it expects, and the workflows it drove (printed with their Temporal Web UI links).
const { randomUUID } = require('node:crypto');
const { developmentToken } = require('../lib/token');
const { step } = require('../lib/steps');
const { apiCaller } = require('../lib/http');
const output = require('./output');

const describe = (expected) =>
  Object.entries(expected)
    .map(([path, value]) => `${path} ${JSON.stringify(value)}`)
    .join(', ');
const at = (answer, path) => path.split('.').reduce((node, key) => node?.[key], answer);

/** The API answered, but not what the lifecycle should have answered at this step. */
class UnexpectedAnswerError extends Error {
  constructor(what, expected, answer, done = null) {
    super(`${what}: expected ${describe(expected)}`);
    this.step = done ?? { what, method: '', route: '', status: '' };
    this.expected = describe(expected);
    this.body = answer;
  }
}

/** Throws UnexpectedAnswerError unless every `path: value` of `expected` holds in `answer`. */
function expectAnswer(what, answer, expected, done) {
  const wrong = Object.entries(expected).some(
    ([path, value]) => JSON.stringify(at(answer, path)) !== JSON.stringify(value),
  );
  if (wrong) throw new UnexpectedAnswerError(what, expected, answer, done);
}

/**
 * `target` is `{ apiUrl, uiUrl, namespace }`. Each run draws a fresh `runId`, so ids built from it
 * (shops, programs, accounts, issuers) never collide with an earlier run's.
 */
function demoContext(target) {
  const runId = randomUUID().slice(0, 8);
  const workflows = [];
  const secrets = [];
  let lifecycle = null;
  const report = output.stepLine;
  return {
    runId,
    workflows,
    /** Values the demo learned but must never show (one-time codes); masked in a failure's output. */
    secrets,
    report,
    begin(title) {
      lifecycle = title;
      output.section(title);
    },
    token: (scopes, subject = 'demo') => developmentToken(scopes, subject),
    call: (token) => apiCaller(target.apiUrl, token),
    /** One HTTP step (scripts/lib/steps.js); `expect` checks fields of the answer (dotted paths). */
    async step(token, spec) {
      const response = await step(apiCaller(target.apiUrl, token), report, spec);
      if (spec.expect) {
        const done = { what: spec.what, method: spec.method, route: spec.shownRoute ?? spec.route };
        expectAnswer(spec.what, response.body, spec.expect, { ...done, status: response.status });
      }
      return response;
    },
    expect: expectAnswer,
    note: output.note,
    /** A workflow the lifecycle drove, with the state it reached: printed now and in the summary. */
    workflow(label, workflowId, state) {
      workflows.push({ lifecycle, label, workflowId, state });
      output.workflowLine(target, { workflowId, state });
    },
  };
}

module.exports = { UnexpectedAnswerError, demoContext };
