// Two user nodes chat through a server of their own. Run: npm run example:user
import { createServer, createUserNode } from '@chat/proto/node';

const channels = [{ ip: '239.255.77.1', port: 18450 }]; // a channel just for this example
const server = createServer({ alias: 'hub', channels });
const hub = await server.start();

const alice = createUserNode({ alias: 'alice', server: hub });
const bob = createUserNode({ alias: 'bob', server: hub });
await Promise.all([alice.start(), bob.start()]);
bob.on('message', (m) =>
  console.log(`bob got from ${m.from.alias}${m.room ? ` in ${m.room}` : ''}: ${m.text}`),
);

const found = await alice.find('bob');
console.log(`alice found bob at ${found?.user.ip}:${found?.user.port} on ${found?.server.alias}`);
await alice.createRoom('lobby');
await bob.join('lobby');
console.log(`lobby: ${(await alice.who('lobby')).map((u) => u.alias).join(', ')}`);
await alice.say('hello, room');
await alice.send('bob', 'hello, bob');
await new Promise((resolve) => setTimeout(resolve, 100)); // let the deliveries arrive

await Promise.all([alice.exit(), bob.exit()]);
await Promise.all([alice.close(), bob.close(), server.close()]);
