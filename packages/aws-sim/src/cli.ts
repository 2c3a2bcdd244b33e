import { parseArgs } from 'node:util';
import { startSimulator } from './index.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
    region: { type: 'string', default: 'us-east-1' },
    profile: { type: 'string', default: 'fast' },
    'time-scale': { type: 'string', default: '1' },
    seed: { type: 'string', default: '1' },
    'state-file': { type: 'string' },
    'hosted-zone': { type: 'string', multiple: true },
    help: { type: 'boolean', short: 'h' },
  },
});

if (values.help) {
  console.log(
    'Usage: aws-sim [--port N] [--host H] [--region R] [--profile fast|realistic] [--time-scale X] [--seed N] [--state-file PATH] [--hosted-zone NAME ...]',
  );
  process.exit(0);
}
if (values.profile !== 'fast' && values.profile !== 'realistic') {
  console.error(`aws-sim: unknown profile '${values.profile}' (fast or realistic)`);
  process.exit(2);
}

const sim = await startSimulator({
  port: Number(values.port),
  host: values.host,
  region: values.region,
  profile: values.profile,
  timeScale: Number(values['time-scale']),
  seed: Number(values.seed),
  stateFile: values['state-file'],
  hostedZones: values['hosted-zone'],
});
console.log(sim.endpoint);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void sim.stop().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
