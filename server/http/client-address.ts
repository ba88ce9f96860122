// Who the client is, as an address: the socket's peer, or, behind proxies the config trusts
// (`trustProxy`), the address they name in X-Forwarded-For. One rule for Fastify (request.ip,
// rate limits) and for WebSocket upgrades (connections per address).
import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';

export type ProxyTrust = (address: string, hop: number) => boolean;

/** Config `trustProxy` (checked there): none, the nearest N hops, or these addresses/CIDRs. */
export type TrustProxySetting = false | number | string[];

/** `::ffff:10.0.0.1` (an IPv4 client on a dual-stack socket) is 10.0.0.1. */
function plain(address: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return m ? m[1] : address;
}

/** A list entry: an address or address/prefix. Exported for the config check. */
export function parseProxyEntry(entry: string): { address: string; prefix: number | null; family: 4 | 6 } | null {
  const [address, bits, ...rest] = entry.trim().split('/');
  const family = isIP(address);
  if (!family || rest.length) return null;
  if (bits === undefined) return { address, prefix: null, family: family as 4 | 6 };
  const prefix = Number(bits);
  if (!/^\d+$/.test(bits) || prefix > (family === 4 ? 32 : 128)) return null;
  return { address, prefix, family: family as 4 | 6 };
}

/** Fastify's `trustProxy` as a function (the same function decides for WebSocket upgrades). */
export function proxyTrust(setting: TrustProxySetting): ProxyTrust {
  if (setting === false) return () => false;
  if (typeof setting === 'number') return (_a, hop) => hop < setting;
  const list = new BlockList();
  for (const entry of setting) {
    const e = parseProxyEntry(entry);
    if (!e) throw new Error(`trustProxy: "${entry}" is not an address or CIDR`);
    const type = e.family === 4 ? 'ipv4' : 'ipv6';
    if (e.prefix === null) list.addAddress(e.address, type);
    else list.addSubnet(e.address, e.prefix, type);
  }
  return (address) => {
    const a = plain(address);
    const family = isIP(a);
    return family !== 0 && list.check(a, family === 4 ? 'ipv4' : 'ipv6');
  };
}

/** The client's address: walk X-Forwarded-For from the nearest hop while the hop is trusted. */
export function clientAddress(req: IncomingMessage, trust: ProxyTrust): string {
  const chain = [plain(req.socket.remoteAddress ?? '')];
  const xff = req.headers['x-forwarded-for'];
  if (xff) chain.push(...String(xff).split(',').map((s) => plain(s.trim())).filter(Boolean).reverse());
  let i = 0;
  while (i < chain.length - 1 && trust(chain[i], i)) i++;
  return chain[i];
}

/** The unit a limit counts: an IPv4 address, or an IPv6 /64 (one customer's network). */
export function addressKey(address: string): string {
  if (isIP(address) !== 6) return address.toLowerCase();
  const [head, tail = ''] = address.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = address.includes('::') && tail ? tail.split(':') : [];
  const groups = address.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}
