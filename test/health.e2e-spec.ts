import { startTestHub, TestHub } from './support/hub';

describe('health', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub();
  });
  afterAll(() => t.close());

  it('answers ok with the database up, without a token', async () => {
    await expect(t.client().health()).resolves.toEqual({ status: 'ok', db: 'ok' });
  });
});
