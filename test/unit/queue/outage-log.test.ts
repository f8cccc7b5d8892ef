// A broker outage in the log: the first failure, then one line per growing interval, then "reachable again".
import { createOutageLog } from '../../../src/queue/outage-log';

describe('the broker outage log', () => {
  it('logs the first failed attempt, then at most one line per growing interval up to 60 s', () => {
    let t = 0;
    const outage = createOutageLog(() => t);
    const logged: Array<[number, number]> = []; // [second, attempts]
    for (let second = 0; second < 200; second++) {
      t = second * 1000;
      const note = outage.failed();
      if (note.log) logged.push([second, note.attempts]);
    }
    expect(logged).toEqual([
      [0, 1],
      [1, 2],
      [3, 4],
      [7, 8],
      [15, 16],
      [31, 32],
      [63, 64],
      [123, 124],
      [183, 184],
    ]);
  });

  it('says once that the broker is reachable again, with the attempts and the time it was down', () => {
    let t = 5000;
    const outage = createOutageLog(() => t);
    expect(outage.connected()).toEqual({ recovered: false, attempts: 0, downForMs: 0 });
    outage.failed();
    t += 1000;
    outage.failed();
    t += 1500;
    expect(outage.connected()).toEqual({ recovered: true, attempts: 2, downForMs: 2500 });
    expect(outage.connected().recovered).toBe(false);
    // a new outage starts its ladder again from the first line
    expect(outage.failed()).toMatchObject({ log: true, attempts: 1, first: true });
  });
});
