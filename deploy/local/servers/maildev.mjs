// MailDev from the repository's node_modules: SMTP and a web and REST view of what was sent.
import fs from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../env.mjs';
import { env, httpOk, StackError } from './common.mjs';

/** @type {import('./common.mjs').Server} */
export const maildev = {
  name: 'maildev',
  marker: 'maildev',
  timeoutMs: 30000,
  url: () => `smtp://${env.SMTP_HOST}:${env.SMTP_PORT} (web ${env.MAILDEV_URL})`,
  healthy: () => httpOk(`${env.MAILDEV_URL}/api/healthz`),
  ports: () => [env.SMTP_PORT, env.MAILDEV_WEB_PORT],
  prepare: () => {
    if (!fs.existsSync(join(repoRoot, 'node_modules', '.bin', 'maildev'))) {
      throw new StackError('node_modules/.bin/maildev is missing: run `npm install` at the repository root first');
    }
  },
  command: () => ({
    cmd: process.execPath,
    args: [join(repoRoot, 'node_modules', '.bin', 'maildev'),
      '--ip', '127.0.0.1', '--smtp', env.SMTP_PORT, '--web', env.MAILDEV_WEB_PORT],
  }),
};
