/**
 * HTML built only through the `html` tag: every interpolated value is escaped unless it is itself
 * `SafeHtml` made by the tag. Tool arguments and the model's text are attacker-controlled (a prompt
 * injection can put `<script>` or `"><img onerror>` in them), so no page text is concatenated by hand.
 */
export class SafeHtml {
	constructor(readonly text: string) {}
}

/** What may be interpolated: text (escaped), numbers, SafeHtml, lists of these; empty values render nothing. */
export type HtmlValue = SafeHtml | string | number | readonly HtmlValue[] | undefined | null | false;

const entities: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for use between tags and inside quoted attribute values. */
export function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (character) => entities[character]);
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
	let text = strings[0];
	values.forEach((value, index) => {
		text += render(value) + strings[index + 1];
	});
	return new SafeHtml(text);
}

function render(value: HtmlValue): string {
	if (value === undefined || value === null || value === false) return '';
	if (value instanceof SafeHtml) return value.text;
	if (Array.isArray(value)) return value.map(render).join('');
	return escapeHtml(String(value));
}
