import { createHash } from 'node:crypto';

import { html, SafeHtml } from './html';

/** One stylesheet for every page; the CSP allows exactly this text by its hash, so no inline style can be injected. */
const styles = `
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;background:#f5f5f7;color:#1d1d1f}
main{max-width:56rem;margin:0 auto;padding:1.5rem}
h1{font-size:1.4rem;margin:0 0 .25rem}
h2{font-size:1.1rem;margin:0 0 .5rem}
h3{font-size:1rem;margin:0}
.meta{color:#555;margin:0 0 1rem}
.item,.call,.notice{background:#fff;border:1px solid #ddd;border-radius:8px;padding:1rem;margin:0 0 1rem}
.call{background:#fafafa}
.last-message{white-space:pre-wrap;border-left:3px solid #4b3fd6;padding-left:.75rem;margin:.5rem 0 1rem}
pre{white-space:pre-wrap;word-break:break-all;max-height:20rem;overflow:auto;background:#f0f0f3;padding:.5rem;border-radius:4px;margin:.5rem 0}
textarea{width:100%;box-sizing:border-box;font:13px/1.4 ui-monospace,monospace}
input[type=text]{width:100%;box-sizing:border-box}
label{display:block;margin:.25rem 0}
.choice{display:inline-block;margin-right:1rem}
.decided{color:#0a6b2d}
.error{border-color:#c62828}
.note{color:#555;font-size:.9rem}
.reason{background:#fff8e1;border-left:3px solid #f0a500;padding:.25rem .5rem}
button{font-size:1rem;padding:.5rem 1.5rem;border-radius:6px;border:0;background:#4b3fd6;color:#fff}
button.secondary{background:#fff;color:#4b3fd6;border:1px solid #4b3fd6}
.one-click button{font-size:.9rem;padding:.3rem 1rem}
.default-submit{position:absolute;left:-9999px}
.batch{border-color:#4b3fd6}
.timeline{margin:.5rem 0 1rem}
.timeline summary{cursor:pointer;font-weight:600}
.timeline ol{list-style:none;padding:0;margin:.5rem 0}
.step{border-left:2px solid #ddd;padding:.25rem .75rem;margin:.25rem 0}
.step .label{font-weight:600;color:#4b3fd6;margin-right:.5rem}
.step .text{white-space:pre-wrap}
.turn{color:#555;font-size:.85rem}
.paused-again{border-color:#f0a500;background:#fff8e1}
`;

const styleHash = `'sha256-${createHash('sha256').update(styles).digest('base64')}'`;

/**
 * Headers of every page this node serves: nothing loads from anywhere, only our stylesheet applies,
 * forms post back to this origin, the page cannot be framed, the URL (it carries the approval token)
 * never leaks as a referrer, and no cache keeps a copy.
 */
export const pageHeaders: Readonly<Record<string, string>> = {
	'Content-Type': 'text/html; charset=utf-8',
	'Content-Security-Policy': `default-src 'none'; style-src ${styleHash}; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
	'X-Content-Type-Options': 'nosniff',
	'Referrer-Policy': 'no-referrer',
	'Cache-Control': 'no-store',
};

/** A complete, self-contained HTML document. */
export function htmlDocument(title: string, body: SafeHtml): string {
	const { start, end } = htmlDocumentParts(title);
	return start + body.text + end;
}

/** The document around a body, apart: for a page sent in pieces, whose body is written as it is known. */
export function htmlDocumentParts(title: string): { start: string; end: string } {
	const start = html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${title}</title>
<style>${new SafeHtml(styles)}</style>
</head>
<body><main>`.text;
	return { start, end: '</main></body>\n</html>\n' };
}
