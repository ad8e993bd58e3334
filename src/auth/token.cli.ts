/**
 * `npm run token -- <email>`: prints a development token (HS256) for a user, e.g. a demo user:
 * `TOKEN=$(npm run --silent token -- admin@demo.toptrajecten.test)`. No database needed: the demo
 * users' subject is their e-mail, so the token's subject is the lower-cased e-mail given.
 * Refused in production, where tokens come from the identity provider.
 */
import { runCli } from '../cli';
import { loadConfig } from '../config';
import { mintDevelopmentToken } from './authenticate';

async function main(): Promise<number> {
  const email = process.argv[2]?.trim().toLowerCase();
  if (!email) {
    process.stderr.write('Usage: npm run token -- <email>   (for example: npm run token -- admin@demo.toptrajecten.test)\n');
    return 2;
  }
  const token = await mintDevelopmentToken(loadConfig(), email);
  process.stdout.write(`${token}\n`);
  return 0;
}

runCli('Minting a token', main);
