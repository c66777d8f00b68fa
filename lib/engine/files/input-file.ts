import type { FileMediaType } from '../model/messages';

/** A file sent to the model with the task (an image, a PDF): its bytes, as the run starts. */
export type InputFile = { mediaType: FileMediaType; name?: string; data: Uint8Array };

/** Whether a media type is one of the image types every provider here reads. */
export const isImageMediaType = (mediaType: FileMediaType): boolean => mediaType.startsWith('image/');
