import { type OutboundPolicy, addressRefusal, checkOutboundUrl } from '@tlo/outbound';

const PRODUCTION: OutboundPolicy = { httpsOnly: true, allowLoopback: false };
const DEVELOPMENT: OutboundPolicy = { httpsOnly: false, allowLoopback: true };
const DEVELOPMENT_NO_LOOPBACK: OutboundPolicy = { httpsOnly: false, allowLoopback: false };

const problemOf = (url: string, policy: OutboundPolicy) => {
  const verdict = checkOutboundUrl(url, policy);
  return verdict.ok ? null : verdict.problem;
};

describe('outbound URL policy', () => {
  it('accepts public https receivers by name or by public address', () => {
    for (const url of [
      'https://issuer.example/otp',
      'https://hooks.shop.example:8443/ipn?token=abc',
      'https://93.184.216.34/events',
      'https://[2606:4700:4700::1111]/events',
    ]) {
      expect({ url, problem: problemOf(url, PRODUCTION) }).toEqual({ url, problem: null });
    }
  });

  it('wants https in production, http(s) only in development, and no other scheme anywhere', () => {
    expect(problemOf('http://issuer.example/otp', PRODUCTION)).toBe('must be an https URL');
    expect(problemOf('http://issuer.example/otp', DEVELOPMENT)).toBeNull();
    for (const url of [
      'ftp://issuer.example/',
      'file:///etc/passwd',
      'gopher://issuer.example/',
      'data:,x',
    ]) {
      expect({ url, problem: problemOf(url, DEVELOPMENT) }).toEqual({
        url,
        problem: 'must be an http(s) URL',
      });
    }
    expect(problemOf('not a url', DEVELOPMENT)).toBe('must be an http(s) URL');
    expect(problemOf(`https://issuer.example/${'a'.repeat(2100)}`, PRODUCTION)).toMatch(/at most 2048/);
  });

  it.each([
    ['loopback', 'https://127.0.0.1/', /loopback address \(127\.0\.0\.1\)/],
    ['loopback, elsewhere in 127/8', 'https://127.0.1.1/', /loopback/],
    ['private 10/8', 'https://10.0.0.1/', /private address \(10\.0\.0\.1\)/],
    ['private 172.16/12', 'https://172.16.5.4/', /private address/],
    ['private 192.168/16', 'https://192.168.1.10/', /private address/],
    [
      'metadata',
      'https://169.254.169.254/latest/meta-data/',
      /cloud metadata address \(169\.254\.169\.254\)/,
    ],
    ['link-local', 'https://169.254.10.1/', /link-local address/],
    ['CGNAT', 'https://100.64.0.1/', /shared \(CGNAT\) address/],
    ['unspecified', 'https://0.0.0.0/', /unspecified address/],
    ['unspecified, short form', 'https://0/', /unspecified address/],
    ['broadcast', 'https://255.255.255.255/', /broadcast address/],
    ['multicast', 'https://224.0.0.1/', /multicast address/],
    ['documentation', 'https://192.0.2.1/', /reserved address/],
    ['IPv6 loopback', 'https://[::1]/', /loopback address \(::1\)/],
    ['IPv6 unspecified', 'https://[::]/', /unspecified address/],
    ['IPv6 unique local', 'https://[fc00::1]/', /unique local/],
    ['IPv6 metadata (AWS)', 'https://[fd00:ec2::254]/', /cloud metadata address \(fd00:ec2::254\)/],
    ['IPv6 link-local', 'https://[fe80::1]/', /link-local address/],
    ['IPv6 multicast', 'https://[ff02::1]/', /multicast address/],
    ['IPv4-mapped loopback', 'https://[::ffff:127.0.0.1]/', /IPv4-mapped address/],
    ['IPv4-mapped metadata', 'https://[::ffff:169.254.169.254]/', /IPv4-mapped address/],
    ['IPv4-mapped, hex form', 'https://[::ffff:7f00:1]/', /IPv4-mapped address/],
    ['NAT64 of metadata', 'https://[64:ff9b::a9fe:a9fe]/', /reserved address \(rfc6052\)/],
    ['6to4 of loopback', 'https://[2002:7f00:1::]/', /reserved address \(6to4\)/],
  ])('refuses %s: %s', (_name, url, problem) => {
    expect(problemOf(url, PRODUCTION)).toEqual(expect.stringMatching(problem));
    expect(problemOf(url.replace('https:', 'http:'), DEVELOPMENT_NO_LOOPBACK)).toEqual(
      expect.stringMatching(problem),
    );
  });

  it.each([
    ['decimal', 'http://2130706433/'],
    ['hexadecimal', 'http://0x7f.1/'],
    ['octal', 'http://0177.0.0.1/'],
    ['shortened', 'http://127.1/'],
    ['trailing dot', 'http://127.0.0.1./'],
    ['percent-encoded', 'http://%31%32%37.0.0.1/'],
  ])('sees through the %s spelling of 127.0.0.1 (%s)', (_name, url) => {
    expect(problemOf(url, DEVELOPMENT_NO_LOOPBACK)).toBe('must not point at a loopback address (127.0.0.1)');
  });

  it('sees through spellings of the metadata address', () => {
    for (const url of ['http://2852039166/', 'http://0xa9fea9fe/', 'http://0251.0376.0251.0376/']) {
      expect({ url, problem: problemOf(url, DEVELOPMENT) }).toEqual({
        url,
        problem: 'must not point at a cloud metadata address (169.254.169.254)',
      });
    }
  });

  it('refuses credentials in the URL, so userinfo cannot hide the real host', () => {
    expect(problemOf('https://good.example@127.0.0.1/', PRODUCTION)).toBe('must not carry credentials');
    expect(problemOf('https://user:pass@issuer.example/', PRODUCTION)).toBe('must not carry credentials');
    // What follows the @ is the host: the name before it is not what would be judged.
    expect(problemOf('http://good.example@127.0.0.1/', DEVELOPMENT)).toBe('must not carry credentials');
    expect(problemOf('https://127.0.0.1#@issuer.example/', PRODUCTION)).toMatch(/loopback/);
  });

  it('refuses localhost names unless loopback is allowed, as it is in development', () => {
    for (const host of ['localhost', 'LOCALHOST', 'localhost.', 'api.localhost']) {
      expect(problemOf(`https://${host}/hook`, PRODUCTION)).toMatch(/^must not point at this machine/);
      expect(problemOf(`http://${host}/hook`, DEVELOPMENT_NO_LOOPBACK)).toMatch(/this machine/);
      expect(problemOf(`http://${host}/hook`, DEVELOPMENT)).toBeNull();
    }
  });

  it('allows exactly 127.0.0.1 and ::1 when loopback is allowed, nothing else internal', () => {
    expect(problemOf('http://127.0.0.1:4000/hook', DEVELOPMENT)).toBeNull();
    expect(problemOf('http://[::1]:4000/hook', DEVELOPMENT)).toBeNull();
    for (const url of [
      'http://127.0.1.1/',
      'http://[::ffff:127.0.0.1]/',
      'http://10.0.0.1/',
      'http://169.254.169.254/',
      'http://0.0.0.0/',
    ]) {
      expect({ url, ok: checkOutboundUrl(url, DEVELOPMENT).ok }).toEqual({ url, ok: false });
    }
  });

  it('judges resolved addresses by the same rule', () => {
    expect(addressRefusal('93.184.216.34', PRODUCTION)).toBeNull();
    expect(addressRefusal('2606:4700:4700::1111', PRODUCTION)).toBeNull();
    expect(addressRefusal('127.0.0.1', PRODUCTION)).toBe('a loopback address (127.0.0.1)');
    expect(addressRefusal('127.0.0.1', DEVELOPMENT)).toBeNull();
    expect(addressRefusal('::1', DEVELOPMENT)).toBeNull();
    expect(addressRefusal('10.1.2.3', DEVELOPMENT)).toBe('a private address (10.1.2.3)');
    expect(addressRefusal('fd00:ec2::254', DEVELOPMENT)).toBe('a cloud metadata address (fd00:ec2::254)');
  });
});
