import { ConfigError, loadConfig } from '@tlo/config';
import { checkOutboundUrl } from '@tlo/outbound';
import { PRODUCTION_ENV } from '../../support/production-env';

const production = (env: NodeJS.ProcessEnv = {}) => loadConfig({ ...PRODUCTION_ENV, ...env });
const development = (env: NodeJS.ProcessEnv = {}) =>
  loadConfig({ ...PRODUCTION_ENV, NODE_ENV: 'development', ...env });

describe('outbound policy configuration', () => {
  it('production: https only, no loopback, and OUTBOUND_ALLOW_LOOPBACK=true refused', () => {
    expect(production().outbound).toEqual({ httpsOnly: true, allowLoopback: false });
    expect(production({ OUTBOUND_ALLOW_LOOPBACK: 'false' }).outbound.allowLoopback).toBe(false);
    expect(() => production({ OUTBOUND_ALLOW_LOOPBACK: 'true' })).toThrow(ConfigError);
    expect(() => production({ OUTBOUND_ALLOW_LOOPBACK: 'true' })).toThrow(/development only/);
  });

  it('production refuses loopback receivers however they are written', () => {
    const policy = production().outbound;
    for (const url of [
      'https://localhost/hook',
      'https://127.0.0.1/hook',
      'https://[::1]/hook',
      'https://2130706433/hook',
      'https://0x7f.1/hook',
      'https://good.example@127.0.0.1/hook',
      'http://issuer.example/hook',
    ]) {
      expect({ url, ok: checkOutboundUrl(url, policy).ok }).toEqual({ url, ok: false });
    }
    expect(checkOutboundUrl('https://issuer.example/hook', policy).ok).toBe(true);
  });

  it('development: http allowed, loopback allowed unless OUTBOUND_ALLOW_LOOPBACK=false', () => {
    expect(development().outbound).toEqual({ httpsOnly: false, allowLoopback: true });
    expect(development({ OUTBOUND_ALLOW_LOOPBACK: 'false' }).outbound).toEqual({
      httpsOnly: false,
      allowLoopback: false,
    });
    expect(() => development({ OUTBOUND_ALLOW_LOOPBACK: 'yes' })).toThrow(/OUTBOUND_ALLOW_LOOPBACK must be/);
  });

  it('refuses at startup a PARTNER_WEBHOOK_URL that would never be delivered to', () => {
    expect(production({ PARTNER_WEBHOOK_URL: 'https://partner.example/events' }).partnerWebhook.url).toBe(
      'https://partner.example/events',
    );
    expect(development({ PARTNER_WEBHOOK_URL: 'http://127.0.0.1:4000/events' }).partnerWebhook.url).toBe(
      'http://127.0.0.1:4000/events',
    );
    expect(production({ PARTNER_WEBHOOK_URL: '' }).partnerWebhook.url).toBeNull();
    for (const [load, url, problem] of [
      [production, 'http://partner.example/events', /must be an https URL/],
      [production, 'https://localhost:4000/events', /this machine/],
      [production, 'https://169.254.169.254/latest', /cloud metadata/],
      [development, 'http://10.0.0.1/events', /private address/],
      [development, 'not a url', /must be an http\(s\) URL/],
    ] as const) {
      expect(() => load({ PARTNER_WEBHOOK_URL: url })).toThrow(ConfigError);
      expect(() => load({ PARTNER_WEBHOOK_URL: url })).toThrow(
        new RegExp(`^PARTNER_WEBHOOK_URL .*${problem.source}`),
      );
    }
  });
});
