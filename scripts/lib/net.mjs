// Deciding whether a server "answers" without any client library (this runs before
// `npm install`): open a TCP connection, send the smallest request the protocol has, and
// look at the first byte of the reply.

import { connect } from 'node:net';

/**
 * Connects to host:port, writes `hello`, and resolves with:
 *   'closed'  nothing listens (or it is unreachable within the timeout)
 *   'answers' the reply passes `looksRight`
 *   'other'   something listens but speaks another protocol
 */
function probe(host, port, hello, looksRight, timeoutMs = 1500) {
  return new Promise((resolve) => {
    let connected = false;
    const socket = connect({ host, port });
    const done = (result) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done(connected ? 'other' : 'closed'));
    socket.once('connect', () => {
      connected = true;
      if (hello) socket.write(hello);
      else done('answers');
    });
    socket.once('data', (chunk) => done(looksRight(chunk) ? 'answers' : 'other'));
    socket.once('error', () => done(connected ? 'other' : 'closed'));
    socket.once('end', () => done(connected ? 'other' : 'closed'));
  });
}

// SSLRequest: length 8, code 80877103. Every Postgres since 7.x answers with one byte,
// 'S' or 'N', before any authentication, so this works whatever the credentials.
const PG_SSL_REQUEST = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);

export function probePostgres(host, port) {
  return probe(host, port, PG_SSL_REQUEST, (b) => b[0] === 0x53 /* S */ || b[0] === 0x4e /* N */);
}

/**
 * Redis answers an inline PING with "+PONG", or with an error ("-NOAUTH …") when it wants a
 * password; both mean a Redis server is there. With TLS (rediss:) we only check the port.
 */
export function probeRedis(host, port, { tls = false } = {}) {
  if (tls) return probe(host, port, null, () => true);
  return probe(host, port, 'PING\r\n', (b) => b[0] === 0x2b /* + */ || b[0] === 0x2d /* - */);
}

/** Hosts for which "nothing answers" means we may start a server ourselves. */
export function isLocalHost(host) {
  const h = host.replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || h.startsWith('127.');
}

/** URL.hostname keeps IPv6 brackets; sockets and configs want them off. */
export const bareHost = (host) => host.replace(/^\[|\]$/g, '');
