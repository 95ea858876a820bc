import escapeHtml from 'escape-html';
import type { LinkView } from '../services/share.service';

/** The languages the pages a link's visitors see are written in; the first is the default. */
export const PAGE_LANGUAGES = ['en', 'zh'] as const;
export type PageLanguage = (typeof PAGE_LANGUAGES)[number];

/** What a link's error page says (see `renderShareErrorPage`). */
type ErrorKind =
  | 'noDownloadsLeft'
  | 'tooManyAttempts'
  | 'locked'
  | 'busy'
  | 'notReady'
  | 'badRequest'
  | 'other';

/**
 * Every sentence of a link's pages, per language. The texts hold no user input; the functions
 * are given numbers, dates, or text the caller has escaped (a rendition's name).
 */
const TEXT: Record<
  PageLanguage,
  {
    htmlLang: string;
    deadTitle: string;
    deadBody: string;
    signInTitle: string;
    signInBody: string;
    passwordTitle: string;
    wrongPassword: string;
    passwordLabel: string;
    open: string;
    download: (rendition: string) => string;
    downloadAll: string;
    sharedTitle: (files: number) => string;
    availableUntil: (date: Date) => string;
    downloadsLeft: (left: number) => string;
    errors: Record<ErrorKind, { title: string; body: string }> & {
      tooManyAttempts: { wait: (minutes: number) => string };
    };
  }
> = {
  en: {
    htmlLang: 'en',
    deadTitle: 'Link not available',
    deadBody: 'This link is not available. Ask the sender for a new one.',
    signInTitle: 'Sign in to open this link',
    signInBody:
      'This link is for named recipients. <a href="/">Sign in</a> with the address it was sent to, then open it again.',
    passwordTitle: 'Password required',
    wrongPassword: 'That password is not right.',
    passwordLabel: 'Password',
    open: 'Open',
    download: (rendition) => `Download ${rendition}`,
    downloadAll: 'Download all (zip)',
    sharedTitle: (files) => `Shared with you: ${files} file${files === 1 ? '' : 's'}`,
    availableUntil: (date) => `Available until ${date.toUTCString()}`,
    downloadsLeft: (left) => `${left} download${left === 1 ? '' : 's'} left`,
    errors: {
      noDownloadsLeft: {
        title: 'No downloads left',
        body: 'This link has been used as many times as its sender allowed. Ask the sender for a new one.',
      },
      tooManyAttempts: {
        title: 'Too many attempts',
        body: 'There were too many attempts from here. Wait a while, then try again.',
        wait: (minutes: number) =>
          `There were too many attempts from here. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
      },
      locked: {
        title: 'Link locked',
        body: 'This link is locked after too many wrong passwords. Ask the sender for a new one.',
      },
      busy: { title: 'Busy', body: 'The server is busy. Try again in a moment.' },
      notReady: {
        title: 'File not ready',
        body: 'This file cannot be prepared for download right now. Ask the sender.',
      },
      badRequest: {
        title: 'Request not understood',
        body: 'Open the link again from the message it came in.',
      },
      other: { title: 'Something went wrong', body: 'Open the link again later, or ask the sender.' },
    },
  },
  zh: {
    htmlLang: 'zh-CN',
    deadTitle: '链接不可用',
    deadBody: '此链接不可用。请向发送者索取新的链接。',
    signInTitle: '请登录后打开此链接',
    signInBody: '此链接仅限指定的收件人。请用接收此链接的邮箱<a href="/">登录</a>，然后再次打开。',
    passwordTitle: '需要密码',
    wrongPassword: '密码不正确。',
    passwordLabel: '密码',
    open: '打开',
    download: (rendition) => `下载 ${rendition}`,
    downloadAll: '全部下载（zip）',
    sharedTitle: (files) => `与你分享了 ${files} 个文件`,
    availableUntil: (date) =>
      `有效期至 ${new Intl.DateTimeFormat('zh-CN', { timeZone: 'UTC', dateStyle: 'long', timeStyle: 'short' }).format(date)}（UTC）`,
    downloadsLeft: (left) => `还可下载 ${left} 次`,
    errors: {
      noDownloadsLeft: {
        title: '下载次数已用完',
        body: '此链接的下载次数已达到发送者设定的上限。请向发送者索取新的链接。',
      },
      tooManyAttempts: {
        title: '尝试次数过多',
        body: '来自此处的尝试次数过多。请稍后再试。',
        wait: (minutes: number) => `来自此处的尝试次数过多。请 ${minutes} 分钟后再试。`,
      },
      locked: { title: '链接已锁定', body: '由于密码错误次数过多，此链接已被锁定。请向发送者索取新的链接。' },
      busy: { title: '服务器繁忙', body: '服务器繁忙，请稍后再试。' },
      notReady: { title: '文件暂不可用', body: '此文件目前无法准备下载。请联系发送者。' },
      badRequest: { title: '无法理解此请求', body: '请从收到的消息中重新打开此链接。' },
      other: { title: '出现问题', body: '请稍后重新打开此链接，或联系发送者。' },
    },
  },
};

/**
 * The public landing page of a share link, rendered on the server so it works without the web
 * app or JavaScript, in the visitor's language. Every value from the catalogue goes through
 * `escapeHtml`: asset names and metadata are stored verbatim, so this is where a `<script>` in a
 * name becomes text.
 */
export function renderSharePage(
  view: LinkView,
  token: string,
  language: PageLanguage = 'en',
): { status: number; html: string } {
  const text = TEXT[language];
  const page = (status: number, title: string, body: string) => ({
    status,
    html: pageHtml(text.htmlLang, title, body),
  });
  const base = `/s/${encodeURIComponent(token)}`;
  switch (view.kind) {
    case 'dead':
      // Unknown, expired, revoked or taken down: one page, so none can be told apart.
      return page(404, text.deadTitle, `<p>${text.deadBody}</p>`);
    case 'sign-in':
      return page(401, text.signInTitle, `<p>${text.signInBody}</p>`);
    case 'password':
      return page(
        401,
        text.passwordTitle,
        `${view.wrong ? `<p class="error" role="alert">${text.wrongPassword}</p>` : ''}
<form method="post" action="${base}">
  <label for="password">${text.passwordLabel}</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required autofocus>
  <button type="submit">${text.open}</button>
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
            ? `<form method="post" action="${base}/download?asset=${id}"><button class="download" type="submit">${text.download(escapeHtml(share.rendition))}</button></form>`
            : '';
          return `<li><figure><img src="${base}/preview/${id}" alt="${name}" loading="lazy"><figcaption>${name}</figcaption></figure>${download}</li>`;
        })
        .join('\n');
      const all =
        canDownload && assets.length > 1
          ? `<form method="post" action="${base}/download"><button class="download" type="submit">${text.downloadAll}</button></form>`
          : '';
      const left = downloadsLeft === null ? '' : ` · ${text.downloadsLeft(downloadsLeft)}`;
      return page(
        200,
        text.sharedTitle(assets.length),
        `<p class="meta">${escapeHtml(text.availableUntil(new Date(share.expiresAt)))}${left}</p>
${all}<ul class="assets">
${items}
</ul>`,
      );
    }
  }
}

