import { htmlToText } from '../../../../lib/engine/tools/builtin/html-to-text';

describe('htmlToText', () => {
	it('keeps the readable text of a page and drops scripts, styles and comments', () => {
		const html = `<!doctype html>
			<html><head><title>Weather &amp; Climate</title><style>body { color: red }</style>
			<script>window.secret = "do not show";</script></head>
			<body><!-- tracking -->
				<noscript>Enable JavaScript</noscript>
				<h1>Berlin   forecast</h1>
				<p>Sunny,
				   21&nbsp;&deg;C &mdash; light wind.</p>
				<div>Tomorrow: <b>rain</b></div>
			</body></html>`;
		expect(htmlToText(html)).toBe('Weather & Climate\n\n# Berlin forecast\n\nSunny, 21 °C — light wind.\n\nTomorrow: rain');
	});

	it('turns lists, line breaks and tables into lines', () => {
		const html = '<ul><li>one</li><li>two</li></ul>first<br>second<table><tr><th>City</th><th>Temp</th></tr><tr><td>Oslo</td><td>3</td></tr></table>';
		expect(htmlToText(html)).toBe('- one\n- two\n\nfirst\nsecond\n\nCity | Temp\nOslo | 3');
	});

	it('shows link targets, resolved against the page URL', () => {
		const html = '<p>See <a href="/docs?a=1&amp;b=2">the docs</a>, <a href="#top">top</a> and <a href="https://example.org/">https://example.org/</a>.</p>';
		expect(htmlToText(html, 'https://example.com/start')).toBe(
			'See the docs (https://example.com/docs?a=1&b=2), top and https://example.org/.',
		);
	});

	it('decodes numeric entities and keeps escaped markup as text', () => {
		expect(htmlToText('<p>&#72;&#x49; &lt;script&gt;alert(1)&lt;/script&gt; &unknown; &#0;</p>')).toBe('HI <script>alert(1)</script> &unknown; \uFFFD');
	});

	it('keeps the line structure of preformatted code', () => {
		const html = '<p>Run:</p><pre><code>npm install\n  --save   thing</code></pre><p>Done.</p>';
		expect(htmlToText(html)).toBe('Run:\n\nnpm install\n  --save   thing\n\nDone.');
	});

	it('copes with a page cut off in the middle of a script or tag', () => {
		expect(htmlToText('<p>Hello</p><script>var a = "<p>never')).toBe('Hello');
		expect(htmlToText('<p>Hello</p><div class="x')).toBe('Hello');
	});
});
