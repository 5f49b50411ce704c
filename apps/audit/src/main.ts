import { parseArgs } from 'node:util';
import { UsageError } from './audit-environment';
import { exportCommand } from './export.command';
import { replayCommand } from './replay.command';
import { trailCommand } from './trail.command';

const USAGE = `usage:
  npm run audit:export -- --query '<visibility query>' --out <dir>
  npm run audit:replay -- (--dir <dir> | --query '<visibility query>' | --workflow-id <id>) [--bundle <workflow-bundle.js>]
  npm run audit:trail  -- (<workflowId> [--run-id <runId>] | --file <history.json>) [--format table|json] [--no-decrypt]
common: --address <host:port> (TEMPORAL_ADDRESS), --namespace <ns> (TEMPORAL_NAMESPACE); the codec key comes
from PAYLOAD_CODEC_KEYS or the development secrets in .data/ (TLO_DATA_DIR); TLS and API key from
TEMPORAL_TLS_CERT, TEMPORAL_TLS_KEY, TEMPORAL_TLS_CA, TEMPORAL_TLS_SERVER_NAME, TEMPORAL_API_KEY`;

const COMMON = { address: { type: 'string' }, namespace: { type: 'string' } } as const;

async function run(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'export': {
      const { values } = parseArgs({
        args: rest,
        options: { ...COMMON, query: { type: 'string' }, out: { type: 'string' } },
      });
      return exportCommand(values);
    }
    case 'replay': {
      const { values } = parseArgs({
        args: rest,
        options: {
          ...COMMON,
          dir: { type: 'string' },
          query: { type: 'string' },
          'workflow-id': { type: 'string' },
          bundle: { type: 'string' },
        },
      });
      return replayCommand(values);
    }
    case 'trail': {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: {
          ...COMMON,
          file: { type: 'string' },
          format: { type: 'string' },
          'run-id': { type: 'string' },
          'no-decrypt': { type: 'boolean' },
        },
      });
      if (positionals.length > 1)
        throw new UsageError(`one workflow id at a time, got ${positionals.length}`);
      return trailCommand(positionals[0], values);
    }
    default:
      throw new UsageError(command ? `unknown command ${command}` : 'a command is required');
  }
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    // gRPC errors carry a numeric code; only node's parseArgs errors are usage errors.
    const code = (error as { code?: unknown }).code;
    const usage =
      error instanceof UsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'));
    process.stderr.write(`audit: ${(error as Error).message}\n${usage ? `${USAGE}\n` : ''}`);
    process.exit(usage ? 2 : 1);
  },
);
