// The certificate chain Apple's SDK hands the issuer app: here a self-signed P-256 leaf made by the
// openssl CLI (a machine prerequisite of the project). The payload is sealed to the leaf's key.
const { execFileSync } = require('node:child_process');
const { mkdtempSync, readFileSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');

function appleCertificateChain() {
  const dir = mkdtempSync(path.join(tmpdir(), 'tlo-demo-cert-'));
  try {
    const key = path.join(dir, 'leaf.key');
    const certificate = path.join(dir, 'leaf.pem');
    const quiet = { stdio: ['ignore', 'ignore', 'pipe'] };
    execFileSync('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', key], quiet);
    execFileSync(
      'openssl',
      [
        'req',
        '-new',
        '-x509',
        '-key',
        key,
        '-out',
        certificate,
        '-days',
        '1',
        '-subj',
        '/CN=demo-apple-pay-leaf',
      ],
      quiet,
    );
    return readFileSync(certificate, 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

module.exports = { appleCertificateChain };
