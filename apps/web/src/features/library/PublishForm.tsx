import type { MentoringDomain } from '@hearth/protocol';
import { ReactNode, useId, useState } from 'react';
import { useAction } from '../../shared/action';
import { DomainSelect, ErrorLine, Field } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useSession } from '../../state/hooks';
import { outgoingFile } from '../files';

/** Publishing a resource: a file and what it is, all of it encrypted before it leaves the browser. */
export function PublishForm({ roomId, onDone }: { roomId: string; onDone: () => void }): ReactNode {
  const { session } = useSession();
  const { t, lang } = useI18n();
  const action = useAction();
  const fileId = useId();
  const descriptionId = useId();
  const [file, setFile] = useState<File | null>(null);
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [domain, setDomain] = useState<MentoringDomain>('resilience');
  const [language, setLanguage] = useState<string>(lang);
  const [tags, setTags] = useState('');
  const [progress, setProgress] = useState<number | null>(null);
  return (
    <form
      className="card publish"
      aria-label={t('library.publish')}
      onSubmit={(e) => {
        e.preventDefault();
        if (!file || !session) return;
        void action
          .run(async () => {
            setProgress(0);
            await session.library.publish(
              roomId,
              await outgoingFile(file),
              {
                title: title.trim(),
                description: description.trim(),
                domain,
                language: language.trim(),
                tags: tags
                  .split(/[,،]/)
                  .map((x) => x.trim())
                  .filter(Boolean),
              },
              { onProgress: (sent, total) => setProgress(total > 0 ? Math.floor((sent / total) * 100) : 0) },
            );
          })
          .then((ok) => {
            setProgress(null);
            if (ok) onDone();
          });
      }}
    >
      <h2>{t('library.publish')}</h2>
      <div className="field">
        <label htmlFor={fileId}>{t('library.file')}</label>
        <input id={fileId} type="file" required onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} />
      </div>
      <Field label={t('library.title')} value={title} onChange={setTitle} required />
      <div className="field">
        <label htmlFor={descriptionId}>{t('library.description')}</label>
        <textarea
          id={descriptionId}
          value={description}
          dir="auto"
          rows={3}
          maxLength={10_000}
          onChange={(e) => setDescription(e.target.value)}
        />
      </div>
      <DomainSelect label={t('library.domain')} value={domain} onChange={setDomain} />
      <Field label={t('library.language')} value={language} onChange={setLanguage} required />
      <Field label={t('library.tagsHint')} value={tags} onChange={setTags} />
      {progress !== null && (
        <progress max={100} value={progress} aria-label={t('upload.progress', { name: file?.name ?? '' })} />
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={action.busy || !file}>
          {action.busy ? t('upload.encrypting') : t('library.publishSend')}
        </button>
        <button type="button" onClick={onDone}>
          {t('common.cancel')}
        </button>
      </div>
      <ErrorLine error={action.error} />
    </form>
  );
}
