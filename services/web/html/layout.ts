// The page shell: landmarks, a skip link, the signed-in user and what their
// roles open, the CSRF token for forms and fetches, and no inline script (the
// Content-Security-Policy allows only our own /static files).
import { homeLinks, type WebUser } from '../../../shared/access/access.ts';
import { html, type SafeHtml } from './html.ts';

export function page({ title, user, csrfToken, body, stream }: { title: string; user: WebUser | undefined; csrfToken?: string; body: SafeHtml; stream?: string }): string {
  const nav = user
    ? html`<nav aria-label="Main"><ul>${homeLinks(user).map((l) => html`<li><a href="${l.href}">${l.label}</a></li>`)}</ul>
        <form method="post" action="/sign-out" class="sign-out"><input type="hidden" name="_csrf" value="${csrfToken ?? ''}"><span class="who">${user.displayName} (${[...user.roles].join(', ')})</span> <button type="submit">Sign out</button></form></nav>`
    : html``;
  return `<!doctype html>${html`<html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Dauntless</title><link rel="stylesheet" href="/static/app.css"><script src="/static/app.js" defer></script>
${csrfToken ? html`<meta name="csrf-token" content="${csrfToken}">` : ''}${stream ? html`<meta name="event-stream" content="${stream}">` : ''}</head>
<body><a class="skip" href="#main">Skip to content</a>
<header class="banner"><p class="marking">OFFICIAL-SENSITIVE</p><a class="brand" href="/">Dauntless</a>${nav}</header>
<main id="main" tabindex="-1"><h1>${title}</h1>${body}</main>
<footer><p>Synthetic data only. Every view of a person is recorded in the audit log with who, when and why.</p></footer></body></html>`}`;
}
