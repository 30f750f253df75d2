import { ReactNode, useId, useState } from 'react';
import type { View } from '../../app/navigation';
import { useAction } from '../../shared/action';
import { localpart } from '../../shared/format';
import { ErrorLine } from '../../shared/forms';
import { useI18n } from '../../shared/i18n';
import { useAccount, useSession } from '../../state/hooks';
import { isolate } from './words';

/**
 * The part by name: "I would like to talk to someone", to one's mentor only. Its own card, its
 * own button, never sent with the anonymous answers; the card says so before anything is sent.
 */
export function TalkCard({ cohortId, go }: { cohortId: string; go: (v: View) => void }): ReactNode {
  const { session } = useSession();
  const { me, mentorships } = useAccount();
  const { t } = useI18n();
  const titleId = useId();
  const wordsId = useId();
  const [words, setWords] = useState('');
  const [sent, setSent] = useState(false);
  const ask = useAction();
  const mine = mentorships.find((m) => m.cohort_id === cohortId && m.participant === me?.user_id);
  const mentor = mine ? isolate(localpart(mine.mentor)) : '';
  return (
    <section className="card talk-card" aria-labelledby={titleId} data-testid="pulse-talk">
      <h2 id={titleId}>{t('pulse.talk.title')}</h2>
      {!mine && (
        <p className="notice" role="status">
          {t('pulse.talk.noMentor')}
        </p>
      )}
      {mine && (
        <>
          <p className="notice warn">{t('pulse.talk.notAnonymous', { mentor })}</p>
          {sent ? (
            <p className="notice ok" role="status">
              {t('pulse.talk.sent', { mentor })}
            </p>
          ) : (
            <form
              onSubmit={(e) => {
                e.preventDefault();
                if (!session) return;
                void ask.run(async () => {
                  await session.pulse.askToTalk(mine, words.trim() || t('pulse.talk.default'));
                  setSent(true);
                  setWords('');
                });
              }}
            >
              <label htmlFor={wordsId}>{t('pulse.talk.words')}</label>
              <textarea
                id={wordsId}
                dir="auto"
                rows={3}
                maxLength={2000}
                value={words}
                onChange={(e) => setWords(e.target.value)}
              />
              <ErrorLine error={ask.error} />
              <button type="submit" disabled={!session || ask.busy}>
                {t('pulse.talk.ask', { mentor })}
              </button>
            </form>
          )}
          <button type="button" className="link" onClick={() => go({ kind: 'room', id: mine.room_id })}>
            {t('pulse.talk.open')}
          </button>
        </>
      )}
    </section>
  );
}
