import { describe, expect, it } from 'vitest';
import { normaliseEmail } from '../../src/contact-details/email.js';
import type { Normalised } from '../../src/contact-details/reasons.js';

function expectEmail(result: Normalised, value: string, key = value.toLowerCase()): void {
  expect(result).toEqual({ ok: true, kind: 'email', value, key });
}

function expectNotAnEmail(raw: string, messagePart: string): void {
  const result = normaliseEmail(raw);
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.kind).toBe('email');
  expect(result.reason).toBe('not-an-email');
  expect(result.message).toContain(messagePart);
}

describe('normaliseEmail: accepted addresses', () => {
  it('lower-cases the domain, keeps the local part, and keys on the whole address lower-cased', () => {
    expectEmail(
      normaliseEmail('Bob.Smith@Example.COM'),
      'Bob.Smith@example.com',
      'bob.smith@example.com',
    );
  });

  it('trims whitespace and strips invisible characters', () => {
    expectEmail(normaliseEmail('  bob@example.com\t'), 'bob@example.com');
    expectEmail(normaliseEmail('\uFEFF\u00A0bob\u200B@example.com\u200E\u3000'), 'bob@example.com');
  });

  it('accepts every RFC 5322 atext character in the local part', () => {
    const local = "a!#$%&'*+/=?^_`{|}~-z";
    expectEmail(normaliseEmail(`${local}@example.com`), `${local}@example.com`);
    expectEmail(
      normaliseEmail('first.middle.last+tag@mail.example.co.uk'),
      'first.middle.last+tag@mail.example.co.uk',
    );
  });

  it('accepts internationalised local parts and IDN domains', () => {
    expectEmail(normaliseEmail('пользователь@пример.рф'), 'пользователь@пример.рф');
    expectEmail(normaliseEmail('bob@Bücher.DE'), 'bob@bücher.de');
    expectEmail(normaliseEmail('用户@例子.中国'), '用户@例子.中国');
  });

  it('reads a punycode domain as the same address as its Unicode spelling', () => {
    expectEmail(normaliseEmail('bob@xn--bcher-kva.de'), 'bob@bücher.de');
    expectEmail(normaliseEmail('bob@XN--BCHER-KVA.de'), 'bob@bücher.de');
  });

  it('stores an IDN domain in its mapped Unicode form (full-width letters and dots folded)', () => {
    expectEmail(normaliseEmail('bob@ｅｘａｍｐｌｅ．com'), 'bob@example.com');
  });

  it('accepts labels of digits and hyphens inside, and the length limits exactly', () => {
    expectEmail(normaliseEmail('a@1-2.example.com'), 'a@1-2.example.com');
    const local64 = 'l'.repeat(64);
    const label63 = 'd'.repeat(63);
    expectEmail(normaliseEmail(`${local64}@${label63}.com`), `${local64}@${label63}.com`);
  });
});

describe('normaliseEmail: rejected addresses, each with its own message', () => {
  it('empty', () => {
    const result = normaliseEmail(' \u200B ');
    expect(result).toMatchObject({ ok: false, kind: 'email', reason: 'empty' });
  });

  it.each([
    ['"bob smith"@example.com', 'quoted local parts'],
    ['"bob"@example.com', 'quoted local parts'],
    ['bob(work)@example.com', 'comments in parentheses'],
    ['bob@example.com (Bob)', 'comments in parentheses'],
    ['bob@[192.0.2.1]', 'IP-address domains'],
    ['bob@[IPv6:2001:db8::1]', 'IP-address domains'],
    ['bob@192.0.2.1', 'ends in a number'],
    ['bob@0x7f.1', 'ends in a number'],
    ['Bob Smith <bob@example.com>', 'give only the address "bob@example.com"'],
    ['<bob@example.com>', 'give only the address "bob@example.com"'],
    ['bob>@example.com', 'contains "<" or ">"'],
    ['bob smith@example.com', 'contains whitespace'],
    ['bob@exa mple.com', 'contains whitespace'],
    ['bob\u00A0x@example.com', 'contains whitespace'],
    ['bob\u0000@example.com', 'control character'],
    ['bob\u0007@example.com', 'control character'],
    ['bob\n@example.com', 'control character'],
    ['bob\uD800@example.com', 'lone surrogate'],
    ['bob@example.com\uDC00', 'lone surrogate'],
    ['bob@@example.com', 'more than one @'],
    ['bob@work@example.com', 'more than one @'],
    ['bob.example.com', 'has no @'],
    ['@example.com', 'nothing before the @'],
    ['bob@', 'nothing after the @'],
    ['bob@localhost', 'needs at least two parts'],
    ['.bob@example.com', 'starts with a dot'],
    ['bob.@example.com', 'ends with a dot'],
    ['bo..b@example.com', 'two dots in a row'],
    ['bo,b@example.com', '"," is not allowed before the @'],
    ['bo;b@example.com', '";" is not allowed before the @'],
    ['bob\\x@example.com', '"\\\\" is not allowed before the @'],
    ['bob@example..com', 'empty part'],
    ['bob@.example.com', 'empty part'],
    ['bob@example.com.', 'empty part'],
    ['bob@-example.com', 'not starting or ending with a hyphen'],
    ['bob@example-.com', 'not starting or ending with a hyphen'],
    ['bob@exa_mple.com', '"exa_mple"'],
    ['bob@exa%mple.com', 'is not a valid domain name'],
    ['bob@xn--zz.com', 'is not a valid domain name'],
    [`bob@${'d'.repeat(64)}.com`, '1–63 letters'],
    [`${'l'.repeat(65)}@example.com`, 'longer than 64 bytes'],
    [`${'я'.repeat(33)}@example.com`, 'longer than 64 bytes'],
    [`bob@${`${'d'.repeat(60)}.`.repeat(5)}com`, 'longer than 254'],
  ])('%s', (raw, messagePart) => {
    expectNotAnEmail(raw, messagePart);
  });

  it('quotes the value it rejects in the message', () => {
    expectNotAnEmail('bob@localhost', '"bob@localhost" is not an email address');
  });
});

describe('normaliseEmail: hostile input', () => {
  it.each([
    ['a 1 MB address', `${'a'.repeat(1 << 20)}@example.com`],
    ['1 MB of @', '@'.repeat(1 << 20)],
    ['SQL', "bob'; DROP TABLE exceptions; --@example.com"],
    ['shell', 'bob$(rm -rf ~)@example.com'],
    ['a script tag', '<script>alert(1)</script>@example.com'],
    ['NUL bytes', '\u0000@\u0000.com'],
  ])('%s is rejected cleanly', (_label, raw) => {
    const result = normaliseEmail(raw);
    expect(result).toMatchObject({ ok: false, kind: 'email', reason: 'not-an-email' });
    if (!result.ok) expect(result.message.length).toBeLessThan(200);
  });
});
