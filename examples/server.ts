// A reference server on this host. Run: npm run example:server [-- seconds]  (default: until Ctrl-C)
import { createServer } from '@chat/proto/node';

const server = createServer({ alias: 'alpha', port: 0 }); // channel 230.0.0.1:8450 on 127.0.0.1
server.on('aliasChanged', (from, to) => console.log(`${from} is taken here, now ${to}`));
server.on('neighbourFound', (s) => console.log(`neighbour: ${s.alias} at ${s.ip}:${s.port}`));
server.on('userAttached', (u) => console.log(`user attached: ${u.alias}`));

const self = await server.start();
console.log(`server ${self.alias} ready on ${self.ip}:${self.port}`);

const seconds = Number(process.argv[2] ?? Number.POSITIVE_INFINITY);
await new Promise((resolve) => {
  process.once('SIGINT', resolve);
  if (Number.isFinite(seconds)) setTimeout(resolve, seconds * 1000);
});
await server.close();
console.log('server closed');
