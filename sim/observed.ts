/**
 * A Transport that records what its node sends: each datagram into the trace's digest, and the
 * byte and rate bounds checked as it goes (a datagram over the limit, a second with more sends
 * than any node should make), so a flood is caught and stopped rather than run for ever.
 */
import type { Endpoint, Transport, TransportEvents } from '../src/node/index.ts';
import { BOUNDS } from './config.ts';
import type { Trace } from './trace.ts';

/** Sends per node per virtual second, and whether the run has been cut short by a flood. */
export class SendMeter {
  readonly #second = new Map<string, { second: number; count: number; reported: boolean }>();
  /** Datagrams and bytes sent by servers (`s…`) and by user nodes, over the whole run. */
  readonly totals = { server: { datagrams: 0, bytes: 0 }, user: { datagrams: 0, bytes: 0 } };
  runaway = false;

  count(trace: Trace, node: string, bytes: number): void {
    const total = node.startsWith('s') ? this.totals.server : this.totals.user;
    total.datagrams++;
    total.bytes += bytes;
    const second = Math.floor(trace.time / 1000);
    let entry = this.#second.get(node);
    if (!entry || entry.second !== second) {
      entry = { second, count: 0, reported: false };
      this.#second.set(node, entry);
    }
    entry.count++;
    if (entry.count > BOUNDS.sentPerSecond && !entry.reported) {
      entry.reported = true;
      trace.record('overrate', node, { sent: entry.count });
      this.runaway = true;
    }
  }
}

export function observed(inner: Transport, node: string, trace: Trace, meter: SendMeter): Transport {
  const transport: Transport = {
    open: () => inner.open(),
    get address() {
      return inner.address;
    },
    join: (channel) => inner.join(channel),
    leave: (channel) => inner.leave(channel),
    get channels() {
      return inner.channels;
    },
    send(data: Uint8Array, to: Endpoint) {
      if (meter.runaway) return; // the run is being stopped: a flood must not keep it busy
      trace.datagram(node, `${to.ip}:${to.port}`, data);
      if (data.length > BOUNDS.datagramBytes) trace.record('oversize', node, { bytes: data.length });
      meter.count(trace, node, data.length);
      inner.send(data, to);
    },
    on<E extends keyof TransportEvents>(event: E, listener: (...args: TransportEvents[E]) => void) {
      inner.on(event, listener);
      return transport;
    },
    off<E extends keyof TransportEvents>(event: E, listener: (...args: TransportEvents[E]) => void) {
      inner.off(event, listener);
      return transport;
    },
    close: () => inner.close(),
    clock: inner.clock,
  };
  return transport;
}
