import { lookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { randomBytes } from 'node:crypto';
import ipaddr from 'ipaddr.js';
import { Webhook } from 'standardwebhooks';

/**
 * Sending one webhook request (issue 20 item 6), signed as Standard Webhooks specify
 * (https://www.standardwebhooks.com): `webhook-id` (the delivery id, the same on every retry),
 * `webhook-timestamp` (seconds) and `webhook-signature` (`v1,<base64 HMAC-SHA256 of
 * "<id>.<timestamp>.<body>">` keyed with the secret's bytes). The `standardwebhooks` package signs;
 * receivers verify with it or any Standard Webhooks library.
 *
 * Server-side request forgery: a subscriber names the address this server calls. Unless allowed
 * (admins' subscriptions, or the installation's setting), every address the host name resolves to
 * must be a public unicast address: loopback, private, link-local (cloud metadata), unique-local
 * and reserved ranges are refused. The check runs in the connection's own DNS lookup, so a name
 * that resolves differently between a check and the connect (DNS rebinding) cannot slip through;
 * redirects are not followed (a 3xx is a failed try).
 */

/** A new signing secret: `whsec_` and 32 random bytes in base64 (the Standard Webhooks form). */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** Whether an IP address is a public unicast one (an IPv4-mapped IPv6 address is judged as IPv4). */
export function isPublicAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '');
  if (!ipaddr.isValid(bare)) return false;
  let parsed: ipaddr.IPv4 | ipaddr.IPv6 = ipaddr.parse(bare);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  return parsed.range() === 'unicast';
}

/** Why a URL's host (an IP literal) is refused, or undefined (a name is checked when it is resolved). */
export function refusedLiteral(url: string): string | undefined {
  // `localhost.` is `localhost` (a fully qualified name ends in a dot).
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '').replace(/\.+$/, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return `${host} is a loopback name`;
  if (!ipaddr.isValid(host)) return undefined;
  return isPublicAddress(host) ? undefined : `${host} is a private, loopback or reserved address`;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

function publicOnlyLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, '');
    const refused = addresses.find((entry) => !isPublicAddress(entry.address));
    if (refused) {
      const error: NodeJS.ErrnoException = new Error(`${hostname} resolves to ${refused.address}, a private, loopback or reserved address`);
      error.code = 'EADDRNOTALLOWED';
      return callback(error, '');
    }
    if (options.all) return callback(null, addresses);
    const first = addresses[0];
    if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '');
    callback(null, first.address, first.family);
  });
}

export interface WebhookTry {
  status_code?: number;
  error?: string;
  duration_ms: number;
}

export interface WebhookRequest {
  url: string;
  secret: string;
  /** The delivery id (`webhook-id`). */
  id: string;
  body: string;
  at: Date;
  timeoutMs: number;
  /** Loopback and private targets allowed (admins' subscriptions, or the installation allows them). */
  allowPrivate: boolean;
}

/** The headers of a signed request. */
export function signedHeaders(request: Pick<WebhookRequest, 'secret' | 'id' | 'body' | 'at'>): Record<string, string> {
  const seconds = Math.floor(request.at.getTime() / 1000);
  return {
    'content-type': 'application/json',
    'user-agent': 'EventMonitor-Webhooks/1',
    'webhook-id': request.id,
    'webhook-timestamp': String(seconds),
    'webhook-signature': new Webhook(request.secret).sign(request.id, new Date(seconds * 1000), request.body),
  };
}

/** One try: the status code of the answer, or the error (refused target, DNS, connect, timeout). */
export function sendWebhook(request: WebhookRequest): Promise<WebhookTry> {
  const started = Date.now();
  const done = (result: Omit<WebhookTry, 'duration_ms'>): WebhookTry => ({ ...result, duration_ms: Math.max(0, Date.now() - started) });
  let target: URL;
  try {
    target = new URL(request.url);
  } catch {
    return Promise.resolve(done({ error: 'not a valid URL' }));
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') return Promise.resolve(done({ error: 'only http and https are allowed' }));
  if (!request.allowPrivate) {
    const refused = refusedLiteral(request.url);
    if (refused) return Promise.resolve(done({ error: `target not allowed: ${refused}` }));
  }
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<WebhookTry>((resolve) => {
    let settled = false;
    // One deadline for the whole try: name lookup, connect, and the answer.
    const deadline = setTimeout(() => req.destroy(new Error(`no answer within ${request.timeoutMs} ms`)), request.timeoutMs);
    const finish = (result: Omit<WebhookTry, 'duration_ms'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve(done(result));
    };
    const req = send(
      target,
      {
        method: 'POST',
        headers: { ...signedHeaders(request), 'content-length': String(Buffer.byteLength(request.body)) },
        ...(request.allowPrivate ? {} : { lookup: publicOnlyLookup as never }),
      },
      (res: IncomingMessage) => {
        // The body is not kept (a receiver's answer is not ours to store); it is read to free the socket.
        res.resume();
        res.on('end', () => finish({ status_code: res.statusCode ?? 0 }));
        res.on('error', () => finish({ status_code: res.statusCode ?? 0 }));
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) => {
      const message = err.code === 'EADDRNOTALLOWED' ? `target not allowed: ${err.message}` : err.message || err.code || 'request failed';
      finish({ error: message.slice(0, 300) });
    });
    req.end(request.body);
  });
}
