// Plural forms by the language's own rules (Intl.PluralRules): "1 job", "2 jobs"; "1 Job", "2 Jobs".
const RULES = { en: new Intl.PluralRules('en'), de: new Intl.PluralRules('de') };

/** `n` and the noun in the form `n` takes in `locale` (`one` or `other`; both languages have only these two). */
export function count(locale: keyof typeof RULES, n: number, one: string, other: string): string {
  return `${n} ${RULES[locale].select(n) === 'one' ? one : other}`;
}
