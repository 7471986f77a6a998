import { de } from './de';
import { en } from './en';

describe('plural forms', () => {
  it('says "1 job" and "2 jobs" in English', () => {
    expect(en.batch.restarted(1)).toBe('1 job restarted');
    expect(en.batch.restarted(2)).toBe('2 jobs restarted');
    expect(en.createBatch.created('B', 1)).toBe('Batch "B" created with 1 job');
    expect(en.jobs.deleteSelectedTitle(1)).toBe('Delete 1 job?');
    expect(en.createBatch.importDone(0)).toBe('0 rows imported');
  });

  it('says "1 Job" and "2 Jobs" in German', () => {
    expect(de.batch.restarted(1)).toBe('1 Job neu gestartet');
    expect(de.batch.restarted(3)).toBe('3 Jobs neu gestartet');
    expect(de.createBatch.importDone(1)).toBe('1 Zeile importiert');
    expect(de.form.rowsTable(1000)).toBe('1000 Zeilen');
  });
});
