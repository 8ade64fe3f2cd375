import { domainToASCII, domainToUnicode } from 'node:url';
import { type Normalised, reject } from './reasons.js';
import { cleanEmailText, isPrintableAscii, quote } from './text.js';

const MAX_ADDRESS = 254;
const MAX_LOCAL_BYTES = 64;
// Compiled on first use: their Unicode property classes cost every start ~1 ms.
function compilePatterns() {
  return {
    controlChar: /\p{Cc}/u,
    brokenUnicode: /\p{Cs}/u,
    whitespace: /[\s\p{Z}]/u,
    angleAddress: /<([^<>]*)>/,
    // RFC 5322 atext, plus letters, marks and digits of any script for internationalised addresses.
    localAtomChar: /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~\-\p{L}\p{M}\p{N}]$/u,
    localDotAtom:
      /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~\-\p{L}\p{M}\p{N}]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~\-\p{L}\p{M}\p{N}]+)*$/u,
    domainLabel: /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
    numericLabel: /^[0-9]+$/,
  };
}
let compiled: ReturnType<typeof compilePatterns> | undefined;
const patterns = () => {
  compiled ??= compilePatterns();
  return compiled;
};

/**
 * One plain address `local@domain`, stored with the domain lower-cased; the key is the whole
 * address lower-cased, as addresses are matched case-insensitively.
 */
export function normaliseEmail(raw: string): Normalised {
  const text = cleanEmailText(raw);
  if (text === '') return reject('email', 'empty', 'empty email address');
  const problem = findSyntaxProblem(text);
  if (problem !== undefined)
    return rejectEmail(`${quote(raw)} is not an email address: ${problem}`);

  const at = text.indexOf('@');
  const local = text.slice(0, at);
  const domain = text.slice(at + 1);
  const localProblem = findLocalPartProblem(local);
  if (localProblem !== undefined) {
    return rejectEmail(`${quote(raw)} is not an email address: ${localProblem}`);
  }
  const checked = checkDomain(domain);
  if (typeof checked !== 'string') {
    return rejectEmail(`${quote(raw)} is not an email address: ${checked.problem}`);
  }
  const value = `${local}@${checked}`;
  if (value.length > MAX_ADDRESS) {
    return rejectEmail(
      `${quote(raw)} is not an email address: longer than ${MAX_ADDRESS} characters`,
    );
  }
  return { ok: true, kind: 'email', value, key: value.toLowerCase() };
}

function rejectEmail(message: string): Normalised {
  return reject('email', 'not-an-email', message);
}

/** Whole-address problems, in the order a person would want them pointed out. */
function findSyntaxProblem(text: string): string | undefined {
  if (text.length > MAX_ADDRESS) return `longer than ${MAX_ADDRESS} characters`;
  if (patterns().controlChar.test(text)) return 'it contains a control character';
  if (patterns().brokenUnicode.test(text)) return 'it contains broken Unicode (a lone surrogate)';
  const angled = patterns().angleAddress.exec(text);
  if (angled) {
    return `it has a display name: give only the address ${JSON.stringify(angled[1]?.trim())}`;
  }
  if (text.includes('<') || text.includes('>')) return 'it contains "<" or ">"';
  if (text.includes('"')) return 'quoted local parts ("…"@domain) are not accepted';
  if (text.includes('(') || text.includes(')')) return 'comments in parentheses are not accepted';
  if (patterns().whitespace.test(text)) return 'it contains whitespace';
  const at = text.indexOf('@');
  if (at < 0) return 'it has no @';
  if (text.indexOf('@', at + 1) >= 0) return 'it has more than one @';
  if (at === 0) return 'nothing before the @';
  if (at === text.length - 1) return 'nothing after the @';
  if (text[at + 1] === '[') return 'IP-address domains ([1.2.3.4]) are not accepted';
  return undefined;
}

function findLocalPartProblem(local: string): string | undefined {
  if (local.startsWith('.')) return 'the part before the @ starts with a dot';
  if (local.endsWith('.')) return 'the part before the @ ends with a dot';
  if (local.includes('..')) return 'the part before the @ has two dots in a row';
  if (!patterns().localDotAtom.test(local)) {
    const stray = [...local].find((char) => char !== '.' && !patterns().localAtomChar.test(char));
    return `${JSON.stringify(stray)} is not allowed before the @`;
  }
  const bytes = isPrintableAscii(local) ? local.length : Buffer.byteLength(local);
  if (bytes > MAX_LOCAL_BYTES)
    return `the part before the @ is longer than ${MAX_LOCAL_BYTES} bytes`;
  return undefined;
}

/** The domain as stored (lower-cased; IDN kept in Unicode), or what is wrong with it. */
function checkDomain(domain: string): string | { problem: string } {
  const ascii = domainToASCII(domain);
  if (ascii === '') return { problem: `${JSON.stringify(domain)} is not a valid domain name` };
  const labels = ascii.split('.');
  if (labels.length < 2) {
    return {
      problem: `the domain ${JSON.stringify(domain)} needs at least two parts, like example.com`,
    };
  }
  for (const label of labels) {
    if (label === '') return { problem: 'the domain has an empty part (a stray dot)' };
    if (!patterns().domainLabel.test(label)) {
      return {
        problem: `the domain part ${JSON.stringify(label)} must be 1–63 letters, digits or hyphens, not starting or ending with a hyphen`,
      };
    }
  }
  if (patterns().numericLabel.test(labels[labels.length - 1] ?? '')) {
    return { problem: 'the domain ends in a number: IP addresses are not accepted' };
  }
  if (ascii.length > MAX_ADDRESS) return { problem: 'the domain is too long' };
  if (isPrintableAscii(domain)) {
    const lower = domain.toLowerCase();
    // WHATWG host parsing rewrites some numeric hosts (0x7f.1 → 127.0.0.1); keep only plain ones.
    if (lower !== ascii) return { problem: `${JSON.stringify(domain)} is not a valid domain name` };
    // Punycode (xn--) is the same domain as its Unicode spelling: store one form.
    return lower.includes('xn--') ? domainToUnicode(ascii) : lower;
  }
  return domainToUnicode(ascii);
}
