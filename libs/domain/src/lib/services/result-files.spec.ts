import { filesNamedByResults, isInOutputLocation, markdownLinks, normalizeResultPath, resolveLink } from './result-files';

describe('result files: what a job names and where it may put it', () => {
  it('normalizes stored spellings and refuses what leaves the root or is a web address', () => {
    expect(normalizeResultPath('./sessions/a/de/x.md')).toBe('sessions/a/de/x.md');
    expect(normalizeResultPath('/sessions/a/de/./y/../x.md')).toBe('sessions/a/de/x.md');
    for (const bad of ['', '..', '../x', 'sessions/../../x', 'https://example.org/x.png', '//host/x', 'C:\\\\x']) {
      expect({ bad, path: normalizeResultPath(bad) }).toEqual({ bad, path: null });
    }
  });

  it('finds inline, reference and HTML links of a markdown text, resolved against its folder', () => {
    const markdown = [
      '![slide](assets/talk/slide%201.png "title")',
      '[notes](<assets/talk/notes.pdf>)',
      '[ref]: ./assets/talk/ref.png',
      '<img src="assets/talk/html.png"> <a href="https://example.org/x">web</a> [a](#top)',
      '[route](/api/event-job/files/sessions/e/de/other.md) [root](/etc/passwd) [up](../../../../x)',
    ].join('\n');
    expect(markdownLinks(markdown)).toHaveLength(9);
    const { linked } = filesNamedByResults({ markdown_file: 'sessions/e/de/talk.md', markdown_content: markdown });
    expect(linked.sort()).toEqual([
      'sessions/e/de/assets/talk/html.png',
      'sessions/e/de/assets/talk/notes.pdf',
      'sessions/e/de/assets/talk/ref.png',
      'sessions/e/de/assets/talk/slide 1.png',
      'sessions/e/de/other.md',
    ]);
    expect(resolveLink('sessions/e/de/talk.md', '%E0%A4%A')).toBeNull();
  });

  it('names the markdown file and string assets by field; odd legacy shapes are skipped', () => {
    const { named } = filesNamedByResults({ markdown_file: 'sessions/e/de/a.md', assets: ['sessions/e/de/b.png', 7 as never, '../x'] });
    expect(named).toEqual([
      { field: 'results.markdown_file', path: 'sessions/e/de/a.md' },
      { field: 'results.assets.0', path: 'sessions/e/de/b.png' },
      { field: 'results.assets.2', path: null },
    ]);
  });

  it('a job writes under sessions/<event>/<language>/, its attachments only in assets/<its markdown name>/', () => {
    const parameters = { event: 'FOSDEM 2025', target_language: 'de' };
    const markdown = 'sessions/FOSDEM_2025/de/opening.md';
    expect(isInOutputLocation(markdown, parameters, markdown)).toBe(true);
    expect(isInOutputLocation('sessions/fosdem-2025/de/x.png', parameters, markdown)).toBe(true);
    expect(isInOutputLocation('sessions/FOSDEM_2025/de/assets/opening/a.png', parameters, markdown)).toBe(true);
    expect(isInOutputLocation('sessions/FOSDEM_2025/de/assets/closing/a.png', parameters, markdown)).toBe(false);
    expect(isInOutputLocation('sessions/FOSDEM_2025/fr/x.md', parameters, markdown)).toBe(false);
    expect(isInOutputLocation('sessions/FOSDEM_2024/de/x.md', parameters, markdown)).toBe(false);
    expect(isInOutputLocation('sessions/FOSDEM_2025/de', parameters, markdown)).toBe(false);
    expect(isInOutputLocation('other/FOSDEM_2025/de/x.md', parameters, markdown)).toBe(false);
    expect(isInOutputLocation('sessions/Événement/de/x.md', { event: 'evenement' }, null)).toBe(true);
    expect(isInOutputLocation('sessions/event/de/x.md', {}, null)).toBe(true);
    expect(isInOutputLocation('sessions/event/de/x.md', { event: '東京会議' }, null)).toBe(true);
    expect(isInOutputLocation('sessions/東京会議/de/x.md', { event: '東京会議' }, null)).toBe(true);
    expect(isInOutputLocation('sessions/event/de/x.md', { event: 'FOSDEM' }, null)).toBe(false);
  });
});
