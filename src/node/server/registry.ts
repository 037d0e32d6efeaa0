/**
 * The user nodes attached to this server, keyed by their address: a registration made by
 * PREFERRED, with the aliases the user holds (its own and those added by ALIAS), the server it
 * prefers, and its rooms. A registration is read by anyone and changed only through the
 * Registry's methods, which keep the alias index true.
 */
import type { Server, UserNode } from '../../ast.ts';
import { type Endpoint, endpointKey, sameEndpoint } from '../transport.ts';
import { userAt } from '../wire.ts';

export interface Registration {
  /** Address and primary alias. */
  readonly user: UserNode;
  /** Extra aliases added with ALIAS (the primary alias is not in here). */
  readonly aliases: ReadonlySet<string>;
  /** The server the user named in PREFERRED. */
  readonly preferred: Server;
  /** True when `preferred` is this server. */
  readonly home: boolean;
  /** The room CSEND goes to: the last one created or joined. */
  readonly currentRoom: string | undefined;
  /** When the user last sent this server a request (ms since the epoch): for expiry. */
  readonly lastHeard: number;
  /**
   * The +OK that registered it listed only the neighbours its unpadded PREFERRED paid for: the
   * rest (a KNOWNSERVERS) goes out when it is next heard from.
   */
  readonly owed: boolean;
}

/** A registration as the Registry changes it. */
type Held = { -readonly [K in keyof Registration]: Registration[K] } & { aliases: Set<string> };

/** The registry made every registration it is given, so each is one of its Held. */
const held = (registration: Registration) => registration as Held;

export class Registry {
  readonly #byAddress = new Map<string, Registration>();
  readonly #byAlias = new Map<string, Registration>();

  get size(): number {
    return this.#byAddress.size;
  }

  at(address: Endpoint): Registration | undefined {
    return this.#byAddress.get(endpointKey(address));
  }

  /**
   * Whether a PREFERRED from `user` naming `preferred` changes nothing: the same address, alias
   * and preferred server as now (a user node checking that its server lives). A home is matched
   * by address alone, as it was registered (a node may first name it `preferred`, then by its
   * real alias); a guest's preferred server by alias too, since recovery goes by alias.
   */
  unchangedBy(user: UserNode, preferred: Server): boolean {
    const r = this.at(user);
    return (
      r !== undefined &&
      r.user.alias === user.alias &&
      sameEndpoint(r.preferred, preferred) &&
      (r.home || r.preferred.alias === preferred.alias)
    );
  }

  /** The registration holding `alias`, as primary or extra alias. */
  holding(alias: string): Registration | undefined {
    return this.#byAlias.get(alias);
  }

  /** Registers `user`; `owed` when its +OK could not list every neighbour. */
  add(user: UserNode, preferred: Server, home: boolean, now: number, owed = false): Registration {
    const existing = this.at(user);
    if (existing) this.remove(existing);
    const registration: Held = {
      user,
      aliases: new Set(),
      preferred,
      home,
      currentRoom: undefined,
      lastHeard: now,
      owed,
    };
    this.#byAddress.set(endpointKey(user), registration);
    this.#byAlias.set(user.alias, registration);
    return registration;
  }

  remove(registration: Registration): void {
    this.#byAddress.delete(endpointKey(registration.user));
    this.#byAlias.delete(registration.user.alias);
    for (const alias of registration.aliases) this.#byAlias.delete(alias);
  }

  rename(registration: Registration, alias: string): void {
    this.#byAlias.delete(registration.user.alias);
    held(registration).user = { ...registration.user, alias };
    this.#byAlias.set(alias, registration);
  }

  /** A registered user sent PREFERRED again: its alias, preferred server and home as it says now. */
  prefer(registration: Registration, alias: string, preferred: Server, home: boolean): void {
    if (registration.user.alias !== alias) this.rename(registration, alias);
    held(registration).preferred = preferred;
    held(registration).home = home;
  }

  addAlias(registration: Registration, alias: string): void {
    held(registration).aliases.add(alias);
    this.#byAlias.set(alias, registration);
  }

  removeAlias(registration: Registration, alias: string): void {
    held(registration).aliases.delete(alias);
    this.#byAlias.delete(alias);
  }

  /** The user sent a request now: it is not silent (expiry.ts). */
  heard(registration: Registration, now: number): void {
    held(registration).lastHeard = now;
  }

  /** Marks the registration as owed the neighbours it could not be told (`owed`). */
  owe(registration: Registration): void {
    held(registration).owed = true;
  }

  /** Clears what the registration was owed (`owed`); true when something was owed. */
  payOwed(registration: Registration): boolean {
    if (!registration.owed) return false;
    held(registration).owed = false;
    return true;
  }

  /** The user created or joined `room`: CSEND goes there now. */
  enterRoom(registration: Registration, room: string): void {
    held(registration).currentRoom = room;
  }

  /** The user left `room`: if it was the current one, CSEND has nowhere to go until it joins another. */
  leftRoom(registration: Registration, room: string): void {
    if (registration.currentRoom === room) held(registration).currentRoom = undefined;
  }

  /** The registrations not heard from since `before`: users that vanished without EXIT. */
  silentSince(before: number): Registration[] {
    return [...this.#byAddress.values()].filter((r) => r.lastHeard < before);
  }

  all(): IterableIterator<Registration> {
    return this.#byAddress.values();
  }

  /** Every alias held here, as the UserNode FIND and KNOWNUSERS report for it. */
  userNodes(): UserNode[] {
    const nodes: UserNode[] = [];
    for (const r of this.#byAddress.values()) {
      nodes.push(r.user);
      for (const alias of r.aliases) nodes.push(userAt(alias, r.user));
    }
    return nodes;
  }
}
