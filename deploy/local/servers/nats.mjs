// nats-server with JetStream, built with `go install` into the cache; its store in .data/nats.
import fs from 'node:fs';
import { join } from 'node:path';
import { cacheDir, dataDir } from '../env.mjs';
import { ensureGoBinary, env, httpOk } from './common.mjs';

export const NATS_SERVER_VERSION = 'v2.15.2';

const natsBin = join(cacheDir, `nats-server-${NATS_SERVER_VERSION}`, 'nats-server');

// JetStream fsyncs every write before it acknowledges it, as compose and Kubernetes do: the outbox marks an
// event published on the PubAck, so an acknowledged event lost on a power cut would never be sent again.
// Measured on this machine kind (deploy/local/README.md): +0.2 ms a publish; nothing a test notices.
const natsConfig = join(dataDir, 'nats.conf');

function prepareNats() {
  fs.mkdirSync(join(dataDir, 'nats'), { recursive: true });
  fs.writeFileSync(natsConfig, '# written by deploy/local/stack.mjs on every start; addresses and store dir are flags\njetstream {\n  sync_interval: always\n}\n');
}

async function natsNotSyncing() {
  try {
    const varz = await (await fetch(`http://127.0.0.1:${env.NATS_MONITOR_PORT}/varz`, { signal: AbortSignal.timeout(2000) })).json();
    return varz.jetstream?.config?.sync_always === true ? null : 'JetStream does not sync every write to disk (sync_interval: always)';
  } catch {
    return null; // healthy a moment ago: leave it alone rather than restart on a failed look
  }
}

/** @type {import('./common.mjs').Server} */
export const nats = {
  name: 'nats',
  marker: 'nats-server',
  timeoutMs: 30000,
  url: () => `${env.NATS_URL} (monitor http://127.0.0.1:${env.NATS_MONITOR_PORT})`,
  healthy: () => httpOk(`http://127.0.0.1:${env.NATS_MONITOR_PORT}/healthz?js-enabled-only=true`),
  ports: () => [env.NATS_PORT, env.NATS_MONITOR_PORT],
  install: () => ensureGoBinary(natsBin, 'github.com/nats-io/nats-server/v2', NATS_SERVER_VERSION),
  prepare: prepareNats,
  // a server started before the config file existed (an existing .data) is restarted once
  restartNeeded: natsNotSyncing,
  command: () => ({
    cmd: natsBin,
    args: ['-c', natsConfig, '-js', '-a', '127.0.0.1', '-p', env.NATS_PORT, '-m', env.NATS_MONITOR_PORT, '-sd', join(dataDir, 'nats')],
  }),
};
