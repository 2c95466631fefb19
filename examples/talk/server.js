// The talk's express-server, without dependencies: it answers on port 8080
// with its variables and the files of the Secret mounted at /mnt/path.
const http = require('node:http');
const fs = require('node:fs');

const mounted = (dir) => {
  try {
    return fs.readdirSync(dir).filter((name) => !name.startsWith('..'));
  } catch {
    return [];
  }
};

http
  .createServer((req, res) => {
    const body = {
      path: req.url,
      F00: process.env.F00 ?? null,
      // Secret values are not echoed: only whether they are there.
      F002: process.env.F002 !== undefined,
      F003: process.env.F003 !== undefined,
      files: mounted('/mnt/path'),
    };
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body) + '\n');
  })
  .listen(8080);
