// Which addresses a webhook delivery may never reach (issue 18): the SSRF guard's address rules.
import { BlockList, isIP } from 'node:net'

/** The setting that lets webhooks reach loopback and private addresses (on-premise integrations). */
export const ALLOW_PRIVATE_TARGETS_SETTING = 'webhooks.allowPrivateTargets'

// Cloud metadata endpoints answer credentials to whoever asks from inside: refused even when private
// targets are allowed.
const METADATA = new BlockList()
METADATA.addAddress('169.254.169.254', 'ipv4')
METADATA.addAddress('fd00:ec2::254', 'ipv6')

const PRIVATE = new BlockList()
for (const [net, bits] of [
  ['0.0.0.0', 8], // "this network", 0.0.0.0 reaches the local host
  ['10.0.0.0', 8], // RFC 1918
  ['100.64.0.0', 10], // CGNAT (RFC 6598)
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local
  ['172.16.0.0', 12], // RFC 1918
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.168.0.0', 16], // RFC 1918
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and 255.255.255.255 broadcast
] as const)
  PRIVATE.addSubnet(net, bits, 'ipv4')
for (const [net, bits] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['fc00::', 7], // unique local (ULA)
  ['fe80::', 10], // link-local
  ['fec0::', 10], // old site-local
  ['ff00::', 8], // multicast
  ['64:ff9b::', 96], // NAT64: reaches IPv4 addresses we could not check
  ['2002::', 16], // 6to4: likewise
] as const)
  PRIVATE.addSubnet(net, bits, 'ipv6')

export type TargetVerdict = 'ok' | 'private' | 'metadata'

/** Whether a delivery may connect to this IP address. */
export function judgeAddress(address: string): TargetVerdict {
  let ip = address
  // An IPv4-mapped IPv6 address reaches the IPv4 host: judge that.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)
  if (mapped) ip = mapped[1]!
  const family = isIP(ip)
  if (family === 0) return 'private'
  const type = family === 4 ? 'ipv4' : 'ipv6'
  if (METADATA.check(ip, type)) return 'metadata'
  if (PRIVATE.check(ip, type)) return 'private'
  return 'ok'
}
