/**
 * The least MQTT 3.1.1 client the fan-out benchmark needs, over TCP with mqtt-packet (Aedes's own
 * codec): connect, subscribe, publish at QoS 0, and a callback per message received.
 */
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import mqtt from 'mqtt-packet';

export interface MqttClient {
  publish(topic: string, payload: Buffer): void;
  close(): void;
}

export async function mqttClient(
  port: number,
  id: string,
  subscribe: string | undefined,
  onMessage: (payload: Buffer) => void,
): Promise<MqttClient> {
  const socket: Socket = connect(port, '127.0.0.1');
  socket.setNoDelay(true);
  await once(socket, 'connect');
  const parser = mqtt.parser({ protocolVersion: 4 });
  let ready: () => void = () => {};
  parser.on('packet', (packet: mqtt.Packet) => {
    if (packet.cmd === 'publish') onMessage(packet.payload as Buffer);
    else if (packet.cmd === 'connack' || packet.cmd === 'suback') ready();
  });
  socket.on('data', (data) => parser.parse(data));
  const step = (packet: mqtt.Packet) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${id}: no answer to ${packet.cmd}`)), 5000);
      ready = () => {
        clearTimeout(timer);
        resolve();
      };
      socket.write(mqtt.generate(packet));
    });
  await step({
    cmd: 'connect',
    protocolId: 'MQTT',
    protocolVersion: 4,
    clean: true,
    clientId: id,
    keepalive: 0,
  });
  if (subscribe !== undefined) {
    await step({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: subscribe, qos: 0 }] });
  }
  return {
    publish(topic, payload) {
      socket.write(mqtt.generate({ cmd: 'publish', topic, payload, qos: 0, retain: false, dup: false }));
    },
    close() {
      socket.destroy();
    },
  };
}
