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
