import { OfflineWatch } from './offline-watch';

describe('the offline watch', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function setUp(): { watch: OfflineWatch; asked: () => number; setOffline: (v: boolean) => void; online: () => void } {
    let offline = true;
    let asked = 0;
    const listeners = new Set<() => void>();
    const watch = new OfflineWatch(
      () => offline,
      () => {
        asked++;
        return Promise.resolve();
      },
      (l) => {
        listeners.add(l);
        return () => listeners.delete(l);
      },
    );
    return {
      watch,
      asked: () => asked,
      setOffline: (v) => (offline = v),
      online: () => listeners.forEach((l) => l()),
    };
  }

  it('asks the hub soon after the socket went down, then every 15 s, and at once when the browser is back online', () => {
    const { watch, asked, online } = setUp();
    watch.start();
    watch.start(); // one watch, however often the socket drops meanwhile
    jest.advanceTimersByTime(499);
    expect(asked()).toBe(0);
    jest.advanceTimersByTime(1);
    expect(asked()).toBe(1);
    jest.advanceTimersByTime(15_000);
    expect(asked()).toBe(2);
    online();
    expect(asked()).toBe(3);
  });

  it('stops once the socket is back, and when stopped', () => {
    const { watch, asked, setOffline, online } = setUp();
    watch.start();
    jest.advanceTimersByTime(500);
    setOffline(false);
    jest.advanceTimersByTime(15_000);
    online();
    jest.advanceTimersByTime(60_000);
    expect(asked()).toBe(1);

    setOffline(true);
    watch.start();
    jest.advanceTimersByTime(500);
    expect(asked()).toBe(2);
    watch.stop();
    online();
    jest.advanceTimersByTime(60_000);
    expect(asked()).toBe(2);
  });
});
