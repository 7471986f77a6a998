'use client';

import type { createApiReference } from '@scalar/api-reference';
import { useTheme } from 'next-themes';
import { useEffect, useRef, useState } from 'react';

/** Where the REST adapter serves the OpenAPI document (the route `openApiDocument`). */
export const OPENAPI_URL = '/api/event-job/openapi.json';

/** Scalar's browser bundle, served by app/api-docs/scalar.js/route.ts. */
const SCALAR_SCRIPT = '/api-docs/scalar.js';

type ScalarInstance = ReturnType<typeof createApiReference>;
type ScalarConfiguration = Parameters<typeof createApiReference>[1];

declare global {
  interface Window {
    Scalar?: { createApiReference: typeof createApiReference };
  }
}

let loading: Promise<NonNullable<Window['Scalar']>> | null = null;

/**
 * Loads Scalar's script once per page load. Added by this (trusted) script, so the page's
 * 'strict-dynamic' CSP runs it without a nonce; it injects its own stylesheet.
 */
function loadScalar(): Promise<NonNullable<Window['Scalar']>> {
  if (window.Scalar) return Promise.resolve(window.Scalar);
  loading ??= new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = SCALAR_SCRIPT;
    script.async = true;
    script.onload = () => (window.Scalar ? resolve(window.Scalar) : reject(new Error('Scalar did not load')));
    script.onerror = () => {
      loading = null;
      script.remove();
      reject(new Error(`${SCALAR_SCRIPT} did not load`));
    };
    document.head.append(script);
  });
  return loading;
}

function configurationFor(dark: boolean): ScalarConfiguration {
  return {
    url: OPENAPI_URL,
    // The document's server is "/", which Scalar joins to "//api/...": name this origin instead.
    servers: [{ url: window.location.origin, description: 'This server' }],
    // The "Open API Client" buttons lead to client.scalar.com: not ours, not offline.
    hideClientButton: true,
    withDefaultFonts: false,
    telemetry: false,
    persistAuth: false,
    agent: { disabled: true },
    mcp: { disabled: true },
    showDeveloperTools: 'never',
    hideDarkModeToggle: true,
    forceDarkModeState: dark ? 'dark' : 'light',
    documentDownloadType: 'json',
    authentication: { preferredSecurityScheme: 'bearer' },
  };
}

/**
 * Scalar's API reference of our OpenAPI document, with its "try it" client: requests go to this
 * origin with the bearer token the user pastes. Everything comes from this server: no fonts or
 * scripts from a CDN, no telemetry, no AI agent or MCP, no proxy. Only /api-docs renders it, and
 * Scalar's code is fetched only then (a script of its own, outside our bundle).
 */
export function ScalarReference() {
  const { resolvedTheme } = useTheme();
  const dark = resolvedTheme === 'dark';
  const mount = useRef<HTMLDivElement>(null);
  const [instance, setInstance] = useState<ScalarInstance | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let created: ScalarInstance | null = null;
    let cancelled = false;
    loadScalar().then(
      (scalar) => {
        if (cancelled || !mount.current) return;
        created = scalar.createApiReference(mount.current, configurationFor(dark));
        setInstance(created);
      },
      () => !cancelled && setFailed(true),
    );
    return () => {
      cancelled = true;
      created?.destroy();
    };
    // Created once, with the theme of the first render; later themes go through updateConfiguration.
  }, []);

  useEffect(() => {
    instance?.updateConfiguration(configurationFor(dark));
  }, [instance, dark]);

  return (
    <>
      {instance ? null : (
        <p className="text-muted-foreground px-4 py-6 text-sm" aria-busy={!failed}>
          {failed ? 'The interactive reference did not load: use the static reference.' : 'Loading the API reference…'}
        </p>
      )}
      <div ref={mount} />
    </>
  );
}
