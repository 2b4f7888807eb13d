#!/usr/bin/env node
// Sends one app_mention event three times (plain, then with X-Slack-Retry-Num 1 and 2, as probe-slack.js does) to a
// Slack endpoint and reads the fake upstream's counters: how many Web API calls the three deliveries caused.
//   node duplicate-probe.js --peers <dir of the peer harness> --target URL --secret S --stats http://127.0.0.1:39180/stats
'use strict';
const path = require('path');
const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
const L = require(path.join(args.peers, 'lib.js'));
const http = require('http');
const u = L.assertLoopback(args.target, '--target');
L.assertLoopback(args.stats, '--stats');
const agent = new http.Agent({ keepAlive: false });
(async () => {
  const before = await L.httpJson(args.stats);
  const body = L.appMentionBody(777001, { eventId: `Ev0DUPCHECK${Date.now()}` });
  const statuses = [];
  for (const retry of [null, ['1', 'http_timeout'], ['2', 'http_error']]) {
    const ts = Math.floor(Date.now() / 1000);
    const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-slack-request-timestamp': String(ts), 'x-slack-signature': L.slackSign(args.secret, ts, body) };
    if (retry) { headers['x-slack-retry-num'] = retry[0]; headers['x-slack-retry-reason'] = retry[1]; }
    statuses.push((await L.send(agent, u, 'POST', headers, body, 5000)).status);
  }
  await new Promise((r) => setTimeout(r, 3000));
  const after = await L.httpJson(args.stats);
  const calls = {};
  for (const [m, n] of Object.entries(after.slackByMethod || {})) calls[m] = n - ((before.slackByMethod || {})[m] || 0);
  console.log(JSON.stringify({ deliveriesSent: 3, statuses, webApiCallsCaused: calls }));
})().catch((e) => { console.error(e); process.exit(1); });
