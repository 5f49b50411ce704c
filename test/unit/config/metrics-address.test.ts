import { PRODUCTION_ENV } from '../../support/production-env';
import { ConfigError, loadConfig } from '@tlo/config';

describe('WORKER_METRICS_ADDRESS', () => {
  const worker = (address?: string) =>
    loadConfig({
      ...PRODUCTION_ENV,
      ...(address === undefined ? {} : { WORKER_METRICS_ADDRESS: address }),
    }).worker;

  it('defaults to loopback port 9464', () => {
    expect(worker()).toMatchObject({
      metricsAddress: '127.0.0.1:9464',
      metricsUrl: 'http://127.0.0.1:9464/metrics',
    });
    expect(worker('')).toEqual(worker());
  });

  it('takes an IPv4 or bracketed IPv6 address; a wildcard bind is shown as its loopback URL', () => {
    expect(worker('0.0.0.0:9464')).toMatchObject({
      metricsAddress: '0.0.0.0:9464',
      metricsUrl: 'http://127.0.0.1:9464/metrics',
    });
    expect(worker('10.1.2.3:9100').metricsUrl).toBe('http://10.1.2.3:9100/metrics');
    expect(worker('[::1]:9464').metricsUrl).toBe('http://[::1]:9464/metrics');
    expect(worker('[::]:9464').metricsUrl).toBe('http://[::1]:9464/metrics');
  });

  it('refuses what the Temporal runtime could not bind', () => {
    for (const address of [
      'localhost:9464',
      '9464',
      '127.0.0.1',
      '127.0.0.1:0',
      '127.0.0.1:70000',
      '::1:9464',
      '[127.0.0.1]:9464',
      '[::1:9464',
      'http://127.0.0.1:9464',
    ]) {
      expect(() => worker(address)).toThrow(ConfigError);
    }
    expect(() => worker('localhost:9464')).toThrow(/WORKER_METRICS_ADDRESS must be ip:port/);
  });
});
