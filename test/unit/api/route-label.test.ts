import {
  UNMATCHED,
  routeLabel,
  routeMatcher,
  templatePattern,
} from '../../../apps/api/src/metrics/route-label';

describe('route labels of the API metrics', () => {
  const templates = [
    '/cards',
    '/cards/:proxy',
    '/cards/:proxy/wallet-tokens',
    '/cards-pci/:proxy/wallet/:wallet/brand/:brand',
    '/tokenization-requests/:requestId/otp',
    '/tokenization-requests/:requestId/otp/verify',
    '/api-payment/V4/Charge/CreatePayment',
    '/codec/*path',
    '/docs{/}',
  ];
  const match = routeMatcher(templates);

  it('keeps the template Express matched', () => {
    expect(routeLabel('/tokenization-requests/:requestId/otp', '/tokenization-requests/abc/otp', match)).toBe(
      '/tokenization-requests/:requestId/otp',
    );
  });

  it('finds the template of a request refused before routing, never its concrete path', () => {
    const label = (path: string) => routeLabel(undefined, path, match);
    expect(label('/tokenization-requests/5b0f3c1e-0000-4000-8000-000000000000/otp')).toBe(
      '/tokenization-requests/:requestId/otp',
    );
    expect(label('/tokenization-requests/x/otp/verify/')).toBe(
      '/tokenization-requests/:requestId/otp/verify',
    );
    expect(label('/cards-pci/p1/wallet/GooglePay/brand/Mastercard')).toBe(
      '/cards-pci/:proxy/wallet/:wallet/brand/:brand',
    );
    expect(label('/cards')).toBe('/cards');
    expect(label('/CARDS/p1')).toBe('/cards/:proxy'); // Express matches case-insensitively
    expect(label('/api-payment/V4/Charge/CreatePayment')).toBe('/api-payment/V4/Charge/CreatePayment');
    expect(label('/codec/decode')).toBe('/codec/*path');
    expect(label('/docs')).toBe('/docs{/}');
    expect(label('/docs/')).toBe('/docs{/}');
  });

  it('labels every other path `unmatched`, whatever ids it holds', () => {
    const label = (path: string) => routeLabel(undefined, path, match);
    for (const path of [
      '/',
      '/no-such-route/5b0f3c1e-0000-4000-8000-000000000000',
      '/cards/p1/nothing',
      '/tokenization-requests/x/y/otp',
      '/api-payment/V4/Charge/CreatePaymentX',
      '/codec',
      '/cardsX',
    ]) {
      expect({ path, label: label(path) }).toEqual({ path, label: UNMATCHED });
    }
    expect(routeLabel('', '/anything', () => undefined)).toBe(UNMATCHED);
    expect(routeLabel(/regex/, '/anything', () => undefined)).toBe(UNMATCHED);
  });

  it('treats every other character of a template literally', () => {
    expect(templatePattern('/a.b/:id').test('/a.b/1')).toBe(true);
    expect(templatePattern('/a.b/:id').test('/aXb/1')).toBe(false);
    expect(templatePattern('/a+b').test('/aab')).toBe(false);
  });
});
