/**
 * The wall clock of the charger node's domain decisions (observation times,
 * session start and end, quarter hours). One object so that node tests can
 * move time forward across quarter hours while everything else (sockets,
 * SQLite, Node-RED) stays real; production code never replaces it.
 */
export const clock = {
  now: (): number => Date.now(),
};
