import { useEffect, useRef, useState } from 'react';

/** The longest voice note: about 5 MB of Opus. */
const MAX_MS = 10 * 60_000;

export type RecorderState = 'idle' | 'recording' | 'denied';

/**
 * Records a voice note with the browser's MediaRecorder (Opus where the browser offers it). The
 * microphone is released as soon as recording stops or is cancelled.
 */
export function useVoiceRecorder(onDone: (blob: Blob, durationMs: number) => void): {
  state: RecorderState;
  elapsed: number;
  start: () => Promise<void>;
  stop: () => void;
  cancel: () => void;
} {
  const [state, setState] = useState<RecorderState>('idle');
  const [elapsed, setElapsed] = useState(0);
  const recorder = useRef<MediaRecorder | null>(null);
  const started = useRef(0);
  const keep = useRef(true);
  const timer = useRef<number | null>(null);
  const done = useRef(onDone);
  done.current = onDone;

  const release = (): void => {
    if (timer.current !== null) window.clearInterval(timer.current);
    timer.current = null;
    recorder.current?.stream.getTracks().forEach((t) => t.stop());
    recorder.current = null;
  };

  useEffect(
    () => () => {
      keep.current = false;
      if (recorder.current?.state === 'recording') recorder.current.stop();
      release();
    },
    [],
  );

  const stop = (): void => {
    if (recorder.current?.state === 'recording') recorder.current.stop();
  };

  return {
    state,
    elapsed,
    async start() {
      let stream: MediaStream;
      try {
        stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      } catch {
        setState('denied');
        return;
      }
      const type = ['audio/webm;codecs=opus', 'audio/ogg;codecs=opus', 'audio/webm'].find((t) =>
        MediaRecorder.isTypeSupported(t),
      );
      const rec = new MediaRecorder(stream, type ? { mimeType: type } : undefined);
      const chunks: Blob[] = [];
      keep.current = true;
      rec.ondataavailable = (e) => chunks.push(e.data);
      rec.onstop = () => {
        const duration = Date.now() - started.current;
        release();
        setState('idle');
        setElapsed(0);
        if (keep.current && chunks.length > 0) done.current(new Blob(chunks, { type: rec.mimeType }), duration);
      };
      recorder.current = rec;
      started.current = Date.now();
      rec.start(1000);
      setState('recording');
      timer.current = window.setInterval(() => {
        const ms = Date.now() - started.current;
        setElapsed(ms);
        if (ms >= MAX_MS) stop();
      }, 250);
    },
    stop,
    cancel() {
      keep.current = false;
      stop();
    },
  };
}
