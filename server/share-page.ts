import escapeHtml from 'escape-html';
import type { LinkView } from '../services/share.service';

/**
 * The public landing page of a share link, rendered on the server so it works without the web
 * app or JavaScript. Every value from the catalogue goes through `escapeHtml`: asset names and
 * metadata are stored verbatim, so this is where a `<script>` in a name becomes text.
 */
export function renderSharePage(view: LinkView, token: string): { status: number; html: string } {
  const base = `/s/${encodeURIComponent(token)}`;
  switch (view.kind) {
    case 'dead':
      // Unknown, expired, revoked or taken down: one page, so none can be told apart.
      return page(
        404,
        'Link not available',
        '<p>This link is not available. Ask the sender for a new one.</p>',
      );
    case 'sign-in':
      return page(
        401,
        'Sign in to open this link',
        '<p>This link is for named recipients. <a href="/">Sign in</a> with the address it was sent to, then open it again.</p>',
      );
    case 'password':
      return page(
        401,
        'Password required',
        `${view.wrong ? '<p class="error" role="alert">That password is not right.</p>' : ''}
<form method="post" action="${base}">
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required autofocus>
  <button type="submit">Open</button>
</form>`,
      );
    case 'open': {
      const { share, assets, downloadsLeft } = view;
      const canDownload = share.permission === 'download' && downloadsLeft !== 0;
      const items = assets
        .map((asset) => {
          const name = escapeHtml(asset.displayName);
          const id = encodeURIComponent(asset.id);
          const download = canDownload
            ? `<form method="post" action="${base}/download?asset=${id}"><button class="download" type="submit">Download ${escapeHtml(share.rendition)}</button></form>`
            : '';
          return `<li><figure><img src="${base}/preview/${id}" alt="${name}" loading="lazy"><figcaption>${name}</figcaption></figure>${download}</li>`;
        })
        .join('\n');
      const all =
        canDownload && assets.length > 1
          ? `<form method="post" action="${base}/download"><button class="download" type="submit">Download all (zip)</button></form>`
          : '';
      const left =
        downloadsLeft === null ? '' : ` · ${downloadsLeft} download${downloadsLeft === 1 ? '' : 's'} left`;
      return page(
        200,
        `Shared with you: ${assets.length} file${assets.length === 1 ? '' : 's'}`,
        `<p class="meta">Available until ${escapeHtml(new Date(share.expiresAt).toUTCString())}${left}</p>
${all}<ul class="assets">
${items}
</ul>`,
      );
    }
  }
}

function page(status: number, title: string, body: string): { status: number; html: string } {
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)} · Assetflow</title>
<link rel="stylesheet" href="/s/share.css">
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>
`;
  return { status, html };
}

export const SHARE_PAGE_CSS = `
body { font-family: system-ui, sans-serif; margin: 0; background: #f6f6f4; color: #1d1d1b; }
main { max-width: 72rem; margin: 0 auto; padding: 2rem 1.5rem; }
h1 { font-size: 1.5rem; }
.meta { color: #555; }
.error { color: #a40000; }
.assets { list-style: none; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr)); gap: 1.25rem; }
.assets li { background: #fff; border-radius: 6px; padding: .75rem; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
.assets img { width: 100%; height: 12rem; object-fit: contain; background: #eee; }
figure { margin: 0; }
figcaption { margin-top: .5rem; overflow-wrap: anywhere; }
.download { display: inline-block; margin-top: .5rem; }
form { display: flex; gap: .5rem; align-items: center; }
input { padding: .4rem; font-size: 1rem; }
button { padding: .45rem 1rem; font-size: 1rem; }
`;
