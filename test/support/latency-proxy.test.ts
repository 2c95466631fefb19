/**
 * The latency proxy delays what passes through it and changes nothing else:
 * bytes arrive intact and in order, and a round trip costs at least twice the
 * one-way latency. (Its place is in front of the fake API server, for the
 * multi-cluster benchmark; the fake's certificate needs openssl, so not here.)
 */
import http from 'node:http';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { LatencyProxy } from './latency-proxy.js';

describe('LatencyProxy', () => {
  it('delays each direction and keeps the bytes and their order', async () => {
    const echo = net.createServer((s) => s.pipe(s));
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    const proxy = await new LatencyProxy({ targetPort: (echo.address() as net.AddressInfo).port, latencyMs: 60, jitterMs: 20 }).start();
    try {
      const socket = net.connect(proxy.port, '127.0.0.1');
      await new Promise<void>((r) => socket.on('connect', r));
      const sent = Array.from({ length: 50 }, (_, i) => `chunk-${i};`).join('');
      const started = Date.now();
      const received = new Promise<string>((resolve) => {
        let text = '';
        socket.on('data', (d) => {
          text += String(d);
          if (text.length >= sent.length) resolve(text);
        });
      });
      for (let i = 0; i < 50; i++) socket.write(`chunk-${i};`);
      expect(await received).toBe(sent);
      expect(Date.now() - started).toBeGreaterThanOrEqual(120);
      socket.destroy();
      expect(proxy.connections).toBe(1);
    } finally {
      await proxy.stop();
      await new Promise<void>((r) => echo.close(() => r()));
    }
  });

  it('carries HTTP requests and answers, a round trip at least twice the latency', async () => {
    const server = http.createServer((req, res) => res.end(JSON.stringify({ path: req.url })));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const proxy = await new LatencyProxy({ targetPort: (server.address() as net.AddressInfo).port, latencyMs: 40 }).start();
    try {
      const started = Date.now();
      const body = await new Promise<string>((resolve, reject) =>
        http.get(`http://127.0.0.1:${proxy.port}/api/v1/namespaces`, (res) => {
          let text = '';
          res.on('data', (d) => (text += String(d)));
          res.on('end', () => resolve(text));
        }).on('error', reject),
      );
      expect(JSON.parse(body)).toEqual({ path: '/api/v1/namespaces' });
      expect(Date.now() - started).toBeGreaterThanOrEqual(80);
    } finally {
      await proxy.stop();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
