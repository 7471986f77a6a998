import { trpcEndpoint } from './client';

describe('trpcEndpoint', () => {
  it('appends the tRPC path to a server URL unless it is there', () => {
    expect(trpcEndpoint('http://h:3000')).toBe('http://h:3000/api/trpc');
    expect(trpcEndpoint(' http://h:3000/ ')).toBe('http://h:3000/api/trpc');
    expect(trpcEndpoint('https://h/base/api/trpc/')).toBe('https://h/base/api/trpc');
  });
});
