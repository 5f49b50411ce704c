import { isAllowedReturnUrl } from '../../../apps/api/src/tokenized-fop/return-origins';

const GOOGLE = ['https://pay.google.com', 'https://payments.google.com'];
const production = { returnOrigins: GOOGLE, loopbackReturns: false };
const development = { returnOrigins: GOOGLE, loopbackReturns: true };
const allowed = (url: string, policy = production) => isAllowedReturnUrl(new URL(url), policy);

describe('redirect sign-in return origins', () => {
  it("allows Google's configured origins, any path on them", () => {
    expect(allowed('https://pay.google.com/payments/return?flow=associate')).toBe(true);
    expect(allowed('https://payments.google.com/')).toBe(true);
  });

  it('refuses look-alikes, other schemes and ports, and URLs carrying credentials', () => {
    for (const url of [
      'https://evil.example/return',
      'https://pay.google.com.evil.example/',
      'https://pay.google.com@evil.example/',
      'https://user:pw@pay.google.com/',
      'http://pay.google.com/',
      'https://pay.google.com:8443/',
      'https://google.com/',
      'javascript:alert(1)',
    ]) {
      expect({ url, allowed: allowed(url, development) }).toEqual({ url, allowed: false });
    }
  });

  it('allows loopback only in development', () => {
    for (const url of [
      'http://127.0.0.1:4000/r',
      'http://localhost:4000/r',
      'http://[::1]:4000/r',
      'http://127.0.0.2/',
    ]) {
      expect({ url, development: allowed(url, development), production: allowed(url, production) }).toEqual({
        url,
        development: true,
        production: false,
      });
    }
    expect(allowed('http://10.0.0.1/', development)).toBe(false);
  });
});
