// The benchmark's own stack: the servers of `npm start` (FerretDB on SQLite, the Temporal dev server,
// the worker, the API) plus the bare-Temporal baseline worker, on free loopback ports, with a data dir
// under a temp dir. Their output goes to <dataDir>/logs/*.log. Only the pids started here are stopped.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ROOT, freePort, startChild, stopChild, waitForPort } = require('../lib/processes');
const { startFerretDb, startTemporalDevServer } = require('../lib/servers');

const DB_TIMING = path.join(__dirname, 'db-timing.js');

class BenchStack {
  constructor() {
    this.dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tlo-bench-'));
    this.logDir = path.join(this.dataDir, 'logs');
    fs.mkdirSync(this.logDir);
    this.children = new Map();
    this.baselineTaskQueue = 'bench-baseline';
  }

  log(name) {
    return fs.createWriteStream(path.join(this.logDir, `${name}.log`), { flags: 'a' });
  }

  async start() {
    const ferretPort = await freePort();
    const ferret = await startFerretDb({
      port: ferretPort,
      dataDir: path.join(this.dataDir, 'ferretdb'),
      output: this.log('ferretdb'),
    });
    this.children.set('ferretdb', ferret.child);
    this.mongoBase = `mongodb://127.0.0.1:${ferretPort}`;
    const temporal = await startTemporalDevServer({
      port: await freePort(),
      uiPort: null,
      httpPort: await freePort(),
      metricsPort: await freePort(),
      dbFile: path.join(this.dataDir, 'temporal', 'temporal.db'),
      output: this.log('temporal'),
    });
    this.children.set('temporal', temporal.child);
    this.temporalAddress = temporal.address;

    const { loadConfig, loadAppleTrustAnchors } = require(path.join(ROOT, 'dist/libs/config/src'));
    this.apiPort = await freePort();
    this.baseEnv = {
      ...process.env,
      TLO_DATA_DIR: this.dataDir,
      TEMPORAL_ADDRESS: this.temporalAddress,
      API_PORT: String(this.apiPort),
      WORKER_METRICS_ADDRESS: `127.0.0.1:${await freePort()}`,
      LOG_LEVEL: 'warn',
    };
    this.config = loadConfig(this.baseEnv); // makes the data dir's secrets, as `npm start` does
    await loadAppleTrustAnchors(this.config);
    this.apiUrl = `http://127.0.0.1:${this.apiPort}`;
    await this.startBaselineWorker();
  }

  async startBaselineWorker() {
    const child = startChild('baseline', process.execPath, [path.join(__dirname, 'baseline-worker.js')], {
      env: {
        ...process.env,
        BENCH_TEMPORAL_ADDRESS: this.temporalAddress,
        BENCH_TASK_QUEUE: this.baselineTaskQueue,
      },
      output: this.log('baseline-worker'),
    });
    this.children.set('baseline', child);
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('baseline worker not ready in 120 s')), 120_000);
      child.stdout.on('data', (chunk) => {
        if (chunk.toString().includes('baseline worker ready')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => reject(new Error(`baseline worker exited (${code})`)));
    });
  }

  /** (Re)starts the worker and the API on database `database`, each with command timing. */
  async startProduct(database) {
    await this.stopProduct();
    this.database = database;
    this.mongoUri = `${this.mongoBase}/${database}?monitorCommands=true`;
    this.dbTimingPorts = { worker: await freePort(), api: await freePort() };
    const env = (name) => ({
      ...this.baseEnv,
      MONGODB_URI: this.mongoUri,
      BENCH_DB_TIMING_PORT: String(this.dbTimingPorts[name]),
    });
    const entry = (name) => ['--require', DB_TIMING, path.join(ROOT, `dist/apps/${name}/src/main.js`)];
    const worker = startChild('worker', process.execPath, entry('worker'), {
      env: env('worker'),
      output: this.log('worker'),
    });
    this.children.set('worker', worker);
    const api = startChild('api', process.execPath, entry('api'), {
      env: env('api'),
      output: this.log('api'),
    });
    this.children.set('api', api);
    await waitForPort(this.apiPort, { name: 'API', child: api, timeoutMs: 90_000 });
    for (let attempt = 0; ; attempt++) {
      const health = await fetch(`${this.apiUrl}/health`).catch(() => null);
      if (health?.status === 200) break;
      if (attempt > 240) throw new Error('the API did not become healthy in 60 s');
      await new Promise((r) => setTimeout(r, 250));
    }
    await waitForPort(this.dbTimingPorts.worker, { name: 'worker', child: worker, timeoutMs: 60_000 });
  }

  async stopProduct() {
    for (const name of ['api', 'worker']) {
      await stopChild(this.children.get(name));
      this.children.delete(name);
    }
  }

  /** Sum of MongoDB command round trips seen by the worker and the API so far. */
  async dbTotals() {
    const read = async (name) => (await fetch(`http://127.0.0.1:${this.dbTimingPorts[name]}/`)).json();
    const [worker, api] = await Promise.all([read('worker'), read('api')]);
    return { ms: worker.ms + api.ms, commands: worker.commands + api.commands, worker, api };
  }

  pid(name) {
    return this.children.get(name)?.pid;
  }

  /** Resident set size in MB of a process started here (its /proc status VmRSS). */
  rssMb(name) {
    const status = fs.readFileSync(`/proc/${this.pid(name)}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)[1]) / 1024;
  }

  /** CPU seconds (user + system) a process started here has used so far. */
  cpuSeconds(name) {
    const stat = fs.readFileSync(`/proc/${this.pid(name)}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
  }

  tail(name, lines = 20) {
    const file = path.join(this.logDir, `${name}.log`);
    if (!fs.existsSync(file)) return '';
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  }

  async stop() {
    for (const name of ['api', 'worker', 'baseline', 'temporal', 'ferretdb']) {
      await stopChild(this.children.get(name));
      this.children.delete(name);
    }
  }
}

module.exports = { BenchStack };
