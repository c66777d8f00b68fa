'use strict';
// Points an example workflow at what this local n8n has: its credentials (by the example's name,
// else the only one of the type, else, for an agent's model, the only credential of the other
// provider) and the ticket stand-in's port. What cannot be pointed anywhere is reported missing.

const fs = require('node:fs');
const path = require('node:path');
const { EXAMPLE_TICKETS_ORIGIN } = require('./ticket-stand-in');

const AGENT_NODE_TYPE = 'n8n-nodes-durable-agent.durableAgent';
/** The agent's Provider values and the credential type each one uses. */
const MODEL_CREDENTIAL_TYPES = { anthropic: 'durableAgentAnthropicApi', openAiCompatible: 'durableAgentOpenAiCompatibleApi' };

/**
 * What the built package says about itself: each credential type's display name and each
 * provider's default model, read from `dist` so they never drift from the node.
 *
 * @param {string} packageRoot a built package (npm run build has run)
 */
function readPackageFacts(packageRoot) {
	const manifest = JSON.parse(fs.readFileSync(path.join(packageRoot, 'package.json'), 'utf8'));
	const credentialNames = {};
	for (const file of manifest.n8n.credentials) {
		for (const CredentialClass of Object.values(require(path.join(packageRoot, file)))) {
			const credential = new CredentialClass();
			credentialNames[credential.name] = credential.displayName;
		}
	}
	const { parameterProperties } = require(path.join(packageRoot, 'dist', 'nodes', 'AgentNode', 'parameters.js'));
	const defaultModels = {};
	for (const provider of Object.keys(MODEL_CREDENTIAL_TYPES)) {
		const model = parameterProperties.find((property) => property.name === 'model' && property.displayOptions?.show?.provider?.includes(provider));
		defaultModels[provider] = model?.default;
	}
	return { credentialNames, defaultModels };
}

function pickCredential(credentials, type, wantedName) {
	const ofType = credentials.filter((credential) => credential.type === type);
	return ofType.find((credential) => credential.name === wantedName) ?? (ofType.length === 1 ? ofType[0] : undefined);
}

/**
 * @param {Record<string, unknown>} workflow an example as read from its file (not changed)
 * @param {{ credentials: Array<{ id: string, name: string, type: string }>, ticketsOrigin: string,
 *   facts: ReturnType<typeof readPackageFacts> }} context
 * @returns {{ workflow: Record<string, unknown>, missing: string[] }} `missing`: display names of the credential types nothing could be found for
 */
function prepareExample(workflow, { credentials, ticketsOrigin, facts }) {
	const prepared = JSON.parse(JSON.stringify(workflow).split(EXAMPLE_TICKETS_ORIGIN).join(ticketsOrigin));
	const missing = [];
	for (const node of prepared.nodes) {
		if (node.disabled || node.credentials === undefined) continue;
		for (const [type, reference] of Object.entries(node.credentials)) {
			const chosen = pickCredential(credentials, type, reference?.name);
			if (chosen !== undefined) {
				node.credentials[type] = { id: chosen.id, name: chosen.name };
				continue;
			}
			const provider = Object.keys(MODEL_CREDENTIAL_TYPES).find((candidate) => MODEL_CREDENTIAL_TYPES[candidate] === type);
			const otherProvider = Object.keys(MODEL_CREDENTIAL_TYPES).find((candidate) => candidate !== provider);
			const other = node.type === AGENT_NODE_TYPE && provider !== undefined ? pickCredential(credentials, MODEL_CREDENTIAL_TYPES[otherProvider], undefined) : undefined;
			if (other !== undefined) {
				delete node.credentials[type];
				node.credentials[MODEL_CREDENTIAL_TYPES[otherProvider]] = { id: other.id, name: other.name };
				node.parameters = { ...node.parameters, provider: otherProvider, model: facts.defaultModels[otherProvider] };
				continue;
			}
			const anyModelCredential = Object.values(MODEL_CREDENTIAL_TYPES).map((modelType) => facts.credentialNames[modelType] ?? modelType).join(' or ');
			missing.push(provider === undefined ? (facts.credentialNames[type] ?? type) : anyModelCredential);
		}
	}
	return { workflow: prepared, missing: [...new Set(missing)] };
}

module.exports = { prepareExample, readPackageFacts, MODEL_CREDENTIAL_TYPES };
