import type { IDataObject, INodeType, INodeTypes, IVersionedNodeType } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

/** A node class as a package exports it (`new DurableAgent()`). */
export type NodeTypeClass = new () => INodeType | IVersionedNodeType;

/**
 * The node-type registry n8n-core resolves every workflow node through, holding only the given
 * classes. A workflow node's `type` is the class's `description.name`.
 */
export function createNodeTypes(nodeTypeClasses: NodeTypeClass[]): INodeTypes {
	const nodeTypeByName = new Map<string, { nodeType: INodeType | IVersionedNodeType; className: string }>();
	for (const NodeClass of nodeTypeClasses) {
		const nodeType = new NodeClass();
		nodeTypeByName.set(nodeType.description.name, { nodeType, className: NodeClass.name });
	}

	function getByName(name: string): INodeType | IVersionedNodeType {
		const entry = nodeTypeByName.get(name);
		if (entry === undefined) {
			const known = [...nodeTypeByName.keys()].join(', ');
			throw new Error(`The workflow uses node type "${name}", which the test did not register (registered: ${known}).`);
		}
		return entry.nodeType;
	}

	return {
		getByName,
		getByNameAndVersion: (name, version) => NodeHelpers.getVersionedNodeType(getByName(name), version),
		getKnownTypes: (): IDataObject =>
			Object.fromEntries([...nodeTypeByName].map(([name, { className }]) => [name, { className, sourcePath: '' }])),
	};
}
