import { displayValue, jobDuration, resultFiles } from './job-format';

describe('resultFiles: whatever a legacy worker stored renders', () => {
  it('links string paths and shows other values as text without a link', () => {
    const files = resultFiles({
      markdown_file: 42,
      assets: ['sessions/e/de/assets/a/x.png', 7, { path: 'p' }, null, ['nested.png', [false]], '', undefined],
      markdown_content: '# Title',
    });
    expect(files.markdownFile).toEqual({ label: '42', href: null });
    expect(files.assets).toEqual([
      { label: 'sessions/e/de/assets/a/x.png', href: '/api/event-job/files/sessions/e/de/assets/a/x.png' },
      { label: '7', href: null },
      { label: '{"path":"p"}', href: null },
      { label: 'nested.png', href: '/api/event-job/files/nested.png' },
      { label: 'false', href: null },
    ]);
    expect(files.markdownContent).toBe('# Title');
  });

  it('takes odd containers: no results, an array, a string asset, non-string markdown content', () => {
    for (const results of [undefined, null, 'text', 3, [], ['a.md']]) {
      expect(resultFiles(results)).toEqual({ markdownFile: null, assets: [], markdownContent: null });
    }
    expect(resultFiles({ assets: 'single.png', markdown_file: { a: 1 }, markdown_content: { text: 'x' } })).toEqual({
      markdownFile: { label: '{"a":1}', href: null },
      assets: [{ label: 'single.png', href: '/api/event-job/files/single.png' }],
      markdownContent: '{"text":"x"}',
    });
    expect(resultFiles({ markdown_file: null, assets: [null, ''], markdown_content: '' })).toEqual({
      markdownFile: null,
      assets: [],
      markdownContent: null,
    });
  });

  it('shortens huge values and survives values JSON cannot write', () => {
    expect(displayValue({ long: 'x'.repeat(1000) })).toHaveLength(301);
    const circular: Record<string, unknown> = {};
    circular['self'] = circular;
    expect(displayValue(circular)).toBe('[object Object]');
    expect(displayValue(10n)).toBe('10');
  });
});

describe('jobDuration', () => {
  const started = '2026-12-02T10:00:00.000Z';
  it('needs now only for a running job, and renders a dash without it (server pass)', () => {
    expect(jobDuration({ status: 'processing', processing_started_at: started } as never, null)).toBe('—');
    expect(jobDuration({ status: 'processing', processing_started_at: started } as never, Date.parse(started) + 65_000)).toBe('1 min 05 s');
    expect(jobDuration({ status: 'completed', processing_started_at: started, completed_at: '2026-12-02T11:02:00.000Z' } as never, null)).toBe(
      '1 h 02 min',
    );
  });
});
