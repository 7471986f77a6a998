import { MAX_SEARCH_TERMS, queryWordsOf, searchFilterOf, searchTermsOf, wordsOf } from './search-terms';

describe('search terms', () => {
  it('splits on anything but letters and digits of any script, lower-cased', () => {
    expect(wordsOf('Émilie Du-Châtelet: ÜBER_2025 https://x.org/a?b=1')).toEqual(['émilie', 'du', 'châtelet', 'über', '2025', 'https', 'x', 'org', 'a', 'b', '1']);
  });

  it('indexes name, ids, type, every parameter, the error and result text, metadata first', () => {
    const terms = searchTermsOf({
      job_id: 'job-ab12',
      batch_id: 'batch-cd34',
      job_name: 'Keynote',
      job_type: 'transcribe',
      parameters: { url: 'https://talks.example.org/narwhal', speakers: ['Ada Lovelace'], use_cache: true },
      error: { code: 'FETCH_FAILED', message: 'Gateway timeout' },
      results: { markdown_content: 'Photosynthesis explained' },
    });
    expect(terms).toEqual(
      expect.arrayContaining(['job', 'ab12', 'batch', 'cd34', 'keynote', 'transcribe', 'talks', 'narwhal', 'lovelace', 'fetch', 'failed', 'gateway', 'photosynthesis']),
    );
    expect(terms).toEqual([...terms].sort());
  });

  it('caps the terms, cutting result text rather than metadata', () => {
    const text = Array.from({ length: 5000 }, (_, i) => `w${i}`).join(' ');
    const terms = searchTermsOf({ job_name: 'Zzname', results: { markdown_content: text } });
    expect(terms.length).toBe(MAX_SEARCH_TERMS);
    expect(terms).toContain('zzname');
  });

  it('a query is its distinct words, longest first, without words that start a longer one', () => {
    expect(queryWordsOf('key KEYNOTE zebra')).toEqual(['keynote', 'zebra']);
    expect(searchFilterOf('Zebra')).toEqual({ search_terms: { $regex: '^zebra' } });
    expect(searchFilterOf('a b')).toEqual({ $and: [{ search_terms: { $regex: '^a' } }, { search_terms: { $regex: '^b' } }] });
    expect(searchFilterOf('.*')).toEqual({ search_terms: { $in: [] } });
    expect(searchFilterOf(undefined)).toBeUndefined();
  });
});
