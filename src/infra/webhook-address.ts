import { BlockList, isIP } from 'node:net';
import { lookup } from 'node:dns/promises';

/*
 * Webhooks must not become a way into the bot's own network: a receiver whose address is loopback, private,
 * link-local (cloud metadata) or otherwise not public is refused, at creation for literal addresses and before
 * every request for names (they may resolve anywhere). WEBHOOK_ALLOW_PRIVATE=1 lifts this for a private
 * network the operator trusts; development and test runs allow it too (receivers on localhost).
 */

const blocked = new BlockList();
for (const [net, bits] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 3]] as const) blocked.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['64:ff9b::', 96]] as const) blocked.addSubnet(net, bits, 'ipv6');

/** Private networks allowed: by the operator, or in development and tests. */
export const privateAllowed = (): boolean =>
  process.env.WEBHOOK_ALLOW_PRIVATE === '1' || process.env.NODE_ENV === 'development' || process.env.NODE_ENV === 'test';

/** Whether an IP address (v4, v6, or v4-mapped v6) is outside the public internet. */
export function isPrivateAddress(ip: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return isPrivateAddress(mapped[1]);
  const family = isIP(ip);
  return family === 0 || blocked.check(ip, family === 4 ? 'ipv4' : 'ipv6');
}

/** A URL's host when it is a literal IP address ("[::1]" → "::1"), else undefined. */
export function literalAddress(url: URL): string | undefined {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return isIP(host) ? host : undefined;
}

/** Resolves the URL's host; true when every address it has is public. */
export async function publicDestination(url: URL): Promise<boolean> {
  const literal = literalAddress(url);
  if (literal) return !isPrivateAddress(literal);
  try {
    const addresses = await lookup(url.hostname, { all: true, verbatim: true });
    return addresses.length > 0 && addresses.every((a) => !isPrivateAddress(a.address));
  } catch {
    return true; // the request itself will fail and say "connection failed"
  }
}
