// Files in rooms: showing a received file (thumbnail, player, card), attaching and recording,
// and the uploads on their way out.
export { AttachControls } from './AttachControls';
export { FileView } from './FileView';
export { UploadItem } from './UploadItem';
export { formatBytes, outgoingFile, saveBytes } from './outgoing';
export { useDecrypted } from './decrypted';
