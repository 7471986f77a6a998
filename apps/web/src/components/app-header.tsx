'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { ActivityIcon, LanguagesIcon, LogOutIcon, UserIcon } from 'lucide-react';
import {
  Button,
  cn,
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuRadioGroup,
  DropdownMenuRadioItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
  ThemeToggle,
} from '@event-monitor/ui';
import { useI18n } from '../client/i18n/i18n-provider';
import { isLocale, LOCALES } from '../client/i18n/dictionaries';
import { useSessionUser } from '../client/session-context';
import { useSignOut } from '../client/sign-out';

/** The language switcher: sets the cookie that wins over the browser's language. */
export function LanguageSwitch() {
  const { t, locale, setLocale } = useI18n();
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="ghost" size="icon" aria-label={`${t.language.label}: ${t.language[locale]}`}>
          <LanguagesIcon aria-hidden="true" />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end">
        <DropdownMenuLabel>{t.language.label}</DropdownMenuLabel>
        <DropdownMenuRadioGroup value={locale} onValueChange={(value) => isLocale(value) && setLocale(value)}>
          {LOCALES.map((code) => (
            <DropdownMenuRadioItem key={code} value={code} lang={code}>
              {t.language[code]}
            </DropdownMenuRadioItem>
          ))}
        </DropdownMenuRadioGroup>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}

function UserMenu() {
  const { t } = useI18n();
  const user = useSessionUser();
  const { signingOut, signOut } = useSignOut();

  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="ghost" size="icon" aria-label={t.user.menu}>
          <UserIcon aria-hidden="true" />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end" className="min-w-56">
        <DropdownMenuLabel className="flex flex-col gap-0.5">
          <span className="truncate">{user.name ?? user.email}</span>
          {user.email && user.name ? (
            <span className="text-muted-foreground truncate text-xs font-normal">{user.email}</span>
          ) : null}
          <span className="text-muted-foreground text-xs font-normal">{t.user.role[user.role]}</span>
        </DropdownMenuLabel>
        <DropdownMenuSeparator />
        <DropdownMenuItem asChild>
          <Link href="/notifications">{t.nav.notifications}</Link>
        </DropdownMenuItem>
        <DropdownMenuItem asChild>
          <Link href="/status">{t.nav.status}</Link>
        </DropdownMenuItem>
        <DropdownMenuItem asChild>
          <Link href="/api-docs">{t.nav.apiDocs}</Link>
        </DropdownMenuItem>
        <DropdownMenuItem disabled={signingOut} onSelect={() => void signOut()}>
          <LogOutIcon aria-hidden="true" />
          {t.user.signOut}
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}

/** The app shell's header: product, navigation, theme, language, user. */
export function AppHeader() {
  const { t } = useI18n();
  const user = useSessionUser();
  const pathname = usePathname();
  const links = [
    { href: '/event-monitor', section: '/event-monitor', label: t.nav.eventMonitor },
    { href: '/jobs', section: '/jobs', label: t.nav.jobs },
    { href: '/workers', section: '/workers', label: t.nav.workers },
    { href: '/metrics', section: '/metrics', label: t.nav.metrics },
    { href: '/failures', section: '/failures', label: t.triage.nav },
    { href: '/notifications', section: '/notifications', label: t.nav.notifications },
    ...(user.role === 'admin' ? [{ href: '/admin/users', section: '/admin', label: t.nav.admin }] : []),
  ];
  const isActive = (section: string) => pathname === section || pathname.startsWith(`${section}/`);

  return (
    <header className="bg-background/95 supports-[backdrop-filter]:bg-background/80 sticky top-0 z-40 border-b backdrop-blur">
      {/* Below sm the navigation wraps onto its own full-width row(s): every entry stays visible. */}
      <div className="mx-auto flex min-h-14 max-w-7xl flex-wrap items-center gap-x-2 gap-y-1 px-3 py-1.5 sm:gap-x-4 sm:px-6 sm:py-0">
        <Link
          href="/event-monitor"
          className="focus-visible:ring-ring/50 flex items-center gap-2 rounded-md font-semibold outline-none focus-visible:ring-[3px]"
        >
          <ActivityIcon aria-hidden="true" className="text-primary size-5" />
          <span className="hidden sm:inline">{t.app.name}</span>
        </Link>
        <nav
          aria-label={t.nav.mainNav}
          className="order-last flex basis-full flex-wrap items-center gap-1 sm:order-none sm:flex-1 sm:basis-auto"
        >
          {links.map((link) => (
            <Link
              key={link.href}
              href={link.href}
              aria-current={isActive(link.section) ? 'page' : undefined}
              className={cn(
                'focus-visible:ring-ring/50 rounded-md px-2.5 py-1.5 text-sm font-medium whitespace-nowrap outline-none transition-colors focus-visible:ring-[3px]',
                isActive(link.section)
                  ? 'bg-accent text-accent-foreground'
                  : 'text-muted-foreground hover:text-foreground',
              )}
            >
              {link.label}
            </Link>
          ))}
        </nav>
        <div className="ml-auto flex items-center gap-0.5">
          <ThemeToggle
            aria-label={t.theme.toggle}
            labels={{ light: t.theme.light, dark: t.theme.dark, system: t.theme.system }}
          />
          <LanguageSwitch />
          <UserMenu />
        </div>
      </div>
    </header>
  );
}
