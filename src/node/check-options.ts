/**
 * The checks behind `createServer`'s and `createUserNode`'s options (server/options.ts,
 * user/options.ts): a wrong option fails at once, with a
 * message that names the function, the option and what it got, instead of surfacing later as a
 * socket error or a timer that never fires. A TypeError (code ERR_INVALID_ARG_TYPE) for a wrong
 * type, a RangeError (code ERR_OUT_OF_RANGE) for a value out of range, as Node's own APIs do.
 */
import { isIPv4 } from 'node:net';
import { isAlias, isMulticast } from '../values.ts';
import type { Endpoint } from './transport.ts';

export class OptionChecker {
  readonly #where: string;

  /** `where` names the function whose options these are, e.g. `createServer`. */
  constructor(where: string) {
    this.#where = where;
  }

  fail(kind: 'type' | 'range', name: string, expected: string, got: unknown): never {
    const shown = typeof got === 'string' ? JSON.stringify(got) : String(got);
    const message = `${this.#where}: ${name} must be ${expected}, got ${shown}`;
    // The codes Node's own argument checks use, so callers can switch on them.
    throw kind === 'type'
      ? Object.assign(new TypeError(message), { code: 'ERR_INVALID_ARG_TYPE' })
      : Object.assign(new RangeError(message), { code: 'ERR_OUT_OF_RANGE' });
  }

  object(name: string, value: unknown): void {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      this.fail('type', name, 'an object', value);
  }

  /** A finite number > 0. */
  positive(name: string, value: unknown): void {
    if (value === undefined) return;
    if (typeof value !== 'number') this.fail('type', name, 'a number', value);
    if (!Number.isFinite(value) || value <= 0) this.fail('range', name, 'a number > 0', value);
  }

  /** Section IV's Alias: letters and digits. */
  alias(name: string, value: unknown): void {
    if (typeof value !== 'string') this.fail('type', name, 'a string', value);
    if (!isAlias(value)) this.fail('range', name, 'letters and digits only (Section IV)', value);
  }

  ipv4(name: string, value: unknown): void {
    if (value === undefined) return;
    if (typeof value !== 'string') this.fail('type', name, 'a string', value);
    if (!isIPv4(value)) this.fail('range', name, 'an IPv4 address such as 127.0.0.1', value);
  }

  port(name: string, value: unknown): void {
    this.integer(name, value, 0, 65535);
  }

  /** An integer in [min, max]; undefined (the default) passes. */
  integer(name: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): void {
    if (value === undefined) return;
    if (typeof value !== 'number') this.fail('type', name, 'a number', value);
    if (!Number.isInteger(value) || value < min || value > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `${min}-${max}`;
      this.fail('range', name, `an integer ${range}`, value);
    }
  }

  /** A duration in milliseconds: a finite number > 0 (or >= 0 when `zero` is allowed). */
  milliseconds(name: string, value: unknown, zero = false): void {
    if (value === undefined) return;
    if (typeof value !== 'number') this.fail('type', name, 'a number of milliseconds', value);
    if (!Number.isFinite(value) || value < 0 || (!zero && value === 0)) {
      this.fail(
        'range',
        name,
        zero ? 'a number of milliseconds >= 0' : 'a number of milliseconds > 0',
        value,
      );
    }
  }

  /** An address and port, `{ ip, port }`. */
  endpoint(name: string, value: unknown): void {
    if (typeof value !== 'object' || value === null) this.fail('type', name, 'an object { ip, port }', value);
    const { ip, port } = value as Partial<Endpoint>;
    if (ip === undefined) this.fail('type', `${name}.ip`, 'an IPv4 address', ip);
    this.ipv4(`${name}.ip`, ip);
    if (port === undefined) this.fail('type', `${name}.port`, 'a port number', port);
    this.port(`${name}.port`, port);
  }

  /** A multicast channel: an endpoint whose address is in 224.0.0.0/4. */
  channel(name: string, value: unknown): void {
    this.endpoint(name, value);
    if (!isMulticast((value as Endpoint).ip)) {
      this.fail(
        'range',
        `${name}.ip`,
        'a multicast address (224.0.0.0-239.255.255.255)',
        (value as Endpoint).ip,
      );
    }
  }
}
