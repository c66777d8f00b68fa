'use strict';
// A stand-in for the ticket system example 02's "Create Ticket" tool posts to, so the example calls
// no host off this machine. It listens on loopback while the local n8n runs and stops with it.

const http = require('node:http');

/** The URL example 02's Create Ticket tool names; the import points it at the stand-in's actual port. */
const EXAMPLE_TICKETS_ORIGIN = 'http://127.0.0.1:5680';

/**
 * Starts the stand-in on 127.0.0.1:`port`: `POST /api/tickets` with a JSON body opens ticket
 * T-1, T-2… and answers `{ id, status: 'open', ...body }`; anything else is 404.
 *
 * @param {{ port: number, log: (message: string) => void }} options
 * @returns {Promise<{ origin: string, close: () => Promise<void> }>}
 */
async function startTicketStandIn({ port, log }) {
	let opened = 0;
	const server = http.createServer((request, response) => {
		const chunks = [];
		request.on('data', (chunk) => chunks.push(chunk));
		request.on('end', () => {
			if (request.method !== 'POST' || request.url !== '/api/tickets') {
				response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"Only POST /api/tickets is served here."}');
				return;
			}
			let body = {};
			try {
				body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
			} catch {
				response.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"The body is not JSON."}');
				return;
			}
			opened += 1;
			const ticket = { ...body, id: `T-${opened}`, status: 'open' };
			log(`Ticket stand-in: opened ${ticket.id} (${JSON.stringify(body)}).`);
			response.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify(ticket));
		});
	});
	await new Promise((resolve, reject) => {
		server.once('error', (error) =>
			reject(
				Object.assign(new Error(`Port ${port} on 127.0.0.1 is taken (${error.code ?? error.message}): the example ticket stand-in needs it. Move it with TICKETS_PORT=<a free port>.`), {
					code: 'PORT_TAKEN',
					port,
				}),
			),
		);
		server.listen(port, '127.0.0.1', resolve);
	});
	return {
		origin: `http://127.0.0.1:${port}`,
		close: () => new Promise((resolve) => server.close(() => resolve())),
	};
}

module.exports = { startTicketStandIn, EXAMPLE_TICKETS_ORIGIN };
