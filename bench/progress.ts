/**
 * Progress and surveys: the server's blind signature (OpenSSL's raw RSA against the library's
 * JavaScript path), and through the real hub: 100 participants obtaining their survey tickets and
 * answering at once, the close, the results, and success-marker reports for that cohort.
 * Run: npm run bench:progress (it builds the server first).
 */
import { RSABSSA } from '@cloudflare/blindrsa-ts';
import { webcrypto } from 'node:crypto';
import { HearthClient, obtainSurveyTicket, submitSurveyAnswers } from '../libs/client/src';
import { blindSigner } from '../apps/api/src/surveys/blind-signer';
import { startHubProcess } from '../test/support/process';
import { tempDir } from '../test/support/hub';
import { benchClient } from './scheduling-cast';
import { fmt, rng, stats, writeReport } from './lib';

const PASSWORD = 'correct horse battery staple';
const PARTICIPANTS = 100;

async function signingFigures(): Promise<string[]> {
  const suite = RSABSSA.SHA384.PSS.Randomized();
  const keys = await blindSigner.generate();
  const pub = await webcrypto.subtle.importKey('spki', keys.spki, { name: 'RSA-PSS', hash: 'SHA-384' }, true, [
    'verify',
  ]);
  const priv = await webcrypto.subtle.importKey('pkcs8', keys.pkcs8, { name: 'RSA-PSS', hash: 'SHA-384' }, true, [
    'sign',
  ]);
  const blinded = [];
  for (let i = 0; i < 20; i++) {
    const prepared = suite.prepare(webcrypto.getRandomValues(new Uint8Array(32)));
    blinded.push((await suite.blind(pub, prepared)).blindedMsg);
  }
  const ours: number[] = [];
  const library: number[] = [];
  for (const m of blinded) {
    let t = performance.now();
    blindSigner.blindSign(keys.pkcs8, keys.spki, Buffer.from(m));
    ours.push(performance.now() - t);
    t = performance.now();
    await suite.blindSign(priv, m);
    library.push(performance.now() - t);
  }
  return [
    `| blind signature (RSA-2048), 20 messages | median | p90 |`,
    `| --- | --- | --- |`,
    `| OpenSSL raw RSA + check (what the hub uses) | ${fmt(stats(ours).median)} | ${fmt(stats(ours).p90)} |`,
    `| @cloudflare/blindrsa-ts blindSign (JavaScript big numbers) | ${fmt(stats(library).median)} | ${fmt(stats(library).p90)} |`,
  ];
}

