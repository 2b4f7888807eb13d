// Preloaded into the Agents Playground (node --require): keeps it on this machine.
//  - every server listens on 127.0.0.1 (the playground itself calls listen(port) with no host, i.e. on all interfaces);
//  - every outbound connection and DNS lookup to anything but loopback is refused (telemetry, CDNs), and logged to stderr.
'use strict';
const net = require('net');
const dns = require('dns');

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost|::ffff:127\.\d+\.\d+\.\d+)$/i;
const note = (what) => process.stderr.write(`[loopback-guard] refused ${what}\n`);

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === 'number' || (typeof args[0] === 'string' && /^\d+$/.test(args[0]))) {
    const port = Number(args[0]);
    const callback = args.find((a) => typeof a === 'function');
    return listen.call(this, { port, host: '127.0.0.1' }, callback);
  }
  if (args[0] && typeof args[0] === 'object' && !args[0].path && !args[0].fd && !args[0].handle) {
    args[0] = { ...args[0], host: '127.0.0.1' };
  }
  return listen.apply(this, args);
};

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const first = args[0];
  const options = Array.isArray(first) ? first[0] : first;
  if (options && typeof options === 'object' && !options.path) {
    const host = options.host || 'localhost';
    if (!LOOPBACK.test(host)) {
      note(`connect to ${host}:${options.port}`);
      process.nextTick(() => this.destroy(new Error(`loopback-guard: ${host} is not on this machine`)));
      return this;
    }
  } else if (typeof first === 'number' && typeof args[1] === 'string' && !LOOPBACK.test(args[1])) {
    note(`connect to ${args[1]}:${first}`);
    process.nextTick(() => this.destroy(new Error(`loopback-guard: ${args[1]} is not on this machine`)));
    return this;
  }
  return connect.apply(this, args);
};

const lookup = dns.lookup;
dns.lookup = function (hostname, ...rest) {
  if (!LOOPBACK.test(hostname)) {
    note(`DNS lookup of ${hostname}`);
    const callback = rest[rest.length - 1];
    const error = Object.assign(new Error(`loopback-guard: no DNS for ${hostname}`), { code: 'ENOTFOUND' });
    process.nextTick(() => callback(error));
    return {};
  }
  return lookup.call(this, hostname, ...rest);
};
