import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { SignInForm } from '../../src/components/sign-in-form';
import { getCurrentPrincipal } from '../../src/server/session';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Sign in' };

export default async function SignInPage() {
  if (await getCurrentPrincipal()) redirect('/event-monitor');
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-12">
      <SignInForm />
    </main>
  );
}
