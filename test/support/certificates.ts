import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  type AppleDevelopmentChain,
  type ChainOverrides,
  type IssuedCertificate,
  TrustAnchors,
  createDevelopmentRoot,
  issueAppleDevelopmentChain,
  issueCertificate,
} from '@tlo/crypto';

/**
 * A self-signed P-256 leaf certificate and its private key, made by the openssl CLI (an independent
 * implementation), standing in for the certificate chain Apple's SDK hands the issuer app.
 */
export function makeP256Certificate(commonName = 'apple-pay-leaf'): {
  certificatePem: string;
  privateKeyPem: string;
} {
  const dir = mkdtempSync(join(tmpdir(), 'tlo-cert-'));
  try {
    const key = join(dir, 'leaf.key');
    const cert = join(dir, 'leaf.pem');
    execFileSync('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', key]);
    execFileSync('openssl', [
      'req',
      '-new',
      '-x509',
      '-key',
      key,
      '-out',
      cert,
      '-days',
      '30',
      '-subj',
      `/CN=${commonName}`,
    ]);
    return { certificatePem: readFileSync(cert, 'utf8'), privateKeyPem: readFileSync(key, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** An RSA certificate: valid PEM, wrong key type. */
export function makeRsaCertificate(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tlo-cert-'));
  try {
    const key = join(dir, 'rsa.key');
    const cert = join(dir, 'rsa.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=rsa',
      ],
      { stdio: 'ignore' },
    );
    return readFileSync(cert, 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Certificates for tests, issued by the product's one issuing module (@peculiar/x509): roots, device
 * chains shaped like Apple's, the variants a validator must refuse, and the rogue self-signed leaf.
 */

/** A root CA of the tests' own, made like the development root. */
export const makeRoot = (): Promise<IssuedCertificate> => createDevelopmentRoot();

export const anchorsOf = (...roots: IssuedCertificate[]): TrustAnchors =>
  TrustAnchors.parse(roots.map((root) => root.certificatePem).join(''), 'the test trust anchors');

/** Leaf first, then the intermediate, under `root`; `overrides` change either certificate. */
export const makeAppleChain = (
  root: IssuedCertificate,
  overrides?: ChainOverrides,
): Promise<AppleDevelopmentChain> => issueAppleDevelopmentChain(root, overrides);

/** The rogue certificate: a self-signed P-256 leaf whose maker holds the key. */
export const makeSelfSignedLeaf = (commonName = 'apple-pay-leaf'): Promise<IssuedCertificate> =>
  issueCertificate({ subject: `CN=${commonName}`, ca: false, keyUsage: ['keyAgreement'] });
