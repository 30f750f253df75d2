import { AUDIT_ACTIONS } from '@hearth/protocol';
import { en } from '../../i18n/en';

describe('the audit log in words', () => {
  it('names every action the hub writes (a new one must be worded, in every language, when it is added)', () => {
    expect(AUDIT_ACTIONS.filter((a) => !(`mod.action.${a}` in en))).toEqual([]);
  });
});
