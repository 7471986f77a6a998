'use client';

import type { ReactNode } from 'react';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { cn } from '@event-monitor/ui';
import { useI18n } from '../../client/i18n/i18n-provider';

export function AdminNav() {
  const { t } = useI18n();
  const pathname = usePathname();
  const links = [
    { href: '/admin/users', label: t.nav.users },
    { href: '/admin/tokens', label: t.nav.tokens },
    { href: '/admin/audit', label: t.nav.audit },
    { href: '/admin/retention', label: t.nav.retention },
  ];
  return (
    <nav aria-label={t.nav.admin} className="bg-muted flex w-fit max-w-full flex-wrap gap-0.5 rounded-lg p-1">
      {links.map((link) => (
        <Link
          key={link.href}
          href={link.href}
          aria-current={pathname === link.href ? 'page' : undefined}
          className={cn(
            'focus-visible:ring-ring/50 rounded-md px-3 py-1 text-sm font-medium outline-none focus-visible:ring-[3px]',
            pathname === link.href
              ? 'bg-background shadow-sm'
              : 'text-muted-foreground hover:text-foreground',
          )}
        >
          {link.label}
        </Link>
      ))}
    </nav>
  );
}

/** The top of every admin page: the admin tabs, the page's title and description, and its action. */
export function AdminPageHeader({
  title,
  description,
  action,
}: {
  title: string;
  description: string;
  action?: ReactNode;
}) {
  return (
    <>
      <AdminNav />
      <div className="flex flex-col gap-3 sm:flex-row sm:items-end sm:justify-between">
        <div>
          <h1 className="text-2xl font-bold tracking-tight">{title}</h1>
          <p className="text-muted-foreground text-sm">{description}</p>
        </div>
        {action}
      </div>
    </>
  );
}
