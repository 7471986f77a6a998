'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { ActivityIcon, Loader2Icon } from 'lucide-react';
import {
  Alert,
  AlertDescription,
  Button,
  Card,
  CardContent,
  CardDescription,
  CardHeader,
  CardTitle,
  Input,
  Label,
} from '@event-monitor/ui';
import { useI18n } from '../client/i18n/i18n-provider';

/** better-auth's answer for a deactivated account (libs/auth DEACTIVATED_CODE; not imported: server code). */
const DEACTIVATED_CODE = 'ACCOUNT_DEACTIVATED';

type SignInTexts = ReturnType<typeof useI18n>['t']['signIn'];

/** What the user can do about a refused sign-in: the real reason, not "failed". */
async function refusalMessage(response: Response, texts: SignInTexts): Promise<string> {
  if (response.status === 401 || response.status === 400) return texts.failed;
  const body = (await response.json().catch(() => null)) as { code?: unknown; message?: unknown } | null;
  if (response.status === 403 && body?.code === DEACTIVATED_CODE) return texts.deactivated;
  if (response.status === 403 && body?.code === 'INVALID_ORIGIN') return texts.untrustedOrigin(window.location.origin);
  if (response.status === 429) {
    return texts.tooMany(typeof body?.message === 'string' ? body.message : '');
  }
  return texts.error;
}

/**
 * Email + password against better-auth (POST /api/auth/sign-in/email); the session is a cookie.
 * The form itself posts to this page: before the scripts run (or without them) a submit must not
 * put the password in a URL, as a form without a method would (GET /sign-in?password=...).
 */
export function SignInForm() {
  const { t } = useI18n();
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    try {
      const response = await fetch('/api/auth/sign-in/email', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: form.get('email'), password: form.get('password') }),
      });
      if (!response.ok) {
        setError(await refusalMessage(response, t.signIn));
        setPending(false);
        return;
      }
      router.replace('/event-monitor');
      router.refresh();
    } catch {
      setError(t.signIn.error);
      setPending(false);
    }
  };

  return (
    <Card className="w-full max-w-sm">
      <CardHeader>
        <div className="mb-2 flex items-center gap-2 font-semibold">
          <ActivityIcon aria-hidden="true" className="size-5" />
          {t.app.name}
        </div>
        <CardTitle>
          <h1 className="text-xl">{t.signIn.title}</h1>
        </CardTitle>
        <CardDescription>{t.signIn.description}</CardDescription>
      </CardHeader>
      <CardContent>
        <form method="post" action="/sign-in" className="flex flex-col gap-4" onSubmit={(e) => void onSubmit(e)}>
          {error ? (
            <Alert variant="destructive" role="alert">
              <AlertDescription>{error}</AlertDescription>
            </Alert>
          ) : null}
          <div className="flex flex-col gap-2">
            <Label htmlFor="email">{t.signIn.email}</Label>
            <Input id="email" name="email" type="email" autoComplete="username" required autoFocus />
          </div>
          <div className="flex flex-col gap-2">
            <Label htmlFor="password">{t.signIn.password}</Label>
            <Input id="password" name="password" type="password" autoComplete="current-password" required />
          </div>
          <Button type="submit" disabled={pending}>
            {pending ? <Loader2Icon aria-hidden="true" className="animate-spin" /> : null}
            {t.signIn.submit}
          </Button>
        </form>
      </CardContent>
    </Card>
  );
}
