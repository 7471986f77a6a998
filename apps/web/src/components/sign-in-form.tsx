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

/** Email + password against better-auth (POST /api/auth/sign-in/email); the session is a cookie. */
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
        setError(response.status === 401 || response.status === 400 ? t.signIn.failed : t.signIn.error);
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
        <form className="flex flex-col gap-4" onSubmit={(e) => void onSubmit(e)}>
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
