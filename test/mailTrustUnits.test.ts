// The pure pieces behind issue 9: the one form of an address and its look-alikes, the Authentication-Results
// reader, and the HTML sanitiser's remote images and truncation.
import { describe, expect, it } from 'vitest'
import { checkEmailAddress } from '../src/domain/emailAddress.ts'
import { fromDomainVerified, parseAuthResults } from '../src/mail/authResults.ts'
import { sanitizeMailHtml } from '../src/mail/sanitizeHtml.ts'

describe('checkEmailAddress', () => {
  it.each([
    ['Ken@Example.com', 'ken@example.com'],
    ['jose\u0301@example.org', 'jos\u00e9@example.org'],
    ['MÜLLER@example.de', 'müller@example.de'],
    ['\u043a\u0435\u043d@example.ru', '\u043a\u0435\u043d@example.ru'],
    ['用户@例子.广告', '用户@例子.广告'],
    ['taro.やまだ漢字@example.jp', 'taro.やまだ漢字@example.jp'],
  ])('keeps %s as %s', (input, stored) => {
    expect(checkEmailAddress(input)).toEqual({ ok: true, address: stored })
  })
  it.each([
    ['k\u0435n@example.com', 'mixes scripts'], // Cyrillic е among Latin
    ['ken@\u0435xample.com', 'mixes scripts'],
    ['\uff4b\uff45\uff4e@example.com', 'compatibility'], // fullwidth
    ['\u0440\u0430\u0443\u0440\u0430l@example.com', 'mixes scripts'], // Cyrillic "paypa" and a Latin l
    ['\u0440\u0430\u0443\u0440\u0430\u04cf@example.com', 'looks like the ASCII'], // all Cyrillic
    ['ken@xn--xample-2of.com', 'mixes scripts'], // the punycode of еxample with a Cyrillic е
  ])('refuses %s (%s)', (input, why) => {
    const check = checkEmailAddress(input)
    expect(check.ok).toBe(false)
    if (!check.ok) expect([check.code, check.message.includes(why)]).toEqual(['confusable_address', true])
  })
})

describe('Authentication-Results', () => {
  it('reads the authserv-id, methods and properties through comments, quotes and folding', () => {
    const h = parseAuthResults(
      ' mx.example.net 1 (Postfix; "quoted; not a separator");\r\n\tspf=pass (sender ok) smtp.mailfrom="bounce@Example.com";\r\n\tdkim=pass header.d=example.com header.s=s1; dmarc=pass (p=reject dis=none) header.from=example.com',
    )
    expect(h?.authservId).toBe('mx.example.net')
    expect(h?.results.map((r) => `${r.method}=${r.result}`)).toEqual(['spf=pass', 'dkim=pass', 'dmarc=pass'])
    expect(h?.results[0]!.props.get('smtp.mailfrom')).toBe('bounce@example.com')
  })
  it('believes only the topmost header of a trusted authserv-id, aligned with the From domain', () => {
    const pass = 'mx.example.net; dmarc=pass header.from=example.com'
    expect(fromDomainVerified([pass], ['mx.example.net'], 'ken@example.com')).toBe(true)
    expect(fromDomainVerified([pass], [], 'ken@example.com')).toBe(false)
    expect(fromDomainVerified([pass], ['mx.other.net'], 'ken@example.com')).toBe(false)
    expect(fromDomainVerified([pass], ['mx.example.net'], 'ken@example.org')).toBe(false)
    expect(fromDomainVerified(['mx.example.net; none', pass], ['mx.example.net'], 'ken@example.com')).toBe(
      false,
    )
    expect(
      fromDomainVerified(
        ['mx.example.net; dkim=pass header.d=mail.example.com'],
        ['mx.example.net'],
        'k@example.com',
      ),
    ).toBe(true)
    expect(
      fromDomainVerified(
        ['mx.example.net; spf=pass smtp.mailfrom=x@example.com.evil.test'],
        ['mx.example.net'],
        'k@example.com',
      ),
    ).toBe(false)
    expect(
      fromDomainVerified(['mx.example.net; dkim=pass header.d=com'], ['mx.example.net'], 'k@example.com'),
    ).toBe(false)
  })
})

describe('sanitizeMailHtml', () => {
  it('keeps remote images unloadable (address in data-remote-src, no src), cid: ones as they are, and marks HTML cut at its limit', () => {
    expect(sanitizeMailHtml('<img src="https://t.example/p.gif"><img src="CID:a@b" alt="a">')).toBe(
      '<img data-remote-src="https://t.example/p.gif" /><img src="CID:a@b" alt="a" />',
    )
    // A data-remote-src the sender wrote is not trusted: only one we derived from a remote src survives.
    expect(
      sanitizeMailHtml(
        '<img data-remote-src="javascript:alert(1)"><img src="x" data-remote-src="https://t.example/">',
      ),
    ).toBe('')
    const huge = sanitizeMailHtml(`<p>${'a'.repeat(2 * 1024 * 1024 + 10)}</p>`)
    expect(huge).toMatch(/<p>\[message truncated: 17 characters not shown\]<\/p>$/)
  })
})
