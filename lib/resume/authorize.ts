import { loadSigningSecret } from '../storage';
import { verifyApprovalToken } from './approval-token';
import { refusal, type Refusal } from './refusal';
import type { ResumeStorage } from './resume-storage';
import { isResumeClaimed, readWaitRecord, type WaitLocation, type WaitRecord } from './wait-record';

/**
 * A request that may see this wait and decide some of it. `token` is the caller's own approval token
 * and `tokenItem` the paused item (index in the wait's items) it was issued for: such a request may
 * decide that item only. Both are absent when only n8n's signature authorized the request: the
 * signed URL is the same for every paused item, so whoever holds it may decide every one of them.
 */
export type AuthorizedWait = { storage: ResumeStorage; location: WaitLocation; wait: WaitRecord; token?: string; tokenItem?: number };

export type Authorization = { ok: true; authorized: AuthorizedWait } | { ok: false; refusal: Refusal };

/** What a request to a Resume node's waiting webhook brings: where it arrived, its token, and whether n8n checked its signature. */
export type DecisionRequestOrigin = { location: WaitLocation; token: string | undefined; signedByN8n: boolean; now: Date };

/**
 * Checks the approval token against the current wait. n8n's resume signature is the same for every
 * wait of an execution, so only our token says which pause a caller was invited to decide: it must
 * be signed with this store's secret, unexpired, for this execution, and for a pause the node is
 * waiting on now (a link from an earlier pause of the same execution is refused). A token binds the
 * request to its own paused item (check-decisions.ts refuses decisions on the others).
 */
export async function authorizeRequest(storage: ResumeStorage, { location, token: givenToken, signedByN8n, now }: DecisionRequestOrigin): Promise<Authorization> {
	if (givenToken === undefined && !signedByN8n) {
		return refuse('token_missing', 'The approval token is missing: open the approval link exactly as it was sent, or pass "token" in the query or body.');
	}
	const wait = await readWaitRecord(storage, location);
	if (wait === undefined) {
		return refuse('wait_not_found', 'Nothing is waiting for a decision here: this node has no wait record in its storage. Check that it uses the same storage (Local Folder or S3 credential) as the Durable AI Agent.');
	}
	// n8n already checked this URL's signature: whoever holds it may decide the current wait. The
	// signature is the same for every wait of the execution, so API clients that must bind a decision
	// to one pause send the pause's token as well, and then it is checked like any other.
	const token = givenToken ?? wait.items[0].reference.token;
	const secret = await loadSigningSecret(storage.store, storage.prefix);
	const check = verifyApprovalToken(secret, token, now.getTime());
	if (!check.ok) {
		if (check.reason === 'expired') return refuse('token_expired', 'This approval link has expired.');
		return refuse('token_invalid', 'The approval token is not valid: it was changed, cut short or signed by someone else.');
	}
	const { claims } = check;
	if (claims.executionId !== wait.executionId) {
		return refuse('token_invalid', 'The approval token was issued for another execution.');
	}
	const itemIndex = wait.items.findIndex(({ reference }) => reference.pauseId === claims.pauseId && reference.runId === claims.runId);
	if (itemIndex === -1 || wait.items[itemIndex].reference.snapshotHash !== claims.snapshotHash) {
		return refuse('pause_replaced', 'This approval request was already decided or replaced: the agent has paused again since this link was made. Use the newest link.');
	}
	if (await isResumeClaimed(storage, location, wait.waitId)) {
		return refuse('already_resumed', 'This approval request was already decided; the execution has continued.');
	}
	if (wait.expiresAt !== undefined && now.getTime() >= Date.parse(wait.expiresAt)) {
		return refuse('wait_expired', `The time limit for this decision passed at ${wait.expiresAt}; the node's "On Timeout" setting applies.`);
	}
	return { ok: true, authorized: { storage, location, wait, ...(givenToken === undefined ? {} : { token: givenToken, tokenItem: itemIndex }) } };
}

function refuse(...args: Parameters<typeof refusal>): Authorization {
	return { ok: false, refusal: refusal(...args) };
}
