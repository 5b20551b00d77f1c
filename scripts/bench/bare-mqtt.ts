/**
 * Baseline: request / response through a bare aedes broker over TLS (Nagle off, as the hub), with mqtt.js
 * clients: one requester and N responders, each responder echoing on its own topics. This is the floor under a
 * direct method's device leg.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:tls';
import { Aedes } from 'aedes';
import mqtt, { type MqttClient } from 'mqtt';
import type { TlsMaterial } from './tls';

export interface BareMqtt {
  /** One request to responder `lane`, resolved when its echo arrives. */
  call(lane: number, body: string): Promise<void>;
  close(): Promise<void>;
}

async function connect(port: number, ca: string, clientId: string): Promise<MqttClient> {
  return mqtt.connectAsync({
    protocol: 'mqtts',
    host: '127.0.0.1',
    port,
    ca,
    clientId,
    protocolVersion: 4,
    reconnectPeriod: 0,
  });
}

export async function startBareMqtt(tls: TlsMaterial, responders: number): Promise<BareMqtt> {
  const broker = await Aedes.createBroker();
  const server = createServer({ key: tls.key, cert: tls.cert }, (socket) => {
    socket.setNoDelay(true);
    broker.handle(socket);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;

  const echoes: MqttClient[] = [];
  for (let lane = 0; lane < responders; lane++) {
    const echo = await connect(port, tls.ca, `responder-${lane}`);
    echo.on('message', (topic, payload) => {
      echo.publish(`res/${topic.slice(4)}`, payload, { qos: 0 });
    });
    await echo.subscribeAsync(`req/${lane}/#`, { qos: 0 });
    echoes.push(echo);
  }

  const requester = await connect(port, tls.ca, 'requester');
  const pending = new Map<string, () => void>();
  requester.on('message', (topic) => {
    const key = topic.slice(4);
    const done = pending.get(key);
    if (done) {
      pending.delete(key);
      done();
    }
  });
  await requester.subscribeAsync('res/#', { qos: 0 });

  let nextId = 0;
  return {
    call(lane, body) {
      const key = `${lane}/${nextId++}`;
      return new Promise<void>((resolve) => {
        pending.set(key, resolve);
        requester.publish(`req/${key}`, body, { qos: 0 });
      });
    },
    async close() {
      await Promise.all([requester, ...echoes].map((c) => c.endAsync(true)));
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      server.close();
    },
  };
}