async function hubFigures(): Promise<string[]> {
  const dir = tempDir('hearth-bench-progress-');
  const hub = await startHubProcess({ DATA_DIR: dir.path, HUB_TRUST_PROXY: '1' });
  try {
    const admin = benchClient(hub.url);
    await admin.register({ invite_code: hub.setupInvite!, username: 'bench-admin', password: PASSWORD });
    const cohort = await admin.createCohort({
      name: 'Bench cohort',
      kind: 'individuals',
      starts_on: '2027-01-04',
      ends_on: '2028-03-01',
      timezone: 'Europe/Berlin',
    });
    const C = cohort.cohort_id;
    const join = async (inviter: HearthClient, role: 'coordinator' | 'participant', username: string) => {
      const { code } = await inviter.createCohortInvite(C, { role });
      const c = benchClient(hub.url);
      await c.register({ invite_code: code, username, password: PASSWORD });
      return c;
    };
    const coordinator = await join(admin, 'coordinator', 'bench-coord');
    const parts: HearthClient[] = [];
    for (let i = 0; i < PARTICIPANTS; i++) parts.push(await join(coordinator, 'participant', `bench-p${i}`));

    // Outcomes: three per participant, some markers achieved (seeded).
    const r = rng(9);
    const domains = ['resilience', 'advocacy', 'integrated_security'] as const;
    for (const p of parts) {
      for (const domain of domains) {
        const o = await p.createOutcome(C, { participant_id: p.session!.userId, domain });
        if (r() < 0.4) await p.setMarker(o.outcome_id, 'realistic', 'achieved');
      }
    }
    const reportJson: number[] = [];
    const reportCsv: number[] = [];
    for (let i = 0; i < 20; i++) {
      let t = performance.now();
      await coordinator.successMarkers([C]);
      reportJson.push(performance.now() - t);
      t = performance.now();
      await coordinator.successMarkersCsv([C]);
      reportCsv.push(performance.now() - t);
    }
    let t = performance.now();
    await coordinator.openReview(C, 'midpoint');
    const review = performance.now() - t;

    const survey = await coordinator.createSurvey(C, {
      title: 'End of cohort',
      items: Array.from({ length: 12 }, (_, i) => ({
        id: `item_${i}`,
        text: `Question ${i}`,
        group: ['security_tasks', 'advocacy_strategies', 'peer_connection'][i % 3],
        scale: i % 3 === 2 ? ('agreement' as const) : ('confidence' as const),
      })),
      opens_at: new Date(Date.now() - 60_000).toISOString(),
      closes_at: new Date(Date.now() + 3600_000).toISOString(),
    });
    // Every participant at once: obtain (blind, sign, finalize) …
    const issue: number[] = [];
    t = performance.now();
    const tickets = await Promise.all(
      parts.map(async (p) => {
        const s = performance.now();
        const ticket = await obtainSurveyTicket(p, survey);
        issue.push(performance.now() - s);
        return ticket;
      }),
    );
    const issueWall = performance.now() - t;
    // … then answer, each from its own address, without authentication.
    const answer: number[] = [];
    t = performance.now();
    await Promise.all(
      tickets.map(async (ticket, i) => {
        const answers = Object.fromEntries(survey.items.map((item) => [item.id, 1 + Math.floor(r() * 5)]));
        const s = performance.now();
        await submitSurveyAnswers(hub.url, ticket, answers, { 'x-forwarded-for': `203.0.113.${i % 250}` });
        answer.push(performance.now() - s);
      }),
    );
    const answerWall = performance.now() - t;
    t = performance.now();
    await coordinator.closeSurvey(survey.survey_id);
    const close = performance.now() - t;
    t = performance.now();
    const results = await coordinator.surveyResults(survey.survey_id);
    const read = performance.now() - t;
    if (results.responses !== PARTICIPANTS)
      throw new Error(`expected ${PARTICIPANTS} answers, got ${results.responses}`);

    const row = (label: string, xs: number[]): string =>
      `| ${label} | ${fmt(stats(xs).median)} | ${fmt(stats(xs).p90)} | ${fmt(stats(xs).max)} |`;
    return [
      `| through the hub (embedded database), ${PARTICIPANTS} participants | median | p90 | max |`,
      `| --- | --- | --- | --- |`,
      row('success-marker report, JSON (300 outcomes)', reportJson),
      row('success-marker report, CSV', reportCsv),
      row(`ticket (blind → sign → finalize), ${PARTICIPANTS} at once`, issue),
      row(`anonymous answer (12 items), ${PARTICIPANTS} at once`, answer),
      '',
      `- ${PARTICIPANTS} tickets in ${fmt(issueWall)} (${Math.round((PARTICIPANTS / issueWall) * 1000)}/s); ` +
        `${PARTICIPANTS} answers in ${fmt(answerWall)} (${Math.round((PARTICIPANTS / answerWall) * 1000)}/s)`,
      `- mid-point review (snapshot of ${PARTICIPANTS} participants, 900 markers): ${fmt(review)}; ` +
        `close (key deleted, answers shuffled): ${fmt(close)}; results: ${fmt(read)}`,
    ];
  } finally {
    await hub.stop();
    dir.remove();
  }
}

async function main(): Promise<void> {
  const lines = [`# Progress and surveys — ${new Date().toISOString().slice(0, 10)}`, ''];
  lines.push(...(await signingFigures()), '');
  lines.push(...(await hubFigures()));
  writeReport(`progress-${new Date().toISOString().slice(0, 10)}`, lines);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
