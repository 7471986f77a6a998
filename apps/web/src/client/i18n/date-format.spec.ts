import { dateTimeFormat } from './date-format';

const afternoon = new Date('2026-12-03T14:05:07Z');
const afterMidnight = new Date('2026-12-03T00:05:07Z');

describe('dateTimeFormat', () => {
  it('gives German times in 24 hours, 00 to 23, for log times and dates with times', () => {
    const time = dateTimeFormat('de', { timeStyle: 'medium', timeZone: 'UTC' });
    expect(time.resolvedOptions().hourCycle).toBe('h23');
    expect(time.format(afternoon)).toBe('14:05:07');
    expect(time.format(afterMidnight)).toBe('00:05:07');
    const dateTime = dateTimeFormat('de', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
    expect(dateTime.format(afternoon)).toBe('03.12.2026, 14:05');
    expect(dateTimeFormat('de', { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' }).format(afterMidnight)).toBe('00:05');
  });

  it('keeps the English default', () => {
    expect(dateTimeFormat('en', { timeStyle: 'medium', timeZone: 'UTC' }).format(afternoon)).toBe('14:05:07');
    expect(dateTimeFormat('en', { dateStyle: 'medium', timeZone: 'UTC' }).format(afternoon)).toBe('3 Dec 2026');
  });
});
