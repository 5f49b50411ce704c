// What `npm run demo` prints: sections, one line per HTTP step, workflow links and the summary.
// Request bodies are never printed; a failed step's answer is printed with anything card-shaped masked.

const out = (line = '') => process.stdout.write(`${line}\n`);

/** The Temporal Web UI page of a workflow (its latest run). */
function workflowLink({ uiUrl, namespace }, workflowId) {
  return `${uiUrl}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}

/** Masks digit runs as long as a PAN, and every secret the demo was told about (one-time codes). */
function redact(text, secrets = []) {
  let masked = String(text).replace(
    /\d{12,19}/g,
    (digits) => `${'*'.repeat(digits.length - 4)}${digits.slice(-4)}`,
  );
  for (const secret of secrets) masked = masked.split(secret).join('******');
  return masked;
}

function section(title) {
  out();
  out(`== ${title} ==`);
}

function stepLine({ what, method, route, status, detail }) {
  out(`  [${status}] ${method} ${route}  ${what}${detail ? ` -> ${detail}` : ''}`);
}

function note(text) {
  out(`  ${text}`);
}

function workflowLine(target, { workflowId, state }) {
  out(`  workflow ${workflowId}: ${state}`);
  out(`    ${workflowLink(target, workflowId)}`);
}

/** Per lifecycle, each workflow it drove: description, final state, workflow id, then its UI link. */
function summary(target, workflows) {
  out();
  out('== Summary ==');
  const labelWidth = Math.max(...workflows.map((w) => w.label.length));
  const stateWidth = Math.max(...workflows.map((w) => w.state.length));
  let lifecycle = null;
  for (const workflow of workflows) {
    if (workflow.lifecycle !== lifecycle) {
      lifecycle = workflow.lifecycle;
      out(`  ${lifecycle}`);
    }
    out(
      `    ${workflow.label.padEnd(labelWidth)}  ${workflow.state.padEnd(stateWidth)}  ${workflow.workflowId}`,
    );
    out(`      ${workflowLink(target, workflow.workflowId)}`);
  }
}

/** A step the API answered with a status (or an answer) it should not have: the step and the answer. */
function failure(error, secrets) {
  const { what, method, route, status } = error.step;
  const lines = [`[demo] step failed: ${what}`];
  if (method) lines.push(`  ${method} ${route} answered ${status}`);
  if (error.expected) lines.push(`  expected ${error.expected}`);
  const body = typeof error.body === 'string' ? error.body : JSON.stringify(error.body, null, 2);
  lines.push(
    ...redact(body ?? '(no body)', secrets)
      .split('\n')
      .map((line) => `  ${line}`),
  );
  process.stderr.write(`${lines.join('\n')}\n`);
}

module.exports = { out, workflowLink, redact, section, stepLine, note, workflowLine, summary, failure };
