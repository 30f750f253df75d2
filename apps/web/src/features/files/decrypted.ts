import { AttachmentError, HearthApiError } from '@hearth/client';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { MessageKey } from '../../i18n';

export type Loaded =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'ready'; url: string; bytes: Uint8Array<ArrayBuffer> }
  | { status: 'error'; key: MessageKey };

/** Why a file could not be shown, in words for the person. */
export function fileErrorKey(err: unknown): MessageKey {
  if (err instanceof AttachmentError) return 'file.corrupt';
  if (err instanceof HearthApiError && err.status === 404) return 'file.gone';
  return 'file.failed';
}

/**
 * Decrypted bytes as an object URL for an <img> or <audio>, loaded on demand (or at once with
 * `eager`) and revoked when the view goes: the plaintext lives only in this page's memory.
 */
export function useDecrypted(
  load: (signal: AbortSignal) => Promise<Uint8Array<ArrayBuffer> | null>,
  mimetype: string,
  eager = false,
): [Loaded, () => void] {
  const [state, setState] = useState<Loaded>({ status: 'idle' });
  const url = useRef<string | null>(null);
  const abort = useRef<AbortController | null>(null);
  const loader = useRef(load);
  loader.current = load;

  const start = useCallback(() => {
    abort.current?.abort();
    const controller = new AbortController();
    abort.current = controller;
    setState({ status: 'loading' });
    loader
      .current(controller.signal)
      .then((bytes) => {
        if (controller.signal.aborted) return;
        if (!bytes) return setState({ status: 'idle' });
        if (url.current) URL.revokeObjectURL(url.current);
        url.current = URL.createObjectURL(new Blob([bytes], { type: mimetype }));
        setState({ status: 'ready', url: url.current, bytes });
      })
      .catch((err: unknown) => {
        if (!controller.signal.aborted) setState({ status: 'error', key: fileErrorKey(err) });
      });
  }, [mimetype]);

  useEffect(() => {
    if (eager) start();
    return () => {
      abort.current?.abort();
      if (url.current) URL.revokeObjectURL(url.current);
      url.current = null;
    };
  }, [eager, start]);

  return [state, start];
}
