// Parse packets into typed objects, write them back, and read a parse error. Run: npm run example:parse
import { type Packet, ProtocolError, parse, serialize } from '@chat/proto';

const find = parse('USERNODE bob 127.0.0.1 5001 FIND alice');
if (find.kind === 'UserCommand' && find.command.verb === 'FIND') {
  console.log(`${find.sender.alias} is looking for ${find.command.alias}`);
}

// A server's answer: leading zeros and extra whitespace are read, canonical text is written.
const reply = parse(
  'SERVERREPLY SERVER alpha 010.0.0.1 8000 +OK\n USERNODE bob 127.0.0.1 5001 FIND alice\tUSERNODE alice 10.0.0.7 5002',
);
console.log(serialize(reply));

const message: Packet = {
  kind: 'UserCommand',
  sender: { kind: 'UserNode', alias: 'bob', ip: '127.0.0.1', port: 5001 },
  command: { verb: 'SEND', alias: 'alice', message: 'hello, alice' },
};
console.log(JSON.stringify(serialize(message)));

try {
  parse('USERNODE bob 127.0.0.1 70000 LIST');
} catch (error) {
  if (error instanceof ProtocolError) console.log(`${error.code} ${error.message}`);
}
