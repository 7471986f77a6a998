import { findLeak } from './hardening';

describe('findLeak', () => {
  it('finds a secret and a stack frame, raw or inside a JSON log line', () => {
    expect(findLeak('token em_abcdefgh1234 in a line', ['em_abcdefgh1234'])).toMatch(/secret/);
    expect(findLeak('Error: boom\n    at handler (/app/route.js:12:5)', [])).toMatch(/stack frame/);
    expect(findLeak('{"stack":"Error: boom\\n    at async Promise.all (index 0)\\n    at run (/x.js:1:2)"}', [])).toMatch(/stack frame/);
  });

  it('lets ordinary answers and log lines through', () => {
    expect(findLeak('{"status":"error","message":"Batch at 10:30 not found"}', ['em_abcdefgh1234'])).toBeNull();
    expect(findLeak('✓ Ready in 743ms\n- Local: http://127.0.0.1:3000', [])).toBeNull();
  });
});
