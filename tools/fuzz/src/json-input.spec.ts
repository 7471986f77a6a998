import { findJsonInputProblem, MAX_JSON_DEPTH } from '@event-monitor/contracts';

function nested(levels: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
}

describe('findJsonInputProblem', () => {
  it('accepts ordinary input, dots in keys, emoji, right-to-left marks and newlines', () => {
    expect(findJsonInputProblem({ jobs: [{ parameters: { speakers: ['Ada 😀', '\u202eevil'] } }], context: { 'a.b': 'x\ny' } })).toBeNull();
    expect(findJsonInputProblem(nested(MAX_JSON_DEPTH))).toBeNull();
  });

  it('refuses operator keys, NUL and lone surrogates, naming the field', () => {
    expect(findJsonInputProblem({ results: { context: { $where: 'sleep(1)' } } })).toEqual({
      path: 'results.context.$where',
      message: 'Keys must not start with $',
    });
    expect(findJsonInputProblem({ batch_name: 'a\u0000b' })?.path).toBe('batch_name');
    expect(findJsonInputProblem({ context: { 'a\u0000b': 1 } })?.path).toBe('context.a\\0b');
    expect(findJsonInputProblem({ jobs: [{ parameters: { event: 'x\ud800' } }] })?.path).toBe('jobs.0.parameters.event');
  });

  it('refuses 10,000 levels of nesting without overflowing the stack', () => {
    expect(findJsonInputProblem(nested(10_000))).toEqual({ path: 'a.a.a', message: `Nested deeper than ${MAX_JSON_DEPTH} levels` });
    expect(findJsonInputProblem(JSON.parse('['.repeat(10_000) + ']'.repeat(10_000)))?.message).toMatch(/deeper/);
  });
});
