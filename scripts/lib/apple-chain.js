// A fresh ApplePay device chain under the development root of the data dir (TLO_DATA_DIR, else .data/),
// from the built product code: the one place the command and the demo get their chains from.
const path = require('node:path');
const { ROOT, ensureBuilt, ensureDependencies } = require('./processes');

/** Raised when the development root can be neither read nor made: the caller says so and exits 1. */
class DevelopmentRootError extends Error {}

/** `{ leafPrivateKeyPem, chainPem, dataDir }` for a new P-256 device key. */
async function developmentAppleChain(env = process.env) {
  ensureDependencies();
  ensureBuilt();
  const { dataDirOf, ensureDevAppleRoot, devAppleRootPaths } = require(
    path.join(ROOT, 'dist/libs/config/src'),
  );
  const { issueAppleDevelopmentChain } = require(path.join(ROOT, 'dist/libs/crypto/src'));
  const dataDir = dataDirOf(env);
  let root;
  try {
    root = await ensureDevAppleRoot(dataDir);
  } catch (error) {
    const { certificate, privateKey } = devAppleRootPaths(dataDir);
    throw new DevelopmentRootError(
      `cannot find or create the development Apple root (${certificate}, ${privateKey}): ${error.message}`,
    );
  }
  return { ...(await issueAppleDevelopmentChain(root)), dataDir };
}

module.exports = { DevelopmentRootError, developmentAppleChain };
