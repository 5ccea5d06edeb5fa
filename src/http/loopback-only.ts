import { BlockList } from 'node:net';
import type { RequestHandler } from 'express';
import { AppError } from './app-error.ts';

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** 127.0.0.0/8 and ::1, also written as an IPv4-mapped IPv6 address (::ffff:127.0.0.1), as dual-stack sockets report it. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  return mapped ? LOOPBACK.check(mapped, 'ipv4') : LOOPBACK.check(address, address.includes(':') ? 'ipv6' : 'ipv4');
}

/**
 * Refuses every client that is not on this machine. It reads `req.ip`, which is the socket's peer unless that
 * peer is a proxy TRUST_PROXY names (then the client that proxy reports): a proxy on this machine passing an
 * outside client is refused, and X-Forwarded-For from any other peer is ignored.
 */
export function loopbackOnly(message: string): RequestHandler {
  return (req, _res, next) => {
    next(isLoopbackAddress(req.ip) ? undefined : new AppError('loopback_only', message, 403));
  };
}
