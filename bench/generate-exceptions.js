// Writes a realistic exceptions file for the import benchmark, the same for the same seed:
// ~45% phones (national GB spellings and international ones from 12 countries, with mixed
// separators), ~45% emails, ~5% invalid lines, ~5% duplicates of earlier lines (some in another
// spelling), half of the lines with a comment.
//
//   node bench/generate-exceptions.js LINES FILE [SEED]
import { createWriteStream } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const phones = require('libphonenumber-js/max');
const examples = require('libphonenumber-js/mobile/examples');

const countries = ['GB', 'DE', 'FR', 'US', 'IT', 'ES', 'NL', 'PL', 'SE', 'AU', 'IN', 'BR'];
const comments = [
  'spam caller',
  'printing supplier; not a client',
  'said "stop calling"',
  'newsletter bounce\tauto',
  '=HYPERLINK("x")',
  '+ marketing list',
  'אל תתקשרו',
  'réclamation 😀',
  '@partner',
  '- duplicate agency',
];
const invalid = [
  'hello',
  'Phone: +44 20 7946 0958',
  '12',
  '+44 20 7946 0958 ext 12',
  'bob@',
  '-2147483648/-1',
  'call me maybe',
  '+999 1234',
];

/** A small deterministic generator (mulberry32), so every run writes the same file. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function generateExceptions(lines, file, seed = 1) {
  const next = random(seed);
  const pick = (list) => list[Math.floor(next() * list.length)];
  const templates = countries.map((country) => {
    const example = phones.getExampleNumber(country, examples);
    return { country, national: example.nationalNumber };
  });

  /** A valid number of the country: the example with its last six digits varied. */
  function phone() {
    for (;;) {
      const { country, national } = pick(templates);
      const tail = String(Math.floor(next() * 1_000_000)).padStart(6, '0');
      const candidate = phones.default(national.slice(0, -6) + tail, { defaultCountry: country });
      if (!candidate?.isValid()) continue;
      if (country === 'GB' && next() < 0.5) return candidate.formatNational();
      const international = candidate.formatInternational();
      const style = next();
      if (style < 0.3) return international;
      if (style < 0.5) return international.replaceAll(' ', '-');
      if (style < 0.6) return candidate.number;
      if (style < 0.7 && country === 'GB') return `00${international.slice(1)}`;
      return international.replace(' ', ' (').replace(/ (\d+)/, ') $1');
    }
  }

  let emailCount = 0;
  function email() {
    emailCount++;
    const domains = [
      'example.com',
      'mail.example.org',
      'spam.example',
      'bücher.example',
      'corp.example.co.uk',
    ];
    const names = ['info', 'sales', 'no-reply', 'john.smith', 'offers', 'Anna.Novak', 'x_y+tag'];
    return `${pick(names)}${seed}${emailCount}@${pick(domains)}`;
  }

  const out = createWriteStream(file, { highWaterMark: 1 << 20 });
  const recent = [];
  let buffered = '';
  for (let i = 0; i < lines; i++) {
    const roll = next();
    let value;
    if (roll < 0.05) value = pick(invalid);
    else if (roll < 0.1 && recent.length > 0) value = pick(recent);
    else if (roll < 0.55) value = phone();
    else value = email();
    if (roll >= 0.1 && recent.length < 5000) recent.push(value);
    else if (roll >= 0.1) recent[Math.floor(next() * recent.length)] = value;
    buffered += next() < 0.5 ? `${value};${pick(comments)}\n` : `${value}\n`;
    if (buffered.length > 1 << 20) {
      if (!out.write(buffered)) await new Promise((resolve) => out.once('drain', resolve));
      buffered = '';
    }
  }
  out.end(buffered);
  await new Promise((resolve, reject) => out.on('finish', resolve).on('error', reject));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [lines, file, seed] = process.argv.slice(2);
  if (!lines || !file) {
    console.error('usage: node bench/generate-exceptions.js LINES FILE [SEED]');
    process.exit(2);
  }
  await generateExceptions(Number(lines), file, Number(seed ?? 1));
}
