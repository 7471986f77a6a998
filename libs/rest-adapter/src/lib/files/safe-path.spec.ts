import { cleanRelativePath } from './safe-path';
import { contentDisposition, parseRange } from './serve-file';

describe('cleanRelativePath', () => {
  it('keeps clean relative paths and decodes them once or more', () => {
    expect(cleanRelativePath('sessions/a/de/x.md')).toBe('sessions/a/de/x.md');
    expect(cleanRelativePath('a%20b/c%C3%A9.png')).toBe('a b/cé.png');
    expect(cleanRelativePath('a%252Fb')).toBe('a/b');
  });

  it.each([
    ['..', 'dot segments'],
    ['a/../b', 'dot segments'],
    ['%2e%2e/x', 'dot segments'],
    ['%252e%252e%252fx', 'dot segments'],
    ['./x', 'dot segments'],
    ['/etc/passwd', 'absolute path'],
    ['%2Fetc%2Fpasswd', 'absolute path'],
    ['C:%5Cx', 'backslashes'],
    ['C:/x', 'absolute path'],
    ['a\\b', 'backslashes'],
    ['a%00b', 'control characters or NUL'],
    ['a%250a', 'control characters or NUL'],
    ['a//b', 'empty segments'],
    ['%E0%A4%A', 'malformed percent-encoding'],
    ['%252525252525252e', 'too many layers of percent-encoding'],
  ])('%s is refused (%s)', (raw, reason) => {
    expect(() => cleanRelativePath(raw)).toThrow(reason);
  });
});

describe('parseRange', () => {
  it('reads one range and ignores what it cannot serve', () => {
    expect(parseRange('bytes=0-9', 100)).toEqual({ kind: 'partial', start: 0, end: 9 });
    expect(parseRange('bytes=90-200', 100)).toEqual({ kind: 'partial', start: 90, end: 99 });
    expect(parseRange('bytes=-10', 100)).toEqual({ kind: 'partial', start: 90, end: 99 });
    expect(parseRange('bytes=100-', 100)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=-0', 100)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=5-1', 100)).toEqual({ kind: 'full' });
    expect(parseRange('items=0-1', 100)).toEqual({ kind: 'full' });
    expect(parseRange(null, 100)).toEqual({ kind: 'full' });
  });
});

describe('contentDisposition', () => {
  it('escapes quotes and non-ASCII per RFC 6266', () => {
    expect(contentDisposition('attachment', 'a"b\\c ü.md')).toBe('attachment; filename="a_b_c _.md"; filename*=UTF-8\'\'a%22b%5Cc%20%C3%BC.md');
  });
});
