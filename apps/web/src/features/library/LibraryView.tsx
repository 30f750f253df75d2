import type { MentoringDomain } from '@hearth/protocol';
import type { LibraryResource } from '@hearth/client';
import { mediaIdOfFile } from '@hearth/client';
import { ReactNode, useEffect, useId, useState } from 'react';
import { useAction } from '../../shared/action';
import { DomainSelect, ErrorLine } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useHub, useSession } from '../../state/hooks';
import type { OfflineDescription } from './offline';
import { PublishForm } from './PublishForm';
import { ResourceCard } from './ResourceCard';
import { useLibrary } from './use-library';
import { useOfflineIds } from './use-offline';

/**
 * A cohort's resource library: browse, search and filter (all on this device: the hub cannot
 * read a title), open a resource (kept for offline use), publish, pin, remove; coordinators decide
 * whether participants publish.
 */
export function LibraryView({ cohortId }: { cohortId: string }): ReactNode {
  const hub = useHub();
  const { session, http } = useSession();
  const { t } = useI18n();
  const lib = useLibrary(cohortId);
  const [query, setQuery] = useState('');
  const [domain, setDomain] = useState<MentoringDomain | ''>('');
  const [language, setLanguage] = useState('');
  const [tag, setTag] = useState('');
  const [publishing, setPublishing] = useState(false);
  const settings = useAction();
  const ask = useAction();
  const ids = { search: useId(), language: useId(), tag: useId() };
  if (lib.cohort && !lib.roomId) return <p className="muted">{t('library.settingUp')}</p>;
  if (!lib.cohort || !lib.roomId || !session) return <p>{t('app.loading')}</p>;
  const roomId = lib.roomId;
  const languages = [...new Set(lib.resources.map((r) => r.language))].sort();
  const tags = [...new Set(lib.resources.flatMap((r) => r.tags))].sort();
  const shown = session.library.search(lib.resources, query, {
    ...(domain ? { domain } : {}),
    ...(language ? { language } : {}),
    ...(tag ? { tag } : {}),
  });
  return (
    <>
      <h1>{t('library.title.page', { cohort: lib.cohort.name })}</h1>
      <p className="muted">{t('library.intro')}</p>
      {lib.coordinator && (
        <div className="field checkbox">
          <label>
            <input
              type="checkbox"
              checked={lib.settings?.participants_publish ?? false}
              disabled={settings.busy}
              onChange={(e) => {
                const participants_publish = e.currentTarget.checked;
                void settings.run(async () => {
                  await http.updateLibrarySettings(cohortId, { participants_publish });
                  lib.reloadSettings();
                  await hub.refresh();
                });
              }}
            />{' '}
            {t('library.participantsPublish')}
          </label>
          <ErrorLine error={settings.error} />
        </div>
      )}
      {lib.canPublish &&
        (publishing ? (
          <PublishForm roomId={roomId} onDone={() => setPublishing(false)} />
        ) : (
          <button type="button" className="primary" onClick={() => setPublishing(true)}>
            {t('library.publish')}
          </button>
        ))}
      <div role="search" className="filters" aria-label={t('library.searchLabel')}>
        <div className="field">
          <label htmlFor={ids.search}>{t('library.search')}</label>
          <input id={ids.search} type="search" value={query} dir="auto" onChange={(e) => setQuery(e.target.value)} />
        </div>
        <DomainSelect label={t('library.domain')} value={domain} onChange={setDomain} none={t('library.any')} />
        <div className="field">
          <label htmlFor={ids.language}>{t('library.language')}</label>
          <select id={ids.language} value={language} onChange={(e) => setLanguage(e.target.value)}>
            <option value="">{t('library.any')}</option>
            {languages.map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.tag}>{t('library.tag')}</label>
          <select id={ids.tag} value={tag} onChange={(e) => setTag(e.target.value)}>
            <option value="">{t('library.any')}</option>
            {tags.map((x) => (
              <option key={x} value={x}>
                {x}
              </option>
            ))}
          </select>
        </div>
      </div>
      {lib.unreadable && (
        <div className="notice">
          <p>{t('library.unreadable')}</p>
          <button
            type="button"
            disabled={ask.busy}
            onClick={() => void ask.run(async () => void (await session.library.requestRepublication(roomId)))}
          >
            {t('library.askAgain')}
          </button>
          <ErrorLine error={ask.error} />
        </div>
      )}
      <p role="status" className="muted">
        {!lib.complete
          ? t('library.loading')
          : t('library.count', { shown: shown.length, total: lib.resources.length })}
      </p>
      <ul className="list resources">
        {shown.map((r) => (
          <ResourceCard key={r.resource_id} roomId={roomId} resource={r} coordinator={lib.coordinator} />
        ))}
      </ul>
      {lib.complete && !lib.unreadable && <StrayCopies resources={lib.resources} />}
    </>
  );
}

/**
 * Copies kept on this device of resources no longer in the library (removed by their publisher
 * or a coordinator): listed so the person can delete them here too.
 */
function StrayCopies({ resources }: { resources: readonly LibraryResource[] }): ReactNode {
  const hub = useHub();
  const { t } = useI18n();
  const ids = useOfflineIds();
  const action = useAction();
  const [stray, setStray] = useState<{ id: string; description: OfflineDescription }[]>([]);
  const current = new Set(resources.map((r) => mediaIdOfFile(r.file.file)));
  const key = [...ids].filter((id) => !current.has(id)).join(',');
  useEffect(() => {
    if (!key) return setStray([]);
    let live = true;
    hub.offlineFiles.list<OfflineDescription>().then(
      (all) => live && setStray(all.filter((x) => key.split(',').includes(x.id))),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [hub, key]);
  if (stray.length === 0) return null;
  return (
    <section aria-labelledby="stray-title">
      <h2 id="stray-title">{t('library.strayTitle')}</h2>
      <p className="muted">{t('library.strayIntro')}</p>
      <ul className="list">
        {stray.map((x) => (
          <li key={x.id}>
            <bdi>{x.description.meta.title}</bdi>{' '}
            <button
              type="button"
              disabled={action.busy}
              onClick={() => void action.run(() => hub.offlineFiles.remove(x.id))}
            >
              {t('library.forget')}
            </button>
          </li>
        ))}
      </ul>
      <ErrorLine error={action.error} />
    </section>
  );
}

/** The resources pinned by coordinators, on the cohort's home. */
export function PinnedResources({ cohortId, onOpen }: { cohortId: string; onOpen: () => void }): ReactNode {
  const { t } = useI18n();
  const lib = useLibrary(cohortId);
  const pinned = lib.resources.filter((r) => r.pinned);
  return (
    <section aria-labelledby="pinned-title">
      <h2 id="pinned-title">{t('library.pinnedTitle')}</h2>
      {pinned.length === 0 ? (
        <p className="muted">{t('library.nonePinned')}</p>
      ) : (
        <ul className="list">
          {pinned.map((r) => (
            <li key={r.resource_id}>
              <bdi>{r.title}</bdi> <span className="muted">({t(`domain.${r.domain}`)})</span>
            </li>
          ))}
        </ul>
      )}
      <button type="button" onClick={onOpen}>
        {t('library.openLibrary')}
      </button>
    </section>
  );
}
