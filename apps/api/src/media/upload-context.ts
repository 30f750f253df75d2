import { AsyncLocalStorage } from 'node:async_hooks';
import type { UploadTarget } from './media.service';

/** Who is uploading where, for the duration of one upload request (set by TusUploads). */
export const uploadContext = new AsyncLocalStorage<UploadTarget>();
