#!/usr/bin/env node
// Recomputes a giveaway's draw from its public record and says whether it matches (docs/verifiable-draw.md).
// Usage: node scripts/verify-draw.mjs <draw.json file or https://.../giveaways/<community>/<id>/draw.json>
// Standalone: Node 18+ built-ins only. Exit code 0 when the hash and every round match, 1 when not, 2 on bad input.
import { createHash, createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';

const SPAN = 2 ** 48;

/** A uniform integer in [0, bound): HMAC-SHA256(seed bytes, "<contest>:<round>:<pick>:<counter>") -> first 48 bits, rejection sampling. */
function drawNumber(seed, contestId, round, pick, bound) {
  const key = Buffer.from(seed, 'hex');
  const limit = Math.floor(SPAN / bound) * bound;
  for (let counter = 0; ; counter++) {
    const x = createHmac('sha256', key).update(`${contestId}:${round}:${pick}:${counter}`).digest().readUIntBE(0, 6);
    if (x < limit) return x % bound;
  }
}

/** One round: `count` picks without replacement, weighted, walking the entries in list order. */
function drawRound(seed, contestId, round, entries, count, excluded) {
  const taken = new Set(excluded);
  const out = [];
  for (let pick = 1; pick <= count; pick++) {
    const left = entries.filter((e) => !taken.has(e.n) && e.weight > 0);
    const total = left.reduce((s, e) => s + e.weight, 0);
    if (!total) break;
    const r = drawNumber(seed, contestId, round, pick, total);
    let acc = 0;
    const won = left.find((e) => (acc += e.weight) > r);
    out.push(won.n);
    taken.add(won.n);
  }
  return out;
}

async function load(source) {
  if (/^https?:\/\//.test(source)) {
    const res = await fetch(source);
    if (!res.ok) throw new Error(`${source}: HTTP ${res.status}`);
    return res.json();
  }
  return JSON.parse(await readFile(source, 'utf8'));
}

async function main() {
  const source = process.argv[2];
  if (!source) {
    console.error('Usage: node scripts/verify-draw.mjs <draw.json file or URL>');
    return 2;
  }
  const d = await load(source);
  if (d.algorithm !== 'engage-draw-v1') {
    console.error(`Unknown algorithm ${JSON.stringify(d.algorithm)}; this script checks engage-draw-v1.`);
    return 2;
  }
  const entries = [...d.entries].sort((a, b) => a.n - b.n);
  // The public list carries no names; a list saved from /contest verify may.
  const name = (n) => { const e = entries.find((x) => x.n === n); return e?.name ? ` ${e.name}` : ''; };
  console.log(`Giveaway #${d.contestId} (${d.prize}): ${entries.length} entrants, ${entries.reduce((s, e) => s + e.weight, 0)} entries`);
  console.log(`Commitment (seedHash): ${d.seedHash}`);
  if (!d.seed) {
    console.log('Not drawn yet: the seed is revealed at the draw. Keep the seedHash to compare later.');
    return 2;
  }
  if (!/^[0-9a-f]{64}$/.test(d.seed)) {
    console.error('The seed must be 64 lowercase hex digits.');
    return 2;
  }
  const hashOk = createHash('sha256').update(d.seed, 'utf8').digest('hex') === d.seedHash;
  console.log(`Seed: ${d.seed}`);
  console.log(`sha256(seed) equals seedHash: ${hashOk ? 'yes' : 'NO'}`);
  let drawOk = true;
  const excluded = new Set();
  for (const r of [...d.rounds].sort((a, b) => a.round - b.round)) {
    const again = drawRound(d.seed, d.contestId, r.round, entries, r.winners.length, excluded);
    // The first round draws as many winners as the giveaway promised (or everyone, when fewer entered): a short round is not a match.
    const full = r.round !== 1 || r.winners.length === Math.min(d.winnersCount, entries.length);
    const same = full && JSON.stringify(again) === JSON.stringify(r.winners);
    drawOk &&= same;
    console.log(`Round ${r.round}: recomputed ${again.map((n) => `#${n}${name(n)}`).join(', ') || '(none)'}; published ${r.winners.map((n) => `#${n}`).join(', ') || '(none)'}: ${same ? 'match' : 'MISMATCH'}`);
    r.winners.forEach((n) => excluded.add(n));
  }
  console.log(hashOk && drawOk ? 'RESULT: the draw matches.' : 'RESULT: the draw does NOT match.');
  return hashOk && drawOk ? 0 : 1;
}

main().then((code) => { process.exitCode = code; }, (err) => { console.error(String(err?.message ?? err)); process.exitCode = 2; });
