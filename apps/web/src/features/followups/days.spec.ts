import { parseDays } from './days';

describe('follow-up days as a coordinator types them', () => {
  it('reads commas, spaces and the Arabic comma', () => {
    expect(parseDays('7, 30, 90')).toEqual([7, 30, 90]);
    expect(parseDays('7،30')).toEqual([7, 30]);
    expect(parseDays(' 14  60 ')).toEqual([14, 60]);
    expect(parseDays('')).toEqual([]);
  });

  it('refuses what the hub would refuse', () => {
    for (const bad of ['0', '366', '1,2,3,4,5,6', '7,7', '7.5', 'seven']) expect(parseDays(bad)).toBeNull();
  });
});
