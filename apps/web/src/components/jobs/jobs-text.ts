'use client';

import { useI18n } from '../../client/i18n/i18n-provider';
import type { Locale } from '../../client/i18n/dictionaries';

// The /jobs page's texts live with the page, not in the shared dictionaries: those are in every
// route's first load, and /event-monitor is at its 250 KB budget (docs/performance.md).
const en = {
  title: 'All jobs',
  subtitle: 'Every job you may see, across batches, newest first. Press Enter on an id to open it.',
  search: 'Search jobs',
  searchPlaceholder: 'Words of name, id, URL, parameters, error or result; or a job / batch id',
  type: 'Job type',
  language: 'Target language',
  allLanguages: 'All languages',
  owner: 'Owner (user id)',
  from: 'Created from',
  to: 'Created until',
  clear: 'Clear filters',
  opening: 'Opening…',
  notFound: (id: string) => `No job or batch with the id “${id}” that you may see.`,
  notFoundHint: 'The list below shows the jobs whose words match instead.',
};

type JobsText = typeof en;

const de: JobsText = {
  title: 'Alle Jobs',
  subtitle: 'Alle Jobs, die Sie sehen dürfen, über alle Batches, neueste zuerst. Enter auf einer ID öffnet sie.',
  search: 'Jobs durchsuchen',
  searchPlaceholder: 'Wörter aus Name, ID, URL, Parametern, Fehler oder Ergebnis; oder eine Job-/Batch-ID',
  type: 'Job-Typ',
  language: 'Zielsprache',
  allLanguages: 'Alle Sprachen',
  owner: 'Besitzer (Benutzer-ID)',
  from: 'Erstellt ab',
  to: 'Erstellt bis',
  clear: 'Filter zurücksetzen',
  opening: 'Wird geöffnet…',
  notFound: (id: string) => `Kein Job und kein Batch mit der ID „${id}“, die Sie sehen dürfen.`,
  notFoundHint: 'Die Liste unten zeigt stattdessen die Jobs, deren Wörter passen.',
};

const TEXT: Record<Locale, JobsText> = { en, de };

/** The /jobs page's texts in the current language. */
export function useJobsText(): JobsText {
  return TEXT[useI18n().locale];
}
