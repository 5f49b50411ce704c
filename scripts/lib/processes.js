// Child-process helpers shared by `npm start`, `npm test` and the test setup.
const { spawn, spawnSync } = require('node:child_process');
const net = require('node:net');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const TOOLS_BIN = path.join(ROOT, '.tools', 'bin');

/**
 * `npm ci` when node_modules is missing or was installed from another package-lock.json, so that
 * `npm start` and `npm test` work from a fresh clone without a separate install step.
 */
function ensureDependencies() {
  const { createHash } = require('node:crypto');
  const fs = require('node:fs');
  const lock = path.join(ROOT, 'package-lock.json');
  const stamp = path.join(ROOT, 'node_modules', '.tlo-lock-hash');
  const hash = createHash('sha256').update(fs.readFileSync(lock)).digest('hex');
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === hash) return;
  process.stderr.write('[deps] installing npm dependencies (npm ci)\n');
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error(`npm ci failed (exit ${result.status})`);
  fs.writeFileSync(stamp, hash);
}

/** Runs the project's installer for the named tools; progress goes to stderr. */
function installTools(tools) {
  const result = spawnSync('bash', [path.join(ROOT, 'scripts', 'tools', 'install.sh'), ...tools], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0) throw new Error(`installing ${tools.join(', ')} failed (exit ${result.status})`);
}

/** Compiles TypeScript to dist/ and bundles the workflow code once. */
function build({ quiet = false } = {}) {
  const result = spawnSync('npm', ['run', '-s', 'build'], {
    cwd: ROOT,
    stdio: quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit',
  });
  if (result.status !== 0) throw new Error(`npm run build failed (exit ${result.status})`);
}

const BUILD_INPUTS = ['apps', 'libs', 'workflows', 'activities', 'tsconfig.json', 'tsconfig.build.json'];

/** Newest modification time (ms) of a file or of any file under a directory. */
function newestMtime(target) {
  const fs = require('node:fs');
  const stat = fs.statSync(target, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  return fs
    .readdirSync(target)
    .reduce((newest, entry) => Math.max(newest, newestMtime(path.join(target, entry))), stat.mtimeMs);
}

/** Builds when dist/ is missing or older than any source, so commands run today's code. */
function ensureBuilt() {
  const bundle = path.join(ROOT, 'dist', 'workflow-bundle.js');
  const built = newestMtime(bundle);
  const sources = Math.max(...BUILD_INPUTS.map((input) => newestMtime(path.join(ROOT, input))));
  if (built > 0 && built >= sources) return;
  process.stderr.write(
    '[build] sources changed since the last build: building dist/ and the workflow bundle\n',
  );
  build({ quiet: true });
}

/**
 * Ports are drawn below the kernel's ephemeral range (32768-60999 on Linux): a port the OS hands to
 * an outgoing connection or a server listening on port 0 (a dev server's internal ports) can never
 * be taken between this check and the moment the caller binds it, nor linger in TIME_WAIT from one.
 */
const PORT_RANGE = { first: 20000, last: 32000 };
const handedOut = new Set();

function canListen(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function freePort() {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = PORT_RANGE.first + Math.floor(Math.random() * (PORT_RANGE.last - PORT_RANGE.first));
    if (handedOut.has(port) || !(await canListen(port))) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error(`no free port between ${PORT_RANGE.first} and ${PORT_RANGE.last}`);
}

function portOpen(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function waitForPort(port, { name, timeoutMs = 60_000, child } = {}) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null)
      throw new Error(`${name} exited with code ${child.exitCode} before listening`);
    if (await portOpen(port)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${name} did not listen on ${port} within ${timeoutMs} ms`);
}

/**
 * Spawns a long-running child in its own process group (so a stop reaches its children too),
 * prefixing its output lines with its name.
 */
function startChild(
  name,
  command,
  args,
  { env = process.env, cwd = ROOT, output = process.stdout, prefix = true } = {},
) {
  const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const forward = (stream) => {
    let buffer = '';
    stream.on('data', (chunk) => {
      buffer += chunk.toString();
      let newline;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        if (output) output.write(prefix ? `[${name}] ${line}\n` : `${line}\n`);
      }
    });
  };
  forward(child.stdout);
  forward(child.stderr);
  child.name = name;
  return child;
}

/** SIGTERM to the child's process group, SIGKILL after a grace period. */
function stopChild(child, graceMs = 8000) {
  return new Promise((resolve) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      clearTimeout(timer);
      resolve();
    }
  });
}

module.exports = {
  ensureBuilt,
  ROOT,
  TOOLS_BIN,
  ensureDependencies,
  installTools,
  build,
  freePort,
  portOpen,
  waitForPort,
  startChild,
  stopChild,
};
