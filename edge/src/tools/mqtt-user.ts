/**
 * Prints one entry for an `--mqtt-users` file:
 *   MQTT_PASSWORD=… npx tsx edge/src/tools/mqtt-user.ts USERNAME DEVICE_ID[,DEVICE_ID…]|'*'
 * The password comes from the environment so it never lands in the shell history.
 */
import { isId } from '@cr/shared';
import { hashPassword } from '../mqtt/password';

async function main(): Promise<void> {
  const [username, devices] = process.argv.slice(2);
  const password = process.env.MQTT_PASSWORD ?? '';
  if (!username || !devices || password.length < 12) {
    process.stderr.write("usage: MQTT_PASSWORD=<at least 12 characters> npx tsx edge/src/tools/mqtt-user.ts USERNAME DEVICE_ID[,DEVICE_ID…]|'*'\n");
    process.exit(2);
  }
  const deviceIds = devices === '*' ? '*' : devices.split(',');
  if (deviceIds !== '*' && !deviceIds.every(isId)) {
    process.stderr.write('device ids must be lower-case ids (a-z 0-9 . _ -)\n');
    process.exit(2);
  }
  process.stdout.write(`${JSON.stringify({ username, passwordHash: await hashPassword(password), deviceIds })}\n`);
}

void main();
