import { Agent, request } from 'node:http';
import type { HostileRequest } from './requests';
import type { Answer } from './verdict';

const MAX_ANSWER_BYTES = 64 * 1024;

/** Sends requests exactly as given (no URL normalisation, raw bytes), over keep-alive connections. */
export class RawClient {
  private readonly agent: Agent;

  constructor(
    private readonly baseUrl: string,
    concurrency: number,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  }

  async send(hostile: HostileRequest, retried = false): Promise<Answer> {
    const url = new URL(this.baseUrl);
    return new Promise<Answer>((resolve, reject) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          method: hostile.method,
          path: hostile.path,
          headers: {
            ...hostile.headers,
            ...(hostile.body ? { 'content-length': String(hostile.body.length) } : {}),
          },
          agent: this.agent,
          timeout: 30_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size <= MAX_ANSWER_BYTES) chunks.push(chunk);
          });
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              text: Buffer.concat(chunks).toString('utf8'),
            }),
          );
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error('no answer within 30 s')));
      req.on('error', (error: NodeJS.ErrnoException) => {
        // A kept-alive connection the server closed as it was reused: the request never reached it.
        if (!retried && req.reusedSocket && error.code === 'ECONNRESET')
          this.send(hostile, true).then(resolve, reject);
        else reject(error);
      });
      req.end(hostile.body);
    });
  }

  /** Sends every request, `concurrency` at a time, and answers them in order. */
  async sendAll(requests: HostileRequest[], concurrency: number): Promise<Array<Answer | Error>> {
    const answers: Array<Answer | Error> = new Array(requests.length);
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        const index = next++;
        answers[index] = await this.send(requests[index]).catch((error: unknown) =>
          error instanceof Error ? error : new Error(String(error)),
        );
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return answers;
  }

  close(): void {
    this.agent.destroy();
  }
}
