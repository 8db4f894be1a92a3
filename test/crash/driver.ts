/**
 * The bot under test for test/crash.test.ts: `node --import tsx test/crash/driver.ts <database url> <from> [<to>]`
 * plays the command stream of stream.ts from index `from` (to `to`, or until killed) through a real Engine,
 * a few deliveries in flight at once. It prints "ready" once set up and "done <i>" as each delivery is
 * answered; an unexpected error is printed to stderr as "INTERNAL ...".
 */
import { openDatabase } from '../../src/db/client.js';
import { Engine } from '../../src/engine.js';
import { allCommands } from '../../commands/index.js';
import { COMMUNITY, SETUP, inboundAt } from './stream.js';

const IN_FLIGHT = 4;
const [url, fromArg, toArg] = process.argv.slice(2);
const db = await openDatabase(url);
const engine = new Engine(db, { commands: allCommands, onError: (e) => process.stderr.write(`INTERNAL ${String((e as Error)?.stack ?? e)}\n`) });
for (const d of SETUP) {
  const r = await engine.handle(d);
  if (r.error) throw new Error(`setup refused: ${r.text}`);
}
const { communityId } = await db.prisma.communityBinding.findUniqueOrThrow({ where: { platform_externalId: { platform: 'slack', externalId: COMMUNITY } } });
process.stdout.write('ready\n');

let next = Number(fromArg);
const end = toArg === undefined ? Infinity : Number(toArg);
async function worker() {
  while (next < end) {
    const i = next++;
    const r = await engine.handle(await inboundAt(i, db.prisma, communityId));
    if (r.error?.code === 'errors:internal') process.stderr.write(`INTERNAL reply to ${i}\n`);
    process.stdout.write(`done ${i}\n`);
  }
}
await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
await db.close();
