import type { INodeProperties } from 'n8n-workflow';

/** Files go with a new run's task; a continued run already has its files, so they show in Run Agent mode only. */
const runMode = { show: { mode: ['run'] } };

/** Which of the item's binary data goes to the model with the task (README: "Files (images and PDFs)"). */
export const fileProperties: INodeProperties[] = [
	{
		displayName: 'Files to Send',
		name: 'filesToSend',
		type: 'options',
		options: [
			{ name: 'Images on the Item', value: 'images', description: "Every PNG, JPEG, GIF and WebP in the item's binary data, like n8n's AI Agent passes binary images" },
			{ name: 'Images and PDFs on the Item', value: 'imagesAndPdfs', description: "Every image and PDF in the item's binary data" },
			{ name: 'Named Binary Properties', value: 'named', description: 'Only the binary properties named below; each must be on the item' },
			{ name: 'None', value: 'none', description: 'Send the task text only' },
		],
		default: 'images',
		description: "Files from the item's binary data that the model gets with the task, e.g. an invoice to read into JSON. Stored once with the run, so a paused run resumes with them.",
		displayOptions: runMode,
	},
	{
		displayName: 'Binary Properties',
		name: 'binaryProperties',
		type: 'string',
		default: 'data',
		required: true,
		placeholder: 'e.g. data, invoice',
		description: 'The binary properties to send, separated by commas: images (PNG, JPEG, GIF, WebP) or PDFs',
		displayOptions: { show: { mode: ['run'], filesToSend: ['named'] } },
	},
];
