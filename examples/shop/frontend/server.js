// A tiny storefront: serves a page and proxies /api/* to the API service.
const http = require('node:http');

const apiUrl = new URL(process.env.API_URL ?? 'http://localhost:9000');

http
  .createServer((req, res) => {
    if (req.url.startsWith('/api/')) {
      const upstream = http.request(
        { host: apiUrl.hostname, port: apiUrl.port, path: req.url.slice(4), method: req.method, headers: req.headers },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      upstream.on('error', () => {
        res.writeHead(502);
        res.end('api unavailable\n');
      });
      req.pipe(upstream);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<h1>shop</h1><p>Welcome to the shop.</p>\n');
  })
  .listen(8080);
