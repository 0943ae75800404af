// Preloaded into the worker and API processes of `npm run cluster` (node --import): a server that is given a port but
// no host listens on 127.0.0.1 instead of every interface. The product listens on PORT and METRICS_PORT without a
// host (in a container that is what it should do); the cluster runs on a shared machine and keeps every port on
// loopback, with the product's code unchanged. Plain JavaScript, not TypeScript: Node hands the same --import to the
// worker's workflow thread, where no TypeScript loader runs.
import net from 'node:net';

const LOOPBACK = '127.0.0.1';
const listen = net.Server.prototype.listen;

/** listen(port[, host][, backlog][, callback]) or listen(options[, callback]), with a host where none was given. */
function withLoopback(args) {
  const [first, second] = args;
  const isPort = typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first));
  if (isPort && typeof second !== 'string') return [first, LOOPBACK, ...args.slice(1)];
  const isOptions = typeof first === 'object' && first !== null && !(first instanceof net.Server);
  if (isOptions && first.path === undefined && first.host === undefined && first.handle === undefined) {
    return [{ ...first, host: LOOPBACK }, ...args.slice(1)];
  }
  return args;
}

net.Server.prototype.listen = function (...args) {
  return listen.apply(this, withLoopback(args));
};
