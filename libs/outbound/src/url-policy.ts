import ipaddr from 'ipaddr.js';

/**
 * Where the product may send a webhook. The same rule is applied twice: to the URL when it is
 * configured (scheme, credentials, literal addresses, loopback names) and, when sending, to the
 * address the connection is actually made to, after DNS resolution (so a name that resolves, or
 * later re-resolves, to an internal address is refused too).
 *
 * An address is deliverable only if ipaddr.js classifies it as public `unicast`: loopback, private
 * (RFC 1918, unique local fc00::/7), link-local (169.254.0.0/16 with the cloud metadata address
 * 169.254.169.254, fe80::/10), shared CGNAT space, unspecified, broadcast, multicast, reserved and
 * documentation ranges, IPv4-mapped and translated IPv6 forms (::ffff:0:0/96, 64:ff9b::/96, 6to4,
 * Teredo) are all refused. This is request-filtering-agent's rule, which checks the connected address.
 */
export interface OutboundPolicy {
  /** Plain `http` is refused: production. */
  httpsOnly: boolean;
  /** Receivers on this machine (`localhost`, 127.0.0.1, ::1) are allowed: development only. */
  allowLoopback: boolean;
}

/** The loopback addresses a development policy allows, as DNS answers them for `localhost`. */
export const LOOPBACK_ADDRESSES: readonly string[] = ['127.0.0.1', '::1'];

/** The addresses of cloud instance metadata services (AWS, GCP, Azure; AWS's IPv6 one). */
const METADATA_ADDRESSES = new Set(['169.254.169.254', 'fd00:ec2::254']);

const MAX_URL_LENGTH = 2048;

const RANGE_NAMES: Record<string, string> = {
  loopback: 'a loopback address',
  private: 'a private address',
  uniqueLocal: 'a private (unique local) address',
  linkLocal: 'a link-local address',
  carrierGradeNat: 'a shared (CGNAT) address',
  unspecified: 'the unspecified address',
  broadcast: 'the broadcast address',
  multicast: 'a multicast address',
  ipv4Mapped: 'an IPv4-mapped address',
};

/** Why an address is not deliverable, or null when it is. */
export function addressRefusal(address: string, policy: OutboundPolicy): string | null {
  if (!ipaddr.isValid(address)) return `${address} is not an IP address`;
  const parsed = ipaddr.parse(address);
  const canonical = parsed.toString();
  if (METADATA_ADDRESSES.has(canonical)) return `a cloud metadata address (${canonical})`;
  const range = parsed.range();
  if (range === 'unicast') return null;
  if (policy.allowLoopback && LOOPBACK_ADDRESSES.includes(canonical)) return null;
  return `${RANGE_NAMES[range] ?? `a reserved address (${range})`} (${canonical})`;
}

/** `localhost` and its subdomains always mean this machine (RFC 6761). */
const isLoopbackName = (host: string) => host === 'localhost' || host.endsWith('.localhost');

export type UrlVerdict = { ok: true; url: URL } | { ok: false; problem: string };

/**
 * Judges a receiver URL before anything is sent: `problem` completes a sentence that starts with
 * the field's name ("webhookUrl must ..."). A host name that is not a literal address passes here
 * and is judged by its resolved address when sending.
 */
export function checkOutboundUrl(raw: string, policy: OutboundPolicy): UrlVerdict {
  const schemes = policy.httpsOnly ? ['https:'] : ['https:', 'http:'];
  const expected = policy.httpsOnly ? 'an https URL' : 'an http(s) URL';
  if (typeof raw !== 'string' || raw.length > MAX_URL_LENGTH)
    return { ok: false, problem: `must be ${expected} of at most ${MAX_URL_LENGTH} characters` };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, problem: `must be ${expected}` };
  }
  if (!schemes.includes(url.protocol)) return { ok: false, problem: `must be ${expected}` };
  if (url.username || url.password) return { ok: false, problem: 'must not carry credentials' };
  // The WHATWG parser has already turned 2130706433, 0x7f.1 or 0177.0.0.1 into 127.0.0.1.
  const host = url.hostname.replace(/\.$/, '');
  const literal = host.startsWith('[') ? host.slice(1, -1) : host;
  if (ipaddr.IPv4.isValidFourPartDecimal(literal) || ipaddr.IPv6.isValid(literal)) {
    const refusal = addressRefusal(literal, policy);
    return refusal ? { ok: false, problem: `must not point at ${refusal}` } : { ok: true, url };
  }
  if (isLoopbackName(host) && !policy.allowLoopback)
    return { ok: false, problem: `must not point at this machine (${host})` };
  return { ok: true, url };
}
