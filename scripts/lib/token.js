// A development bearer token signed with the local (or environment's) JWT secret, from the built API.
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, build, ensureDependencies } = require('./processes');

function developmentToken(scopes, subject = 'cli') {
  ensureDependencies();
  if (!fs.existsSync(path.join(ROOT, 'dist/apps/api/src/auth/jwt.js'))) build({ quiet: true });
  const { loadConfig } = require(path.join(ROOT, 'dist/libs/config/src'));
  const { issueToken } = require(path.join(ROOT, 'dist/apps/api/src/auth/jwt'));
  const config = loadConfig(process.env);
  return issueToken(config.auth.jwtSecret, config.auth.issuer, subject, scopes);
}

module.exports = { developmentToken };
