import { errorCodeOf, errorSignature, firstLineOf, normaliseErrorMessage } from './error-signature';

describe('failure signature', () => {
  it.each([
    [
      'Download of https://cdn.example.org/v/1234.mp4?x=1 failed with HTTP 503',
      'Download of <url> failed with HTTP <n>',
    ],
    ['No such file: /data/sessions/fosdem/2025/talk-17.mp3', 'No such file: <path>'],
    ['cannot open C:\\media\\day2\\room.wav', 'cannot open <path>'],
    ['job job-6f1c2a9e-77 timed out after 120.5 s', 'job <id> timed out after <n> s'],
    ['batch batch_20250101_abc: 3 of 17 segments missing', 'batch <id>: <n> of <n> segments missing'],
    ['object 5f8d0d55b54764421b7156c3 not found', 'object <id> not found'],
    ['request 123e4567-e89b-12d3-a456-426614174000 rejected', 'request <id> rejected'],
    [
      'lease of worker w1 expired at 2026-12-03T09:00:00.000Z; no attempts left (3)',
      'lease of worker w1 expired at <time>; no attempts left (<n>)',
    ],
    ['mail to ops@example.org bounced', 'mail to <email> bounced'],
    [
      '  Whisper   out of memory \n Traceback (most recent call last):\n  File "x.py", line 3',
      'Whisper out of memory',
    ],
    ['ffmpeg exited with code 1 (h264, mp3 stay)', 'ffmpeg exited with code <n> (h264, mp3 stay)'],
  ])('normalises %j', (message, expected) => {
    expect(normaliseErrorMessage(message)).toBe(expected);
  });

  it('gives jobs that failed for the same reason one signature and other reasons another', () => {
    const a = errorSignature('DownloadError', 'Download of https://a.example/1.mp4 failed with HTTP 503');
    const b = errorSignature(
      'DownloadError',
      'Download of https://b.example/video/2.mp4 failed with HTTP 502',
    );
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(b).toBe(a);
    expect(
      errorSignature('TimeoutError', 'Download of https://a.example/1.mp4 failed with HTTP 503'),
    ).not.toBe(a);
    expect(
      errorSignature('DownloadError', 'Upload of https://a.example/1.mp4 failed with HTTP 503'),
    ).not.toBe(a);
  });

  it('treats a missing code as UNKNOWN and a missing message as empty (legacy failures)', () => {
    expect(errorCodeOf(undefined)).toBe('UNKNOWN');
    expect(errorCodeOf('  ')).toBe('UNKNOWN');
    expect(errorSignature(undefined, undefined)).toBe(errorSignature('UNKNOWN', ''));
    expect(normaliseErrorMessage(null)).toBe('');
    // What legacy writers leave where a message belongs: not text.
    expect(normaliseErrorMessage(503)).toBe('<n>');
    expect(normaliseErrorMessage({ reason: 'x' })).toBe('{"reason":"x"}');
    expect(errorSignature(42, ['a'])).toMatch(/^[0-9a-f]{16}$/);
  });

  it('keeps the first line of a message, cut to 300 characters when normalised', () => {
    expect(firstLineOf('first\r\nsecond')).toBe('first');
    expect(normaliseErrorMessage('x'.repeat(1000))).toHaveLength(300);
  });
});
