import { createHmac, timingSafeEqual } from 'node:crypto';

import { z } from 'zod/v4';

/**
 * What an approval token vouches for: one pause of one run in one execution, with the exact
 * snapshot it paused into. n8n's own resume signature is the same for every wait of an execution,
 * so this token is what ties a decision to the pause it was meant for.
 */
export const approvalClaimsSchema = z.strictObject({
	executionId: z.string(),
	runId: z.string(),
	pauseId: z.string(),
	snapshotHash: z.string(),
	/** Milliseconds since the epoch; absent = no expiry. */
	expiresAt: z.number().optional(),
});

export type ApprovalClaims = z.infer<typeof approvalClaimsSchema>;

export type TokenCheck = { ok: true; claims: ApprovalClaims } | { ok: false; reason: 'malformed' | 'forged' | 'expired' };

const base64url = (value: Buffer | string) => Buffer.from(value).toString('base64url');
const sign = (secret: Buffer, payload: string) => createHmac('sha256', secret).update(payload).digest();

/** `<claims as base64url JSON>.<HMAC-SHA256 of that text, base64url>`. */
export function signApprovalToken(secret: Buffer, claims: ApprovalClaims): string {
	const payload = base64url(JSON.stringify(claims));
	return `${payload}.${base64url(sign(secret, payload))}`;
}

export function verifyApprovalToken(secret: Buffer, token: string, nowMs: number): TokenCheck {
	const [payload, signature, extra] = token.split('.');
	if (!payload || !signature || extra !== undefined) return { ok: false, reason: 'malformed' };
	const expected = sign(secret, payload);
	const given = Buffer.from(signature, 'base64url');
	if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'forged' };
	let claims: ApprovalClaims;
	try {
		const parsed = approvalClaimsSchema.safeParse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
		if (!parsed.success) return { ok: false, reason: 'malformed' };
		claims = parsed.data;
	} catch {
		return { ok: false, reason: 'malformed' };
	}
	if (claims.expiresAt !== undefined && claims.expiresAt <= nowMs) return { ok: false, reason: 'expired' };
	return { ok: true, claims };
}
