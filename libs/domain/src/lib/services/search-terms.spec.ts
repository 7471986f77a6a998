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

  it('keeps generated ids whole: their hex parts are no words a number search would match', () => {
    const jobId = 'job-0a3f9c2e-5b1d-4e6f-8a7b-0c1d2e3f4a5b';
    const batchId = 'batch-01b2c3d4-0000-4000-8000-000000000000';
    const terms = searchTermsOf({ job_id: jobId, batch_id: batchId, job_name: 'Talk 07' });
    expect(terms).toEqual(expect.arrayContaining([jobId, batchId, 'talk', '07']));
    expect(terms.filter((term) => term.startsWith('0'))).toEqual(['07']);
    // A typed id, whole or its start, is one prefix term; "Talk 0" stays two words.
    expect(queryWordsOf('JOB-0A3F9C2E')).toEqual(['job-0a3f9c2e']);
    expect(queryWordsOf(`${jobId} talk`)).toEqual([jobId, 'talk']);
    expect(queryWordsOf('Talk 0')).toEqual(['talk', '0']);
    // A client-chosen batch id is split into its words.
    expect(searchTermsOf({ batch_id: 'conf-2024-day1' })).toEqual(['2024', 'conf', 'day1']);
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
