'use client';

import { ApiReferenceReact } from '@scalar/api-reference-react';
import { useTheme } from 'next-themes';
import { useMemo } from 'react';

/** Where the REST adapter serves the OpenAPI document (the route `openApiDocument`). */
export const OPENAPI_URL = '/api/event-job/openapi.json';

/**
 * Scalar's API reference of our OpenAPI document, with its "try it" client: requests go to this
 * origin with the bearer token the user pastes. Everything comes
 * from our bundle: no fonts or scripts from a CDN, no telemetry, no AI agent or MCP, no proxy.
 * Loaded only by /api-docs (next/dynamic), so no other page carries it; its stylesheet comes from
 * /api-docs/scalar.css (app/api-docs/scalar.css/route.ts).
 */
export default function ScalarReference() {
  const { resolvedTheme } = useTheme();
  const dark = resolvedTheme === 'dark';
  const configuration = useMemo(
    () => ({
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
      showDeveloperTools: 'never' as const,
      hideDarkModeToggle: true,
      forceDarkModeState: dark ? ('dark' as const) : ('light' as const),
      documentDownloadType: 'json' as const,
      authentication: { preferredSecurityScheme: 'bearer' },
    }),
    [dark],
  );
  return <ApiReferenceReact configuration={configuration} />;
}
