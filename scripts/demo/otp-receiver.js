// The issuer's end of a WEBHOOK card program, run by the demo: the worker POSTs each one-time code
// here, signed with the program's secret (X-Signature = hex HMAC-SHA256 over `<X-Timestamp>.<body>`).
// It is how the demo reads a code over HTTP alone; the code is kept in memory and never printed.
const { createServer } = require('node:http');
const path = require('node:path');
const { ROOT } = require('../lib/processes');

/** Listens on 127.0.0.1, where the local worker reaches it; `url` is the program's webhookUrl. */
async function startOtpReceiver(secret) {
  // The product's own check, from the build that the development tokens already required.
  const { verifyWebhookSignature } = require(path.join(ROOT, 'dist', 'libs', 'crypto', 'src'));
  const deliveries = [];
  const server = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk) => (raw += chunk));
    request.on('end', () => {
      const signed = verifyWebhookSignature(
        secret,
        String(request.headers['x-timestamp']),
        raw,
        String(request.headers['x-signature']),
      );
      let body = null;
      try {
        body = JSON.parse(raw);
      } catch {
        /* refused below */
      }
      if (!signed || !body) return response.writeHead(401).end();
      deliveries.push(body);
      response.writeHead(200).end();
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    url: `http://127.0.0.1:${server.address().port}/otp`,
    /** The latest code delivered for the request (a resend voids the previous one). */
    async codeFor(requestId, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const delivery = deliveries.filter((d) => d.requestId === requestId).at(-1);
        if (delivery) return { code: delivery.code, channel: delivery.channel };
        if (Date.now() > deadline)
          throw new Error(`no signed code reached the demo's webhook for ${requestId}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
}

module.exports = { startOtpReceiver };
