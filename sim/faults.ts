/**
 * Puts a fault schedule into the run: network knobs turned and reset, partitions made and
 * healed, servers crashed and restarted, a rogue node switched on and off, the clock jumped.
 * Each fault's start and end go into the trace, where the checker reads which windows were quiet.
 */
import type { Endpoint } from '../src/node/index.ts';
import { TIMING } from './config.ts';
import type { Random } from './random.ts';
import { Rogue } from './rogue.ts';
import type { Fault, Schedule } from './schedule.ts';
import type { World } from './world.ts';

export function applySchedule(world: World, schedule: Schedule, random: Random): void {
  const rogue = new Rogue(world, random.fork());
  schedule.faults.forEach((fault, id) => {
    world.clock.setTimeout(() => {
      const { kind, ...rest } = fault;
      world.trace.record('faultStart', 'net', { id, fault: kind, ...rest });
      begin(world, fault, rogue);
    }, fault.at);
    world.clock.setTimeout(() => {
      end(world, fault, rogue);
      world.trace.record('faultEnd', 'net', { id, fault: fault.kind });
    }, fault.until);
  });
}

function begin(world: World, fault: Fault, rogue: Rogue): void {
  const network = world.network;
  switch (fault.kind) {
    case 'loss':
      network.loss = fault.p;
      return;
    case 'duplicate':
      network.duplicate = fault.p;
      return;
    case 'reorder':
      network.jitterMs = fault.jitterMs;
      return;
    case 'spike':
      network.delayMs = fault.delayMs;
      return;
    case 'partition': {
      // The servers named and the users whose home they are, against everyone else, as they
      // stand now (nodes that start during the partition are on no side).
      const [a, b]: [Endpoint[], Endpoint[]] = [[], []];
      for (const slot of world.servers) {
        if (slot.node && slot.up) (fault.side.includes(slot.index) ? a : b).push(slot.node.self);
      }
      for (const slot of world.users) {
        if (slot.node && slot.live) (fault.side.includes(slot.home) ? a : b).push(slot.node.self);
      }
      network.partition(a, b);
      return;
    }
    case 'crash': {
      const slot = world.servers[fault.server];
      if (slot) world.crashServer(slot);
      return;
    }
    case 'garbage':
      rogue.start(fault.everyMs);
      return;
    case 'jump':
      world.clock.jump(fault.ms);
      return;
  }
}

function end(world: World, fault: Fault, rogue: Rogue): void {
  const network = world.network;
  switch (fault.kind) {
    case 'loss':
      network.loss = 0;
      return;
    case 'duplicate':
      network.duplicate = 0;
      return;
    case 'reorder':
      network.jitterMs = 0;
      return;
    case 'spike':
      network.delayMs = TIMING.delayMs;
      return;
    case 'partition':
      network.heal();
      return;
    case 'crash': {
      const slot = world.servers[fault.server];
      if (slot && !slot.node) {
        slot.store.older = fault.older;
        world.startServer(slot);
      }
      return;
    }
    case 'garbage':
      rogue.stop();
      return;
    case 'jump':
      return;
  }
}
