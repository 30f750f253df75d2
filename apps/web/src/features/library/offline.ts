import type { LibraryResource, SecureSession } from '@hearth/client';
import { mediaIdOfFile } from '@hearth/client';
import type { FileMessageContent, ResourceMeta } from '@hearth/protocol';
import type { OfflineFiles } from '../../state/offline-files';

/** What an offline copy remembers of its resource (sealed with the vault's key). */
export interface OfflineDescription {
  meta: ResourceMeta;
  file: FileMessageContent;
}

/**
 * A resource's decrypted bytes: from this browser's offline copy when there is one (no network
 * at all), else downloaded once and kept as ciphertext for the next time (a 400 kbit/s link pays
 * for each file only once).
 */
export async function openResource(
  session: SecureSession,
  offline: OfflineFiles,
  resource: LibraryResource,
): Promise<Uint8Array<ArrayBuffer>> {
  const id = mediaIdOfFile(resource.file.file);
  if (!id) throw new Error('Not a file of this hub');
  const kept = await offline.load<OfflineDescription>(id).catch(() => null);
  if (kept) return session.files.open(kept.description.file, kept.data);
  const ciphertext = await session.files.ciphertext(resource.file);
  // Checked before it is kept: a blob that does not match its hash is never stored.
  const plain = await session.files.open(resource.file, ciphertext);
  const description: OfflineDescription = {
    meta: {
      title: resource.title,
      description: resource.description,
      domain: resource.domain,
      language: resource.language,
      tags: resource.tags,
    },
    file: resource.file,
  };
  await offline.save(id, description, ciphertext).catch(() => undefined);
  return plain;
}
