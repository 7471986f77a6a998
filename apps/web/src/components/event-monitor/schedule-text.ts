'use client';

import { useI18n } from '../../client/i18n/i18n-provider';
import type { Locale } from '../../client/i18n/dictionaries';

// The schedule dialog's texts live with the batch page, not in the shared dictionaries: those are in
// every route's first load, and /event-monitor is at its 250 KB budget (docs/performance.md).
const en = {
  open: 'Schedule',
  title: (name: string) => `Schedule of “${name}”`,
  description:
    'No worker is handed a job of this batch before its start time (legacy workers ignore it). The deadline only warns: the batch shows whether it will make it. Jobs already running keep running.',
  notBefore: 'Start at',
  deadline: 'Deadline',
  timeZone: (zone: string) => `Times are in your time zone, ${zone}.`,
  clear: 'Clear',
  clearField: (field: string) => `Clear ${field.toLowerCase()}`,
  notSet: 'Not set: leave empty for none.',
  save: 'Save schedule',
  saved: 'Schedule saved',
  refused: 'The schedule was not saved',
  deadlineInPast: 'The deadline must lie in the future.',
  deadlineBeforeStart: 'The deadline must be after the start time.',
  invalidDate: 'Not a date between the years 2000 and 9999.',
};

type ScheduleText = typeof en;

const de: ScheduleText = {
  open: 'Zeitplan',
  title: (name: string) => `Zeitplan von „${name}“`,
  description:
    'Vor der Startzeit bekommt kein Worker einen Job dieses Batches (Legacy-Worker beachten sie nicht). Die Frist warnt nur: der Batch zeigt, ob er sie schafft. Laufende Jobs laufen weiter.',
  notBefore: 'Start ab',
  deadline: 'Frist',
  timeZone: (zone: string) => `Zeiten in Ihrer Zeitzone, ${zone}.`,
  clear: 'Leeren',
  clearField: (field: string) => `${field} leeren`,
  notSet: 'Nicht gesetzt: leer lassen für keine.',
  save: 'Zeitplan speichern',
  saved: 'Zeitplan gespeichert',
  refused: 'Der Zeitplan wurde nicht gespeichert',
  deadlineInPast: 'Die Frist muss in der Zukunft liegen.',
  deadlineBeforeStart: 'Die Frist muss nach der Startzeit liegen.',
  invalidDate: 'Kein Datum zwischen den Jahren 2000 und 9999.',
};

const TEXT: Record<Locale, ScheduleText> = { en, de };

/** The schedule dialog's texts in the current language. */
export function useScheduleText(): ScheduleText {
  return TEXT[useI18n().locale];
}