/**
 * The page a browser shows when a link's request is refused (no downloads left, too many tries, a
 * locked link…): the same status, in the visitor's language, instead of the API's JSON. The error
 * code is shown for support; the server's own message is not (it is English only).
 */
export function renderShareErrorPage(
  error: { status: number; code: string; details?: unknown },
  language: PageLanguage = 'en',
): { status: number; html: string } {
  const text = TEXT[language];
  const kind = errorKindOf(error);
  const { title, body: general } = text.errors[kind];
  // The limiter says when the next attempt counts again: the page says so, rounded up to minutes.
  const seconds = (error.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
  const body =
    kind === 'tooManyAttempts' && typeof seconds === 'number' && seconds > 0
      ? text.errors.tooManyAttempts.wait(Math.ceil(seconds / 60))
      : general;
  return {
    status: error.status,
    html: pageHtml(text.htmlLang, title, `<p>${body}</p>\n<p class="meta">${escapeHtml(error.code)}</p>`),
  };
}

function errorKindOf(error: { status: number; details?: unknown }): ErrorKind {
  switch (error.status) {
    case 429:
      return (error.details as { reason?: string } | undefined)?.reason === 'no-downloads-left'
        ? 'noDownloadsLeft'
        : 'tooManyAttempts';
    case 423:
      return 'locked';
    case 503:
      return 'busy';
    case 409:
      return 'notReady';
    case 400:
    case 413:
      return 'badRequest';
    default:
      return 'other';
  }
}

function pageHtml(htmlLang: string, title: string, body: string): string {
  return `<!doctype html>
<html lang="${htmlLang}">
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
