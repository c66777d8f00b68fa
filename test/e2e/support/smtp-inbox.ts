import type { AddressInfo } from 'node:net';

import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A message the inbox received, parsed. */
export type ReceivedMail = { to: string; subject: string; html: string; text: string };

/** A local SMTP server that keeps every message it receives, for n8n's Send Email node. */
export type SmtpInbox = {
	port: number;
	messages: ReceivedMail[];
	/** Waits until the inbox holds `count` messages (60 s at most), and returns the last one. */
	waitForMessage(count: number): Promise<ReceivedMail>;
	close(): Promise<void>;
};

export async function startSmtpInbox(): Promise<SmtpInbox> {
	const messages: ReceivedMail[] = [];
	const server = new SMTPServer({
		authOptional: true,
		allowInsecureAuth: true,
		disabledCommands: ['STARTTLS'],
		logger: false,
		onAuth: (_auth, _session, callback) => callback(null, { user: 'test' }),
		onData(stream, session, callback) {
			simpleParser(stream)
				.then((mail) => {
					messages.push({
						to: session.envelope.rcptTo.map((recipient) => recipient.address).join(', '),
						subject: mail.subject ?? '',
						html: typeof mail.html === 'string' ? mail.html : '',
						text: mail.text ?? '',
					});
					callback();
				})
				.catch((error: Error) => callback(error));
		},
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.server.address() as AddressInfo;
	return {
		port,
		messages,
		async waitForMessage(count) {
			const deadline = Date.now() + 60_000;
			while (messages.length < count) {
				if (Date.now() > deadline) throw new Error(`The inbox got ${messages.length} message(s), expected ${count}.`);
				await new Promise((resolve) => setTimeout(resolve, 100));
			}
			return messages[count - 1];
		},
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

/** The links of a send-and-wait message: n8n's signed `…/webhook-waiting/<execution>/<webhook id>?approved=…&signature=…`. */
export function responseLinks(mail: ReceivedMail): { approve?: string; disapprove?: string; respond?: string } {
	const links = [...mail.html.matchAll(/href="([^"]+)"/g)].map((match) => match[1].replace(/&amp;/g, '&')).filter((link) => link.includes('/webhook-waiting/'));
	return {
		approve: links.find((link) => link.includes('approved=true')),
		disapprove: links.find((link) => link.includes('approved=false')),
		respond: links.find((link) => link.includes('approved=true')),
	};
}
