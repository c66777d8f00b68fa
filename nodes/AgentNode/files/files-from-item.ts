import { NodeOperationError, type IBinaryData, type IExecuteFunctions } from 'n8n-workflow';

import type { FileMediaType, InputFile } from '../../../lib/engine';

type FilesToSend = 'images' | 'imagesAndPdfs' | 'named' | 'none';

const imageTypes: readonly FileMediaType[] = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];
const pdfType: FileMediaType = 'application/pdf';

/**
 * The files of this item that go to the model with the task, as 'Files to Send' chooses them. A
 * named property that is missing, or a file the models cannot read, stops the item with an error
 * that says what to change; with the "on the item" choices, other kinds of files are left out.
 */
export async function filesFromItem(context: IExecuteFunctions, itemIndex: number): Promise<InputFile[]> {
	const choice = context.getNodeParameter('filesToSend', itemIndex, 'images') as FilesToSend;
	if (choice === 'none') return [];
	const binary = context.getInputData()[itemIndex]?.binary ?? {};
	const chosen = choice === 'named' ? namedProperties(context, itemIndex, Object.keys(binary)) : chosenOnItem(context, itemIndex, binary, choice);
	return await Promise.all(
		chosen.map(async ({ property, mediaType }) => {
			const data = await context.helpers.getBinaryDataBuffer(itemIndex, property);
			const name = binary[property].fileName;
			return { mediaType, data, ...(name ? { name } : {}) };
		}),
	);
}

type ChosenFile = { property: string; mediaType: FileMediaType };

function chosenOnItem(context: IExecuteFunctions, itemIndex: number, binary: Record<string, IBinaryData>, choice: 'images' | 'imagesAndPdfs'): ChosenFile[] {
	return Object.entries(binary).flatMap(([property, file]): ChosenFile[] => {
		const mediaType = normalMediaType(file.mimeType);
		if (mediaType === pdfType) return choice === 'imagesAndPdfs' ? [{ property, mediaType }] : [];
		if (!mediaType.startsWith('image/')) return [];
		// An image the models cannot read is not passed over in silence: the user expects the model to see it.
		return [{ property, mediaType: supportedType(context, itemIndex, property, file) }];
	});
}

function namedProperties(context: IExecuteFunctions, itemIndex: number, available: string[]): ChosenFile[] {
	const names = String(context.getNodeParameter('binaryProperties', itemIndex, ''))
		.split(',')
		.map((name) => name.trim())
		.filter((name) => name !== '');
	if (names.length === 0) {
		throw new NodeOperationError(context.getNode(), "'Binary Properties' names no property", {
			itemIndex,
			description: "Enter the binary properties to send, separated by commas (e.g. data), or choose another option under 'Files to Send'.",
		});
	}
	const binary = context.getInputData()[itemIndex]?.binary ?? {};
	return names.map((property) => {
		const file = binary[property];
		if (file === undefined) {
			throw new NodeOperationError(context.getNode(), `The item has no binary property '${property}'`, {
				itemIndex,
				description: available.length === 0 ? 'The item has no binary data. Check the node before this one.' : `Its binary properties are: ${available.join(', ')}. Fix 'Binary Properties'.`,
			});
		}
		return { property, mediaType: supportedType(context, itemIndex, property, file) };
	});
}

function supportedType(context: IExecuteFunctions, itemIndex: number, property: string, file: IBinaryData): FileMediaType {
	const mediaType = normalMediaType(file.mimeType);
	const supported = [...imageTypes, pdfType].find((type) => type === mediaType);
	if (supported) return supported;
	throw new NodeOperationError(context.getNode(), `The file in binary property '${property}' is ${file.mimeType || 'of no known type'}, which the model cannot be sent`, {
		itemIndex,
		description: "Models take PNG, JPEG, GIF and WebP images and PDFs. Convert the file (e.g. with the Edit Image or Convert to File node), or leave it out under 'Files to Send'.",
	});
}

/** `image/jpg` and parameters such as `; charset=…` are common in binary data; providers want the plain type. */
function normalMediaType(mimeType: string | undefined): string {
	const type = (mimeType ?? '').split(';')[0].trim().toLowerCase();
	return type === 'image/jpg' ? 'image/jpeg' : type;
}
