import { PRODUCTION_ENV } from '../../support/production-env';
import { ConfigError, loadConfig } from '@tlo/config';

const production = (env: Record<string, string> = {}) => loadConfig({ ...PRODUCTION_ENV, ...env });

describe('sign-in and token configuration', () => {
  it("defaults: Google's return origins only, 20 posts a minute per address, 5 attempts per account in 15 min", () => {
    const config = production();
    expect(config.signIn).toEqual({
      returnOrigins: ['https://pay.google.com', 'https://payments.google.com'],
      loopbackReturns: false,
      address: { attempts: 20, windowSeconds: 60 },
      account: { attempts: 5, windowSeconds: 900, lockoutSeconds: 900 },
    });
    expect(config.auth.maxTokenLifetimeSeconds).toBe(86400);
    expect(config.trustProxy).toBe(false);
  });

  it('takes return origins, limits and the token lifetime from the environment', () => {
    const config = production({
      STANDARD_PAYMENTS_RETURN_ORIGINS: 'https://pay.google.com, https://Example.test:8443',
      SIGN_IN_ACCOUNT_ATTEMPTS: '3',
      SIGN_IN_ACCOUNT_LOCKOUT_SECONDS: '3600',
      JWT_MAX_LIFETIME_SECONDS: '3600',
      TRUST_PROXY: '1',
    });
    expect(config.signIn.returnOrigins).toEqual(['https://pay.google.com', 'https://example.test:8443']);
    expect(config.signIn.account).toEqual({ attempts: 3, windowSeconds: 900, lockoutSeconds: 3600 });
    expect(config.auth.maxTokenLifetimeSeconds).toBe(3600);
    expect(config.trustProxy).toBe(1);
    expect(production({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toBe('loopback, 10.0.0.0/8');
  });

  it('refuses a return origin with a path, a non-URL, plain http in production, and trusting every proxy', () => {
    for (const value of ['https://pay.google.com/payments', 'pay.google.com', 'http://pay.google.com']) {
      expect(() => production({ STANDARD_PAYMENTS_RETURN_ORIGINS: value })).toThrow(ConfigError);
    }
    expect(() => production({ TRUST_PROXY: 'true' })).toThrow(ConfigError);
    expect(() => production({ SIGN_IN_ADDRESS_ATTEMPTS: '0' })).toThrow(ConfigError);
  });
});
